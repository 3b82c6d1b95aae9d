//! Report roll-ups as stores keep them: per site, a sum per (hour, agent,
//! channel, field), grown by the cells of each fact recorded, and the
//! keys of the facts already counted. What a fact means and which cells
//! it adds is `crate::reports`'s business; a store only adds up, once per
//! key, atomically. Reports then read a few hundred sums per period
//! instead of every conversation and message in it.

use async_trait::async_trait;
use shared::SiteId;

use super::StoreResult;
use crate::reports::facts::Cell;

/// How long the Redis store remembers a fact key (a fact recorded again
/// after that, which no step does, would count twice).
pub const FACT_KEY_TTL_MS: u64 = 400 * 86_400_000;

/// The roll-ups' durable data. Every write is atomic.
#[async_trait]
pub trait ReportStore: Send + Sync + std::fmt::Debug + 'static {
    /// Adds every cell's `value` to its sum, if `key` was never recorded
    /// for `site`, and remembers the key; returns `true` then. A key
    /// recorded before changes nothing and returns `false`, however many
    /// nodes record it at once: the check and the sums are one step.
    async fn record_fact(&self, site: &SiteId, key: &str, cells: &[Cell]) -> StoreResult<bool>;

    /// The site's sums for the hours in `[from_hour_ms, to_hour_ms)`, one
    /// [`Cell`] per (hour, agent, channel, field) with anything recorded,
    /// sorted. Hours are the multiples of `HOUR_MS` the cells carried.
    async fn rollup(
        &self,
        site: &SiteId,
        from_hour_ms: u64,
        to_hour_ms: u64,
    ) -> StoreResult<Vec<Cell>>;
}
