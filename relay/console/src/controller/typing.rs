//! The agent's typing indicator, paced: `typing: true` at most every 3 s
//! while keys are pressed, `false` after 4 s without one, on send, and when
//! the agent leaves the conversation. Only for conversations the agent may
//! write in (the relay refuses the rest).

use std::time::Duration;

use leptos::prelude::{set_timeout_with_handle, TimeoutHandle, WithUntracked};
use shared::{AgentFrame, ConversationId, ConversationStatus};

use super::Controller;

/// Send `typing: true` again after this long of continued typing.
const TYPING_REPEAT_MS: f64 = 3_000.0;
/// Send `typing: false` after this long without a key press.
const TYPING_IDLE: Duration = Duration::from_secs(4);

/// The agent's own typing indicator, as last sent.
#[derive(Debug, Default)]
pub(super) struct Typing {
    conversation: Option<ConversationId>,
    sent_at_ms: f64,
    idle: Option<TimeoutHandle>,
}

impl Controller {
    /// The agent pressed a key in the reply box.
    pub(crate) fn typed(&self, conversation: &ConversationId) {
        let can_type = self.model().with_untracked(|m| {
            m.convs
                .get(conversation)
                .is_some_and(|c| c.mine && c.summary.status == ConversationStatus::Assigned)
        });
        if !can_type {
            return;
        }
        let now = js_sys::Date::now();
        let mut typing = self.inner.typing.borrow_mut();
        let same = typing.conversation.as_ref() == Some(conversation);
        if !same || now - typing.sent_at_ms >= TYPING_REPEAT_MS {
            if let Some(previous) = typing.conversation.take().filter(|_| !same) {
                self.send(&AgentFrame::Typing {
                    conversation: previous,
                    typing: false,
                });
            }
            self.send(&AgentFrame::Typing {
                conversation: conversation.clone(),
                typing: true,
            });
            typing.conversation = Some(conversation.clone());
            typing.sent_at_ms = now;
        }
        if let Some(idle) = typing.idle.take() {
            idle.clear();
        }
        let ctl = self.clone();
        typing.idle = set_timeout_with_handle(move || ctl.stop_typing(), TYPING_IDLE).ok();
    }

    pub(super) fn stop_typing(&self) {
        let mut typing = self.inner.typing.borrow_mut();
        if let Some(idle) = typing.idle.take() {
            idle.clear();
        }
        if let Some(conversation) = typing.conversation.take() {
            self.send(&AgentFrame::Typing {
                conversation,
                typing: false,
            });
        }
    }
}
