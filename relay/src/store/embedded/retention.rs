//! Retention for the journal store: deletes nothing. This store is only
//! used to write old-format test data for the import (`handover`), never
//! to run a relay, so it has no old data to sweep.

use async_trait::async_trait;

use super::EmbeddedStore;
use crate::store::{RetentionStore, StoreResult};

#[async_trait]
impl RetentionStore for EmbeddedStore {
    async fn delete_closed_conversations(
        &self,
        _before_ms: u64,
        _max: usize,
    ) -> StoreResult<usize> {
        Ok(0)
    }

    async fn delete_anonymous_visitors(&self, _before_ms: u64, _max: usize) -> StoreResult<usize> {
        Ok(0)
    }

    async fn delete_expired_sessions(&self, _before_ms: u64, _max: usize) -> StoreResult<usize> {
        Ok(0)
    }
}
