//! A visitor starting a conversation: the service opens it (or returns
//! the open one) while this socket watches it before anything about it
//! is published; the visitor gets the conversation, its queue place and
//! the acknowledgement (case code, expected wait, or when the team is back).

use shared::ServerFrame;

use super::VisitorSession;
use crate::conversations::start::StartRequest;
use crate::conversations::{ServiceError, ServiceResult};
use crate::ws::outbox::Outbox;

impl VisitorSession {
    pub(super) async fn start(
        &mut self,
        request: StartRequest,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let app = std::sync::Arc::clone(&self.app);
        let actor = self
            .actor
            .as_ref()
            .ok_or(ServiceError::NotFound("send hello first"))?;
        let sub = &self.sub;
        let started = app
            .conversations
            .start(actor, request, |c| sub.watch_conversation(&c.id))
            .await?;
        let conversation = started.conversation;
        let grant = actor.grant(&conversation).ok_or(ServiceError::Internal)?;
        self.adopt(&conversation, grant);
        out.push(ServerFrame::Conversation(conversation.summary()));
        if !started.created {
            return Ok(());
        }
        self.send_positions_from_store(out).await;
        let Some(actor) = self.actor.as_ref() else {
            return Ok(());
        };
        let position = self.positions.get(&conversation.id).copied();
        let acknowledgement = app
            .conversations
            .acknowledgement(actor, &conversation, position);
        out.push(ServerFrame::Acknowledgement(acknowledgement));
        Ok(())
    }
}

impl VisitorSession {
    /// A message left through the offline form: the service opens an
    /// offline case with it; the visitor gets the conversation and the
    /// acknowledgement with its code and when to expect an answer.
    pub(super) async fn offline_message(
        &mut self,
        request: StartRequest,
        text: String,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let app = std::sync::Arc::clone(&self.app);
        let actor = self
            .actor
            .as_ref()
            .ok_or(ServiceError::NotFound("send hello first"))?;
        let sub = &self.sub;
        let left = app
            .conversations
            .leave_offline_message(actor, request, text, |c| sub.watch_conversation(&c.id))
            .await?;
        let grant = actor
            .grant(&left.conversation)
            .ok_or(ServiceError::Internal)?;
        self.adopt(&left.conversation, grant);
        out.push(ServerFrame::Conversation(left.conversation.summary()));
        out.push(ServerFrame::Acknowledgement(left.acknowledgement));
        Ok(())
    }
}
