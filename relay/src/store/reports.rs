//! Report roll-ups as stores keep them: per site, rows of counters, one
//! per (bucket, row key), grown by the increments of each fact recorded,
//! and the keys of the facts already counted. What a fact means, which
//! rows and slots it adds to and how counters are encoded is
//! `crate::reports`'s business; a store only adds up, once per key,
//! atomically. A 30-day report then reads a few thousand rows instead of
//! every conversation and message in the period.

use async_trait::async_trait;
use shared::SiteId;

use super::StoreResult;
use crate::reports::row::{Add, Row};

/// How long the Redis store remembers a fact key (a fact recorded again
/// after that, which no step does, would count twice).
pub const FACT_KEY_TTL_MS: u64 = 400 * 86_400_000;

/// The roll-ups' durable data. Every write is atomic.
#[async_trait]
pub trait ReportStore: Send + Sync + std::fmt::Debug + 'static {
    /// Adds every increment to its row's slot, if `key` was never recorded
    /// for `site`, and remembers the key; returns `true` then. A key
    /// recorded before changes nothing and returns `false`, however many
    /// nodes record it at once: the check and the sums are one step.
    async fn record_fact(&self, site: &SiteId, key: &str, adds: &[Add]) -> StoreResult<bool>;

    /// The site's rows whose bucket starts in `[from_ms, to_ms)`, each
    /// with its counters (trailing zeros may be left off), sorted by
    /// bucket then row key.
    async fn rollup(&self, site: &SiteId, from_ms: u64, to_ms: u64) -> StoreResult<Vec<Row>>;
}
