//! A visitor connection whose queue overflowed reads its conversations
//! again: the hub dropped events for it (see `hub::mailbox`), so each
//! conversation's stored state, its messages after the widget's position
//! and its place in the queue are announced to the session anew.

use std::sync::Arc;

use shared::ConversationId;

use super::VisitorSession;
use crate::bus::Event;
use crate::conversations::Actor;
use crate::ws::connection::RoleSession;
use crate::ws::outbox::Outbox;

impl VisitorSession {
    pub(super) async fn resync_conversations(&mut self, out: &mut Outbox) {
        self.delivery.resync();
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let app = Arc::clone(&self.app);
        let service = &app.conversations;
        let owned: Vec<ConversationId> = self.owned.keys().cloned().collect();
        for id in owned {
            match service.readable(Actor::Visitor(&actor), &id).await {
                Ok(conversation) => {
                    self.on_event(Arc::new(Event::changed(&conversation, None)), out)
                        .await
                }
                Err(e) => {
                    tracing::warn!(error = %e, conversation = %id, "resync could not read a conversation")
                }
            }
        }
        self.send_positions_from_store(out).await;
    }
}
