//! Closing and transferring conversations, and expiring abandoned
//! waiting ones. Each follows the one order of every change: store write (atomic, with its precondition), publish the
//! new snapshot, then assign the queue (capacity was freed).

use shared::{AgentId, ConversationId, ConversationStatus};

use super::actor::Actor;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::store::{AgentRecord, Conversation, StoreError};

impl ConversationService {
    /// Closes a conversation: a visitor its own, an agent one assigned to
    /// it, an admin any. Closing a waiting one changes the queue.
    pub async fn close(
        &self,
        actor: Actor<'_>,
        id: &ConversationId,
    ) -> ServiceResult<Conversation> {
        let before = self.closable(actor, id).await?;
        let closed = self
            .store
            .close_conversation(id, self.clock.now_ms())
            .await?;
        tracing::info!(conversation = %id, by = ?actor_label(actor), "conversation closed");
        let was_waiting = before.status == ConversationStatus::Waiting;
        self.resolved_fact(&closed).await;
        self.after_change(&closed, None, was_waiting).await;
        Ok(closed)
    }

    /// Moves one of `agent`'s conversations to another agent (who must be
    /// online with free capacity).
    pub async fn transfer(
        &self,
        agent: &AgentRecord,
        id: &ConversationId,
        to: &AgentId,
    ) -> ServiceResult<Conversation> {
        self.agent_conversation(agent, id).await?;
        if self.store.agent(to).await?.is_none() {
            return Err(ServiceError::UnknownAgent);
        }
        let moved = self
            .store
            .transfer(id, &agent.id, to, self.clock.now_ms())
            .await?;
        tracing::info!(conversation = %id, from = %agent.id, to = %to, "transferred");
        self.transferred_fact(&moved, &agent.id).await;
        self.after_change(&moved, Some(agent.id.clone()), false)
            .await;
        Ok(moved)
    }
}

impl ConversationService {
    /// Notes the visitors this node holds, then closes the waiting
    /// conversations whose visitor no node has seen for `after_ms` (an
    /// abandoned queue entry: nobody is there to answer). Returns how many.
    pub async fn expire_abandoned(
        &self,
        here: &[ConversationId],
        after_ms: u64,
    ) -> ServiceResult<usize> {
        let now = self.clock.now_ms();
        self.store.touch_visitors(here, now).await?;
        let mut expired = 0;
        for waiting in self.store.waiting().await? {
            // An offline message waits for an agent, not for its visitor.
            if waiting.route.offline {
                continue;
            }
            let seen = waiting.visitor_seen_ms.unwrap_or(waiting.created_at_ms);
            if seen.saturating_add(after_ms) > now {
                continue;
            }
            match self.store.close_conversation(&waiting.id, now).await {
                Ok(closed) => {
                    tracing::info!(conversation = %closed.id, "waiting visitor gone; conversation closed");
                    self.publisher.changed(&closed, None).await;
                    expired += 1;
                }
                // Taken or closed meanwhile: not abandoned after all.
                Err(StoreError::ConversationClosed | StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if expired > 0 {
            self.assign_after_step(true).await;
        }
        Ok(expired)
    }
}

fn actor_label(actor: Actor<'_>) -> String {
    match actor {
        Actor::Visitor(v) => format!("visitor {}", v.visitor.id),
        Actor::Agent(a) => format!("agent {}", a.id),
        Actor::Integration(site) => format!("integration of {}", site.id),
    }
}
