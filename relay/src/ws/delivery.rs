//! Exactly once, in order: tracks the last seq this connection has sent per
//! conversation. A live message is sent only if it is the next one; an
//! older one is a duplicate and dropped; a newer one reveals a gap (a lost
//! or late event), which is filled from the store (through the service's
//! history) before going on.

use std::collections::HashMap;

use shared::{ChatMessage, ClientMsgId, ConversationId, Seq, ServerFrame};

use super::outbox::Outbox;
use crate::conversations::messages::Posted;
use crate::conversations::{ConversationService, ServiceResult};

/// Per-connection delivery positions.
#[derive(Debug, Default)]
pub struct Delivery {
    sent: HashMap<ConversationId, Seq>,
}

impl Delivery {
    /// The client has everything up to `seq`; deliver only what follows.
    pub fn set_position(&mut self, conversation: &ConversationId, seq: Seq) {
        self.sent.insert(conversation.clone(), seq);
    }

    pub fn position(&self, conversation: &ConversationId) -> Option<Seq> {
        self.sent.get(conversation).copied()
    }

    pub fn forget(&mut self, conversation: &ConversationId) {
        self.sent.remove(conversation);
    }

    /// Sends `message` if it is next; fills a gap from the store first.
    /// Messages of conversations without a position are ignored.
    pub async fn deliver(
        &mut self,
        service: &ConversationService,
        message: &ChatMessage,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let Some(sent) = self.position(&message.conversation) else {
            return Ok(());
        };
        if message.seq <= sent {
            return Ok(());
        }
        if message.seq == sent + 1 {
            self.set_position(&message.conversation, message.seq);
            out.push(ServerFrame::Message(message.clone()));
            return Ok(());
        }
        self.catch_up(service, &message.conversation, out).await
    }

    /// Sends everything after the current position (0 if none), in order.
    pub async fn catch_up(
        &mut self,
        service: &ConversationService,
        conversation: &ConversationId,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let batch = shared::limits::MAX_REPLAY;
        loop {
            let from = self.position(conversation).unwrap_or(0);
            let missed = service.history(conversation, from, batch).await?;
            let done = missed.len() < batch;
            for message in missed {
                if message.seq == self.position(conversation).unwrap_or(0) + 1 {
                    self.set_position(conversation, message.seq);
                    out.push(ServerFrame::Message(message));
                }
            }
            if done {
                return Ok(());
            }
        }
    }

    /// Answers a post, the same for both roles: the stored message is
    /// echoed to the sender (in seq order with what it has) and then
    /// acked; a refusal names the message it refuses.
    pub async fn answer_post(
        &mut self,
        service: &ConversationService,
        posted: ServiceResult<Posted>,
        client_msg_id: &ClientMsgId,
        out: &mut Outbox,
    ) {
        let message = match posted {
            Ok(posted) => posted.message,
            Err(e) => return out.refuse_message(&e, client_msg_id),
        };
        if let Err(e) = self.deliver(service, &message, out).await {
            tracing::warn!(error = %e, "could not echo a stored message; the client will resume");
        }
        out.push(ServerFrame::Ack {
            conversation: message.conversation,
            client_msg_id: message.client_msg_id,
            seq: message.seq,
        });
    }
}
