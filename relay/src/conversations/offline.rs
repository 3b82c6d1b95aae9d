//! Offline messages: when nobody can answer (outside hours, or no agent
//! online), the widget's form leaves a message instead of joining a queue
//! nobody serves. It becomes a case like any chat (code, timeline item,
//! first message) marked `route.offline`: routing leaves it alone, agents
//! find it under "Offline messages" and take it; the answer reaches the
//! visitor in the widget when they come back, and by email (`crate::mail`).

use shared::card::Acknowledgement;
use shared::{ClientMsgId, ConversationId};

use super::actor::VisitorActor;
use super::start::StartRequest;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::secrets::new_id;
use crate::store::Conversation;

/// The case an offline message opened (or the open one it joined), and
/// what the visitor is told.
#[derive(Debug)]
pub struct OfflineLeft {
    pub conversation: Conversation,
    pub acknowledgement: Acknowledgement,
}

impl ConversationService {
    /// Opens an offline case with `text` as its first message. The form
    /// asks for an email (the answer goes there too); the name is optional.
    pub async fn leave_offline_message(
        &self,
        actor: &VisitorActor,
        request: StartRequest,
        text: String,
        watch: impl FnOnce(&Conversation) + Send,
    ) -> ServiceResult<OfflineLeft> {
        super::messages::check_text(&text, self.limits.max_text_chars)?;
        let details = request
            .details
            .clone()
            .filter(|d| d.email.is_some())
            .ok_or_else(|| ServiceError::Invalid("an offline message needs an email".into()))?;
        if let Err(problem) = details.check() {
            return Err(ServiceError::InvalidDetails(problem));
        }
        self.floods.start(&actor.site.id, actor.peer)?;
        let now = self.clock.now_ms();
        let contact = self.take_details(actor, &details, now).await?;
        let route = self.route_for(actor, &request, true).await?;
        let id: ConversationId = new_id("c").as_str().into();
        let (opened, created) = self
            .store
            .open_routed_conversation(&actor.visitor, &id, &route, now)
            .await?;
        watch(&opened);
        if created {
            self.opened_fact(&opened).await;
        }
        let grant = actor.grant(&opened).ok_or(ServiceError::Internal)?;
        self.post(&grant, ClientMsgId::from(new_id("m").as_str()), text)
            .await?;
        if created {
            tracing::info!(conversation = %opened.id, "offline message left");
            self.record_on_timeline(actor, Some(contact), &opened, now)
                .await;
        }
        let conversation = self.store.conversation(&opened.id).await?.unwrap_or(opened);
        self.after_change(&conversation, None, created).await;
        let acknowledgement = self.acknowledgement(actor, &conversation, None);
        Ok(OfflineLeft {
            conversation,
            acknowledgement,
        })
    }
}
