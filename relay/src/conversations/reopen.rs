//! Opening a closed conversation again: the customer came back about the
//! same thing (by email, by phone, or the agent closed too early), and
//! the agent wants the thread, its history and its customer card rather
//! than a new conversation. Reports count it as a reopening.

use shared::{ConversationId, ConversationStatus};

use super::{ConversationService, ServiceError, ServiceResult};
use crate::store::{AgentRecord, Conversation, StoreError};

const NO_SUCH: ServiceError = ServiceError::NotFound("no such conversation");

impl ConversationService {
    /// Opens a closed conversation again: the agent who had it, or an
    /// admin. It goes to this agent when they are online with room, else
    /// it waits in the queue for routing like any other. `NotClosed` for
    /// an open one; `VisitorBusy` when its visitor has another
    /// conversation open (a visitor has one at a time).
    pub async fn reopen(
        &self,
        agent: &AgentRecord,
        id: &ConversationId,
    ) -> ServiceResult<Conversation> {
        let found = self.store.conversation(id).await?.ok_or(NO_SUCH)?;
        if !agent.admin && found.agent.as_ref() != Some(&agent.id) {
            return Err(NO_SUCH);
        }
        if found.status != ConversationStatus::Closed {
            return Err(ServiceError::NotClosed);
        }
        let now = self.clock.now_ms();
        let reopened = match self.store.reopen_conversation(id, now).await {
            Ok(reopened) => reopened,
            // Reopened by someone else a moment ago.
            Err(StoreError::NotFound) => return Err(ServiceError::NotClosed),
            Err(StoreError::Conflict(_)) => return Err(ServiceError::VisitorBusy),
            Err(e) => return Err(e.into()),
        };
        tracing::info!(conversation = %id, by = %agent.id, "conversation reopened");
        // Its visitor left long ago, maybe: if it has to wait, the
        // abandoned-queue sweep counts from now, not from their last visit.
        if let Err(e) = self
            .store
            .touch_visitors(std::slice::from_ref(id), now)
            .await
        {
            tracing::warn!(error = %e, conversation = %id, "reopened conversation's visitor not touched");
        }
        self.reopened_fact(&reopened, &agent.id).await;
        let now_with = match self.store.assign(id, &agent.id, now).await {
            Ok(taken) => taken,
            // Away, full, or routing was quicker: it waits or is someone's.
            Err(StoreError::AgentUnavailable | StoreError::Conflict(_)) => reopened,
            Err(e) => return Err(e.into()),
        };
        self.after_change(&now_with, None, true).await;
        Ok(now_with)
    }
}
