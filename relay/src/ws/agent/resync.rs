//! An agent connection whose queue overflowed reads its desk again: the
//! hub dropped events for it (see `hub::mailbox`), so the store's state is
//! announced to the session as if the bus had delivered it, and the
//! session's usual rules (versions, deltas, seq positions) sort out what
//! the console already has.

use std::collections::HashSet;
use std::sync::Arc;

use shared::ConversationId;

use super::AgentSession;
use crate::bus::Event;
use crate::conversations::Actor;
use crate::store::Conversation;
use crate::ws::connection::RoleSession;
use crate::ws::outbox::Outbox;

impl AgentSession {
    pub(super) async fn resync_desk(&mut self, out: &mut Outbox) {
        self.delivery.resync();
        let Some(agent) = self.agent.clone() else {
            return;
        };
        let app = Arc::clone(&self.app);
        let service = &app.conversations;
        let desk = match service.desk(&agent).await {
            Ok(desk) => desk,
            Err(e) => {
                tracing::warn!(error = %e, agent = %agent.id, "resync failed; the console resumes on its next reconnect");
                return;
            }
        };
        let mut known: HashSet<ConversationId> =
            desk.conversations.iter().map(|c| c.id.clone()).collect();
        let mut snapshots: Vec<Conversation> = desk.conversations;
        // Those that may have left this agent, or the queue, meanwhile.
        let others: Vec<ConversationId> = self
            .assigned
            .iter()
            .chain(&self.following)
            .filter(|id| known.insert((*id).clone()))
            .cloned()
            .collect();
        for id in others {
            match service.readable(Actor::Agent(&agent), &id).await {
                Ok(conversation) => snapshots.push(conversation),
                Err(e) => {
                    tracing::warn!(error = %e, conversation = %id, "resync could not read a conversation")
                }
            }
        }
        for conversation in &snapshots {
            self.on_event(Arc::new(Event::changed(conversation, None)), out)
                .await;
        }
        let waiting = desk.waiting.iter().map(Conversation::summary).collect();
        self.on_event(Arc::new(Event::QueueChanged { waiting }), out)
            .await;
    }
}
