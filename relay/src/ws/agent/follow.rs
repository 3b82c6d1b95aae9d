//! Which conversations one agent connection follows live: those assigned
//! to the agent (taken and dropped as snapshots of them arrive, stale ones
//! already dropped by version), and waiting ones it read, until they leave
//! the queue.

use shared::{AgentId, ConversationStatus, ConversationSummary, ResumePoint, ServerFrame};

use super::AgentSession;
use crate::conversations::Actor;
use crate::store::{AgentRecord, Conversation};
use crate::ws::outbox::Outbox;

/// Waiting conversations one connection follows live at most (the console
/// reads the first few of the queue); beyond this, history still loads on
/// `resume` but is not pushed.
const MAX_FOLLOWING: usize = 100;

impl AgentSession {
    /// Starts following an assigned conversation from its current seq.
    pub(super) fn track(&mut self, conversation: &Conversation) {
        self.seen.saw(&conversation.id, conversation.version);
        self.assigned.insert(conversation.id.clone());
        self.sub.watch_conversation(&conversation.id);
        if self.delivery.position(&conversation.id).is_none() {
            self.delivery
                .set_position(&conversation.id, conversation.last_seq);
        }
    }

    /// Agents may read any conversation's history (e.g. a waiting one); a
    /// waiting one is then followed live until it leaves the queue.
    pub(super) async fn resume(
        &mut self,
        agent: &AgentRecord,
        point: ResumePoint,
        out: &mut Outbox,
    ) {
        let service = &self.app.conversations;
        let conversation = match service
            .readable(Actor::Agent(agent), &point.conversation)
            .await
        {
            Ok(c) => c,
            Err(e) => return out.refuse(&e),
        };
        if conversation.status == ConversationStatus::Waiting
            && !self.assigned.contains(&conversation.id)
            && self.following.len() < MAX_FOLLOWING
            && self.following.insert(conversation.id.clone())
        {
            self.sub.watch_conversation(&conversation.id);
        }
        self.delivery
            .set_position(&point.conversation, point.after_seq);
        if let Err(e) = self
            .delivery
            .catch_up(service, &point.conversation, out)
            .await
        {
            out.refuse(&e);
        }
    }

    /// A newer snapshot of a conversation: take it if it is now ours,
    /// drop it if it left us, stop following it if it left the queue.
    pub(super) async fn conversation_changed(
        &mut self,
        summary: &ConversationSummary,
        previous: Option<&AgentId>,
        out: &mut Outbox,
    ) {
        let me = self.agent.as_ref().map(|a| &a.id);
        let mine_now =
            summary.agent.as_ref() == me && summary.status == ConversationStatus::Assigned;
        let was_mine =
            self.assigned.contains(&summary.id) || (previous.is_some() && previous == me);
        if mine_now {
            out.push(ServerFrame::Conversation(summary.clone()));
            self.following.remove(&summary.id);
            if self.assigned.insert(summary.id.clone()) {
                // Newly routed or transferred here: follow it from the start
                // so the agent gets the whole transcript.
                self.sub.watch_conversation(&summary.id);
                if self.delivery.position(&summary.id).is_none() {
                    self.delivery.set_position(&summary.id, 0);
                }
            }
            let service = &self.app.conversations;
            if let Err(e) = self.delivery.catch_up(service, &summary.id, out).await {
                tracing::warn!(error = %e, "history load failed; the client will resume");
            }
        } else if was_mine {
            out.push(ServerFrame::Conversation(summary.clone()));
            self.assigned.remove(&summary.id);
            self.grants.forget(&summary.id);
            self.sub.unwatch_conversation(&summary.id);
            self.delivery.forget(&summary.id);
        } else if summary.csat.is_some() && summary.agent.as_ref() == me {
            // The visitor rated one of this agent's conversations after
            // it closed: the rating is shown on it.
            out.push(ServerFrame::Conversation(summary.clone()));
        } else if summary.status != ConversationStatus::Waiting
            && self.following.remove(&summary.id)
        {
            // Someone else took it (or it closed): the queue no longer shows it.
            self.sub.unwatch_conversation(&summary.id);
            self.delivery.forget(&summary.id);
        }
    }

    /// Whether live events of `conversation` go to this connection.
    pub(super) fn sees(&self, conversation: &shared::ConversationId) -> bool {
        self.assigned.contains(conversation) || self.following.contains(conversation)
    }
}
