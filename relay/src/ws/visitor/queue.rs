//! A waiting visitor's place in the queue. Only a visitor that waits
//! follows the queue's changes: with many nodes and visitors, waking
//! every chatting visitor on every queue change would cost more than all
//! the chatting.

use shared::{ConversationId, ConversationStatus, ServerFrame};

use super::VisitorSession;
use crate::ws::outbox::Outbox;

impl VisitorSession {
    fn waits(&self) -> bool {
        self.owned
            .values()
            .any(|grant| grant.status() == ConversationStatus::Waiting)
    }

    /// Sends the positions of this visitor's waiting conversations, and
    /// starts following the queue if one waits.
    pub(super) async fn send_positions_from_store(&mut self, out: &mut Outbox) {
        for pass in 0..2 {
            if !self.waits() {
                return;
            }
            let ids = match self.app.conversations.queue_order().await {
                Ok(ids) => ids,
                Err(e) => return tracing::warn!(error = %e, "could not read the queue"),
            };
            if !self.owned.keys().any(|c| ids.contains(c)) {
                return;
            }
            if pass == 0 && !self.watching_queue {
                // Watch, then read again: no change can fall in between.
                self.sub.watch_queue();
                self.watching_queue = true;
                continue;
            }
            return self.send_positions(&ids, out);
        }
    }

    pub(super) fn send_positions(&mut self, waiting: &[ConversationId], out: &mut Outbox) {
        for (conversation, grant) in &self.owned {
            let position = (grant.status() == ConversationStatus::Waiting)
                .then(|| waiting.iter().position(|c| c == conversation))
                .flatten()
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX));
            match position {
                // Out of the queue: forget the place told, so a conversation
                // routing takes back is told its place again, even the same.
                None => {
                    self.positions.remove(conversation);
                }
                Some(position) if self.positions.get(conversation) != Some(&position) => {
                    self.positions.insert(conversation.clone(), position);
                    out.push(ServerFrame::QueuePosition {
                        conversation: conversation.clone(),
                        position,
                    });
                }
                Some(_) => {}
            }
        }
    }
}
