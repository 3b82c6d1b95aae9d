//! Rating a conversation in SQLite: the check (closed, not rated) and the
//! write in one call, so in one savepoint.

use async_trait::async_trait;
use rusqlite::params;
use shared::csat::Csat;
use shared::ConversationId;

use super::codec::conversation_row;
use super::worker::sql;
use super::{to_json, SqliteStore};
use crate::store::csat::{CsatStore, ALREADY_RATED, NOT_CLOSED};
use crate::store::{Conversation, StoreError, StoreResult};

#[async_trait]
impl CsatStore for SqliteStore {
    async fn rate_conversation(
        &self,
        conversation: &ConversationId,
        csat: &Csat,
    ) -> StoreResult<Conversation> {
        let id = conversation.to_string();
        let body = to_json(csat)?;
        self.call(move |c| {
            let current = conversation_row(c, &id)?.ok_or(StoreError::NotFound)?;
            if current.is_open() {
                return Err(StoreError::Conflict(NOT_CLOSED));
            }
            if current.csat.is_some() {
                return Err(StoreError::Conflict(ALREADY_RATED));
            }
            c.execute(
                "UPDATE conversations SET csat = ?2, version = version + 1
                   WHERE id = ?1 AND csat IS NULL",
                params![id, body],
            )
            .map_err(sql)?;
            conversation_row(c, &id)?.ok_or(StoreError::NotFound)
        })
        .await
    }
}
