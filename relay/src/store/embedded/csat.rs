//! Ratings in the journal store: there are none. Its format predates
//! them and it is only read to move old data into SQLite (see
//! `knowledge`), so it refuses to store any.

use async_trait::async_trait;
use shared::csat::Csat;
use shared::ConversationId;

use super::EmbeddedStore;
use crate::store::csat::CsatStore;
use crate::store::{Conversation, StoreError, StoreResult};

#[async_trait]
impl CsatStore for EmbeddedStore {
    async fn rate_conversation(&self, _: &ConversationId, _: &Csat) -> StoreResult<Conversation> {
        Err(StoreError::Backend(
            "the journal store of earlier versions keeps no ratings; \
             this version moves its data to SQLite on first open"
                .into(),
        ))
    }
}
