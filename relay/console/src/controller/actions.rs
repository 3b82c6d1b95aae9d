//! The agent's actions, as the components call them: each updates the
//! model and sends what the relay needs to hear.

use leptos::prelude::Update;
use shared::{AgentAuth, AgentFrame, AgentId, ClientMsgId, ConversationId, Presence};

use super::Controller;
use crate::model::{Model, Phase};
use crate::storage;

impl Controller {
    /// Signs in with email and password.
    pub(crate) fn sign_in(&self, email: String, password: String) {
        let auth = AgentAuth::Password { email, password };
        self.model().update(|m| {
            m.phase = Phase::SigningIn;
            m.sign_in_note = None;
        });
        if self.inner.conn.is_open() {
            if let Some(hello) = self.model().try_update(|m| m.hello(auth)) {
                self.send(&hello);
            }
        } else {
            self.inner.password.replace(Some(auth));
            self.inner.conn.connect();
        }
    }

    /// Ends the session on the relay and here.
    pub(crate) fn sign_out(&self) {
        if !self.send(&AgentFrame::SignOut) {
            self.inner.conn.stop();
        }
        storage::clear_session();
        self.model().update(Model::sign_out);
    }

    pub(crate) fn set_presence(&self, presence: Presence) {
        storage::save_presence(presence);
        if let Some(frame) = self.model().try_update(|m| m.choose_presence(presence)) {
            self.send(&frame);
        }
    }

    pub(crate) fn open(&self, id: &ConversationId) {
        self.stop_typing();
        let frames = self.model().try_update(|m| m.open(id)).unwrap_or_default();
        for frame in &frames {
            self.send(frame);
        }
    }

    pub(crate) fn back(&self) {
        self.stop_typing();
        self.model().update(Model::close_view);
    }

    pub(crate) fn set_visible(&self, visible: bool) {
        self.model().update(|m| m.set_visible(visible));
    }

    pub(crate) fn dismiss_banner(&self) {
        self.model().update(Model::dismiss_banner);
    }

    /// Queues and sends a reply; `false` if there was nothing to send.
    pub(crate) fn reply(&self, conversation: &ConversationId, text: &str) -> bool {
        self.stop_typing();
        let id = new_client_msg_id();
        match self
            .model()
            .try_update(|m| m.reply(conversation, id, text))
            .flatten()
        {
            Some(frame) => {
                // Offline, it waits in the outbox and goes after reconnecting.
                self.send(&frame);
                true
            }
            None => false,
        }
    }

    pub(crate) fn transfer(&self, conversation: &ConversationId, to: AgentId) {
        self.stop_typing();
        if let Some(frame) = self.model().try_update(|m| m.transfer(conversation, to)) {
            self.send(&frame);
        }
    }

    pub(crate) fn close(&self, conversation: &ConversationId) {
        self.stop_typing();
        self.send(&AgentFrame::Close {
            conversation: conversation.clone(),
        });
    }

    pub(crate) fn reopen(&self, conversation: &ConversationId) {
        self.send(&AgentFrame::Reopen {
            conversation: conversation.clone(),
        });
    }

    pub(crate) fn list_agents(&self) {
        self.send(&AgentFrame::ListAgents);
    }

    pub(crate) fn add_agent(&self, frame: AgentFrame) {
        if let Some(frame) = self.model().try_update(|m| m.add_agent(frame)) {
            self.send(&frame);
        }
    }
}

/// A random id for a reply: the relay dedupes resends by it.
fn new_client_msg_id() -> ClientMsgId {
    let part = || {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        n
    };
    ClientMsgId(format!("k{:08x}{:08x}{:08x}", part(), part(), part()))
}
