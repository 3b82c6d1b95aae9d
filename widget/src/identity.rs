//! `Switchboard.identify(token)`: the host page's signed statement of who
//! the visitor is. The token is kept in memory only (it is short-lived
//! and must not outlive the page for the next person at this computer),
//! sent once the relay has greeted this connection, and again after a
//! reconnect until the relay answers. `identified` brings the
//! conversations of the visitor's other devices, whose transcripts are
//! then fetched like any other.

use shared::{ConversationSummary, VisitorFrame};

use crate::session::Session;

impl Session {
    /// The host page identified the visitor.
    pub(crate) fn identify(&self, token: String) {
        let greeted = {
            let mut inner = self.inner.borrow_mut();
            inner.identity = Some(token);
            inner.greeted
        };
        if greeted {
            self.send_identity();
        }
    }

    /// Sends the pending identity, if any (after each `welcome`).
    pub(crate) fn send_identity(&self) {
        let token = self.inner.borrow().identity.clone();
        if let Some(token) = token {
            self.send(&VisitorFrame::Identify { token });
        }
    }

    /// The relay linked the visitor: show their other devices' chats.
    pub(crate) fn identified(&self, conversations: Vec<ConversationSummary>) {
        self.inner.borrow_mut().identity = None;
        for summary in conversations {
            self.learn(summary);
        }
        self.conversations_changed();
    }

    /// The relay refused the token: it will not get better by resending.
    pub(crate) fn identity_refused(&self, why: &str) {
        self.inner.borrow_mut().identity = None;
        let line = format!("switchboard: identify refused: {why}");
        web_sys::console::warn_1(&line.into());
    }
}
