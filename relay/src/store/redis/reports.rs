//! [`ReportStore`] for [`RedisStore`]: one string per site, bucket and
//! row key, its counters 32-bit big-endian integers by slot (exactly what
//! `crate::reports::row::decode` reads), grown with `BITFIELD … OVERFLOW
//! SAT INCRBY`, and a sorted set indexing the site's rows by bucket (see
//! the layout in [`super`]). One script first claims the fact's key with
//! `SET NX`, so racing nodes count a fact once. A period is one
//! `ZRANGEBYSCORE` on the index, then `MGET`s of its rows in chunks.

use async_trait::async_trait;
use redis::ScriptInvocation;
use shared::SiteId;

use super::scripts::unexpected;
use super::{keys, RedisStore};
use crate::reports::row::{self, Add, Row};
use crate::store::reports::FACT_KEY_TTL_MS;
use crate::store::{ReportStore, StoreError, StoreResult};

/// Rows read per `MGET` (a year of a busy site's rows is a few of them).
const ROWS_PER_READ: usize = 1_024;

/// The largest increment `BITFIELD … u32` is sent: a counter saturates
/// there anyway, and Redis refuses an increment beyond `i64`.
const MAX_BY: u64 = u32::MAX as u64;

impl RedisStore {
    /// Adds the site's row index and one row key per add to a script
    /// call, with each add's arguments, in the order `grow_report_rows`
    /// (the scripts' prelude) reads them.
    pub(super) fn report_adds(&self, call: &mut ScriptInvocation<'_>, site: &str, adds: &[Add]) {
        call.key(self.keys.report_rows(site));
        for add in adds {
            call.key(self.keys.report_row(site, add.bucket_ms, &add.row))
                .arg(keys::report_row_member(add.bucket_ms, &add.row))
                .arg(add.bucket_ms)
                .arg(add.slot)
                .arg(add.by.min(MAX_BY));
        }
    }
}

#[async_trait]
impl ReportStore for RedisStore {
    async fn record_fact(&self, site: &SiteId, key: &str, adds: &[Add]) -> StoreResult<bool> {
        if !keys::addressable(site.as_str()) {
            return Err(StoreError::Conflict("invalid id"));
        }
        let site = site.as_str();
        let mut call = self.scripts.record_fact.prepare_invoke();
        call.key(self.keys.report_fact(site, key))
            .arg(FACT_KEY_TTL_MS);
        self.report_adds(&mut call, site, adds);
        let (word, payload) = self.eval(&call).await?;
        match (word.as_str(), payload.first().map(String::as_str)) {
            ("ok", Some("1")) => Ok(true),
            ("ok", Some("0")) => Ok(false),
            _ => Err(unexpected(&word)),
        }
    }

    async fn rollup(&self, site: &SiteId, from_ms: u64, to_ms: u64) -> StoreResult<Vec<Row>> {
        if !keys::addressable(site.as_str()) || from_ms >= to_ms {
            return Ok(Vec::new());
        }
        let site = site.as_str();
        let members: Vec<String> = self
            .query(
                redis::cmd("ZRANGEBYSCORE")
                    .arg(self.keys.report_rows(site))
                    .arg(from_ms)
                    .arg(format!("({to_ms}")),
            )
            .await?;
        let mut listed = Vec::with_capacity(members.len());
        for member in &members {
            let (bucket_ms, key) = keys::report_row_of_member(member)
                .ok_or_else(|| StoreError::Corrupt(format!("report row member {member:?}")))?;
            // Scores are doubles; the member holds the exact bucket.
            if (from_ms..to_ms).contains(&bucket_ms) {
                listed.push((bucket_ms, key));
            }
        }
        let mut rows = Vec::with_capacity(listed.len());
        for chunk in listed.chunks(ROWS_PER_READ) {
            let mut mget = redis::cmd("MGET");
            for (bucket_ms, key) in chunk {
                mget.arg(self.keys.report_row(site, *bucket_ms, key));
            }
            let read: Vec<Option<Vec<u8>>> = self.query(&mget).await?;
            // A listed row without its string is never written; it reads
            // as no row rather than as zeros.
            rows.extend(
                chunk
                    .iter()
                    .zip(read)
                    .filter_map(|((bucket_ms, key), bytes)| {
                        Some(Row {
                            bucket_ms: *bucket_ms,
                            row: (*key).to_owned(),
                            counts: row::decode(&bytes?),
                        })
                    }),
            );
        }
        rows.sort_by(|a, b| (a.bucket_ms, &a.row).cmp(&(b.bucket_ms, &b.row)));
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::keys::{report_row_member, report_row_of_member, Keys};

    #[test]
    fn a_member_reads_back_whatever_its_row_key_holds() {
        for (bucket, row) in [
            (0, "channel:chat"),
            (1_772_411_400_000, "agent:a:b|c%7C d ש"),
            (u64::MAX, ""),
        ] {
            let member = report_row_member(bucket, row);
            assert_eq!(report_row_of_member(&member), Some((bucket, row)));
        }
        assert_eq!(report_row_of_member("channel:chat"), None);
        assert_eq!(report_row_of_member("12"), None);
    }

    #[test]
    fn a_sites_report_keys_share_the_prefix_hash_tag() {
        let keys = Keys::new("{sb}:");
        let all = [
            keys.report_fact("demo", "c_1:opened"),
            keys.report_rows("demo"),
            keys.report_row("demo", 7, "agent:{x}"),
        ];
        for key in all {
            assert!(key.starts_with("{sb}:site:demo:report-"), "{key}");
        }
        assert_eq!(
            keys.report_row("demo", 7, "agent:a:b"),
            "{sb}:site:demo:report-row:7:agent:a:b"
        );
    }
}
