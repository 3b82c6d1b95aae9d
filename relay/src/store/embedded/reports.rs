//! Report roll-ups in the journal store: there are none. The journal
//! format predates reports and is only read to move old data directories
//! into SQLite (`handover`), so it records no facts and reads no rows.

use async_trait::async_trait;
use shared::SiteId;

use super::EmbeddedStore;
use crate::reports::row::{Add, Row};
use crate::store::{ReportStore, StoreError, StoreResult};

#[async_trait]
impl ReportStore for EmbeddedStore {
    async fn record_fact(&self, _: &SiteId, _: &str, _: &[Add]) -> StoreResult<bool> {
        Err(StoreError::Backend(
            "the journal store of earlier versions keeps no reports; \
             this version moves its data to SQLite on first open"
                .into(),
        ))
    }

    async fn rollup(&self, _: &SiteId, _: u64, _: u64) -> StoreResult<Vec<Row>> {
        Ok(Vec::new())
    }
}
