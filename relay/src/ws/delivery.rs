//! Exactly once, in order: tracks the last seq this connection has sent per
//! conversation. A live message is sent only if it is the next one; an
//! older one is a duplicate and dropped; a newer one reveals a gap (a lost
//! or late event), which is filled from the store (through the service's
//! history) before going on.
//!
//! A replay (hello's and resume's catch-up, a gap fill) sends at most one
//! page of [`MAX_REPLAY`] messages and at most [`REPLAY_BUDGET_BYTES`] per
//! turn of the socket loop; the rest follows on the next turns, after the
//! page was written ([`Delivery::replay_more`]). A client resuming many
//! long conversations, or one conversation many times, costs one page of
//! memory, not its whole history.

use std::collections::{HashMap, VecDeque};

use shared::limits::{MAX_REPLAY, MAX_RESUME_POINTS};
use shared::{ChatMessage, ClientMsgId, ConversationId, ResumePoint, Seq, ServerFrame};

use super::outbox::Outbox;
use crate::conversations::messages::Posted;
use crate::conversations::{ConversationService, ServiceError, ServiceResult};

/// Bytes of replayed messages one turn queues at most before the rest
/// waits for the next turn.
pub const REPLAY_BUDGET_BYTES: usize = 1024 * 1024;

/// Per-connection delivery positions.
#[derive(Debug, Default)]
pub struct Delivery {
    sent: HashMap<ConversationId, Seq>,
    /// Conversations whose replay stopped at a page or the byte budget.
    unfinished: VecDeque<ConversationId>,
}

/// The resume points of a hello, one per conversation (the earliest
/// position wins: nothing the client lacks is skipped); more than
/// [`MAX_RESUME_POINTS`] conversations is refused.
pub fn resume_points(points: Vec<ResumePoint>) -> ServiceResult<Vec<ResumePoint>> {
    let mut unique: Vec<ResumePoint> = Vec::new();
    for point in points {
        let full = unique.len() == MAX_RESUME_POINTS;
        match unique
            .iter_mut()
            .find(|p| p.conversation == point.conversation)
        {
            Some(kept) => kept.after_seq = kept.after_seq.min(point.after_seq),
            None if full => {
                return Err(ServiceError::Invalid(format!(
                    "a hello resumes at most {MAX_RESUME_POINTS} conversations"
                )))
            }
            None => unique.push(point),
        }
    }
    Ok(unique)
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
        self.unfinished.retain(|c| c != conversation);
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
        if message.seq == sent + 1 && !self.unfinished.contains(&message.conversation) {
            self.set_position(&message.conversation, message.seq);
            out.push(ServerFrame::Message(message.clone()));
            return Ok(());
        }
        self.catch_up(service, &message.conversation, out).await
    }

    /// Sends what follows the current position (0 if none), in order: one
    /// page at most, within the turn's byte budget; the rest is left for
    /// [`Delivery::replay_more`].
    pub async fn catch_up(
        &mut self,
        service: &ConversationService,
        conversation: &ConversationId,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        self.unfinished.retain(|c| c != conversation);
        if out.bytes() >= REPLAY_BUDGET_BYTES {
            self.unfinished.push_back(conversation.clone());
            return Ok(());
        }
        let from = self.position(conversation).unwrap_or(0);
        let page = service.history(conversation, from, MAX_REPLAY).await?;
        let full = page.len() == MAX_REPLAY;
        let mut stopped = false;
        for message in page {
            if out.bytes() >= REPLAY_BUDGET_BYTES {
                stopped = true;
                break;
            }
            if message.seq == self.position(conversation).unwrap_or(0) + 1 {
                self.set_position(conversation, message.seq);
                out.push(ServerFrame::Message(message));
            }
        }
        if full || stopped {
            self.unfinished.push_back(conversation.clone());
        }
        Ok(())
    }

    /// A live message from the hub: delivered in order, a failure to fill
    /// a gap logged (the client resumes).
    pub async fn live(
        &mut self,
        service: &ConversationService,
        message: &ChatMessage,
        out: &mut Outbox,
    ) {
        if let Err(e) = self.deliver(service, message, out).await {
            tracing::warn!(error = %e, "gap fill failed; the client will resume");
        }
    }

    /// Events may have been dropped (the hub coalesced them, see
    /// `hub::mailbox`): every followed conversation catches up from its
    /// position, a page per turn like any replay.
    pub fn resync(&mut self) {
        for conversation in self.sent.keys() {
            if !self.unfinished.contains(conversation) {
                self.unfinished.push_back(conversation.clone());
            }
        }
    }

    /// Whether a replay waits for the next turn.
    pub fn replaying(&self) -> bool {
        !self.unfinished.is_empty()
    }

    /// Goes on with the oldest unfinished replay (one page); a failure
    /// is the client's to hear (it resumes).
    pub async fn replay_more(&mut self, service: &ConversationService, out: &mut Outbox) {
        let Some(conversation) = self.unfinished.pop_front() else {
            return;
        };
        if !self.sent.contains_key(&conversation) {
            return;
        }
        if let Err(e) = self.catch_up(service, &conversation, out).await {
            out.refuse(&e);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn point(conversation: &str, after_seq: Seq) -> ResumePoint {
        ResumePoint {
            conversation: conversation.into(),
            after_seq,
        }
    }

    #[test]
    fn resume_points_are_deduplicated_to_the_earliest_and_capped() {
        let points = vec![
            point("c1", 9),
            point("c2", 1),
            point("c1", 3),
            point("c1", 7),
        ];
        assert_eq!(
            resume_points(points).unwrap(),
            vec![point("c1", 3), point("c2", 1)]
        );
        let same = vec![point("c1", 0); 10 * MAX_RESUME_POINTS];
        assert_eq!(resume_points(same).unwrap().len(), 1);
        let many: Vec<ResumePoint> = (0..=MAX_RESUME_POINTS)
            .map(|i| point(&format!("c{i}"), 0))
            .collect();
        assert!(matches!(resume_points(many), Err(ServiceError::Invalid(_))));
        let most: Vec<ResumePoint> = (0..MAX_RESUME_POINTS)
            .map(|i| point(&format!("c{i}"), 0))
            .collect();
        assert_eq!(resume_points(most).unwrap().len(), MAX_RESUME_POINTS);
    }
}
