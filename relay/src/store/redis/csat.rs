//! Rating a conversation in Redis: one script checks that it is closed
//! and unrated and sets the rating (`lua/rate_conversation.lua`).

use async_trait::async_trait;
use shared::csat::Csat;
use shared::ConversationId;

use super::scripts::unexpected;
use super::{codec, unknown_conversation, RedisStore};
use crate::store::csat::CsatStore;
use crate::store::{Conversation, StoreError, StoreResult};

#[async_trait]
impl CsatStore for RedisStore {
    async fn rate_conversation(
        &self,
        conversation: &ConversationId,
        csat: &Csat,
    ) -> StoreResult<Conversation> {
        if unknown_conversation(conversation) {
            return Err(StoreError::NotFound);
        }
        let c = conversation.as_str();
        let mut call = self.scripts.rate_conversation.prepare_invoke();
        call.key(self.keys.conversation(c))
            .arg(c)
            .arg(codec::json(csat, "csat")?);
        let (word, rated) = self.conversation_script(&call).await?;
        match word.as_str() {
            "ok" => Ok(rated),
            other => Err(unexpected(other)),
        }
    }
}
