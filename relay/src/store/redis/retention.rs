//! [`RetentionStore`] for [`RedisStore`] (the rules are in
//! `store::retention`). Nothing here scans the keyspace: two sorted sets
//! name the candidates, oldest first. `{p}closed` holds closed
//! conversations by `closed_at_ms` (added by `close_conversation.lua`);
//! `{p}visitors-by-time` holds visitors by `created_at_ms` while they are
//! anonymous (added by `create_visitor.lua`, and again when erasure or
//! retention leaves one without contact and conversations; removed when
//! one is linked or opens a conversation). Each batch is one script that
//! takes the oldest entries below the cutoff, checks each record again,
//! and deletes it with every key it owns. Scripts run one at a time, so
//! relays sweeping at once each delete (and count) different records.
//!
//! Sessions need nothing: Redis expires each a minute after it ends
//! (`ops::SESSION_GRACE_MS`), however the retention is set.
//!
//! Data stored before these indexes existed is indexed once, the first
//! time a sweep runs (`{p}retention-indexed` records it), a page of
//! visitors per script call.

use async_trait::async_trait;

use super::scripts::unexpected;
use super::RedisStore;
use crate::store::{RetentionStore, StoreResult};

/// Keys one indexing call reads with `SCAN` (keeps each call short).
const INDEX_PAGE: usize = 500;

/// A script's `{'ok', count}` reply.
fn count(payload: &[String]) -> StoreResult<usize> {
    payload
        .first()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| unexpected("ok"))
}

/// `text` matched literally by a `SCAN ... MATCH` pattern.
fn glob_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

impl RedisStore {
    /// Indexes the visitors and closed conversations stored before the
    /// retention indexes existed, once per Redis. Safe on several relays
    /// at once: indexing a record twice leaves the same index, and a
    /// record deleted meanwhile is found gone by the sweep.
    async fn index_for_retention(&self) -> StoreResult<()> {
        let flag = self.keys.retention_indexed();
        if self.query::<bool>(redis::cmd("EXISTS").arg(&flag)).await? {
            return Ok(());
        }
        let pattern = format!("{}visitor:*", glob_literal(self.keys.prefix()));
        let mut cursor = String::from("0");
        loop {
            let mut call = self.scripts.index_for_retention.prepare_invoke();
            call.key(self.keys.closed())
                .key(self.keys.visitors_by_time())
                .arg(self.keys.prefix())
                .arg(&cursor)
                .arg(&pattern)
                .arg(INDEX_PAGE);
            let payload = self.eval_ok(&call).await?;
            cursor = payload.into_iter().next().ok_or_else(|| unexpected("ok"))?;
            if cursor == "0" {
                break;
            }
        }
        let _: () = self.write(redis::cmd("SET").arg(&flag).arg("1")).await?;
        tracing::info!("indexed stored visitors and closed conversations for retention");
        Ok(())
    }

    /// Runs one batch script with `indexes` as its keys (after indexing
    /// older data, the first time).
    async fn sweep_batch(
        &self,
        script: &redis::Script,
        indexes: &[String],
        before_ms: u64,
        max: usize,
    ) -> StoreResult<usize> {
        if max == 0 {
            return Ok(0);
        }
        self.index_for_retention().await?;
        let mut call = script.prepare_invoke();
        for key in indexes {
            call.key(key);
        }
        call.arg(self.keys.prefix()).arg(before_ms).arg(max);
        count(&self.eval_ok(&call).await?)
    }
}

#[async_trait]
impl RetentionStore for RedisStore {
    async fn delete_closed_conversations(
        &self,
        closed_before_ms: u64,
        max: usize,
    ) -> StoreResult<usize> {
        let indexes = [self.keys.closed(), self.keys.visitors_by_time()];
        let script = &self.scripts.delete_closed_conversations;
        self.sweep_batch(script, &indexes, closed_before_ms, max)
            .await
    }

    async fn delete_anonymous_visitors(
        &self,
        created_before_ms: u64,
        max: usize,
    ) -> StoreResult<usize> {
        let indexes = [self.keys.visitors_by_time()];
        let script = &self.scripts.delete_anonymous_visitors;
        self.sweep_batch(script, &indexes, created_before_ms, max)
            .await
    }

    async fn delete_expired_sessions(&self, _before_ms: u64, _max: usize) -> StoreResult<usize> {
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    #[test]
    fn a_prefix_is_matched_literally() {
        assert_eq!(glob_literal("{sb}:"), "{sb}:");
        assert_eq!(glob_literal("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
    }

    #[test]
    fn a_reply_without_a_count_is_an_error() {
        assert_eq!(count(&["3".to_owned()]).unwrap(), 3);
        assert!(matches!(count(&[]), Err(StoreError::Corrupt(_))));
    }
}
