//! Replies not yet acknowledged by the relay.
//!
//! A reply is shown as pending from the moment it is typed; the relay's
//! stored copy (a `message` frame with the same client_msg_id) or its `ack`
//! removes it. After a reconnect every pending reply is sent again in
//! order; the relay stores a resend once and acks it with the same seq, so
//! resending is always safe. Replies the relay refused for good (closed
//! conversation, too long) stay visible as not sent. Kept in memory only:
//! a reload drops unsent replies (the widget, not the console, persists its
//! outbox).

use shared::{AgentFrame, ClientMsgId, ConversationId, ErrorCode};

/// Where a pending reply stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PendingState {
    Sending,
    Failed(ErrorCode),
}

/// One reply waiting for its ack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pending {
    pub(crate) conversation: ConversationId,
    pub(crate) client_msg_id: ClientMsgId,
    pub(crate) text: String,
    pub(crate) state: PendingState,
}

impl Pending {
    pub(crate) fn frame(&self) -> AgentFrame {
        AgentFrame::Send {
            conversation: self.conversation.clone(),
            client_msg_id: self.client_msg_id.clone(),
            text: self.text.clone(),
        }
    }
}

/// Pending replies in the order they were written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Outbox {
    items: Vec<Pending>,
}

impl Outbox {
    pub(crate) fn push(&mut self, pending: Pending) {
        self.items.push(pending);
    }

    /// Stored or acked: no longer pending.
    pub(crate) fn remove(&mut self, id: &ClientMsgId) {
        self.items.retain(|p| p.client_msg_id != *id);
    }

    /// Refused for good: kept on screen, never resent.
    pub(crate) fn fail(&mut self, id: &ClientMsgId, code: ErrorCode) {
        for p in self.items.iter_mut().filter(|p| p.client_msg_id == *id) {
            p.state = PendingState::Failed(code);
        }
    }

    /// The frames to send again, oldest first.
    pub(crate) fn resend(&self) -> Vec<AgentFrame> {
        self.items
            .iter()
            .filter(|p| p.state == PendingState::Sending)
            .map(Pending::frame)
            .collect()
    }

    /// The pending replies of one conversation, oldest first.
    pub(crate) fn of<'a>(
        &'a self,
        conversation: &'a ConversationId,
    ) -> impl Iterator<Item = &'a Pending> + 'a {
        self.items
            .iter()
            .filter(move |p| p.conversation == *conversation)
    }
}
