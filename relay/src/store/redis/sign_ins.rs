//! Failed-sign-in counters in Redis, shared by every node: one hash per
//! key (`count`, `last`) that expires `window_ms` after the last failure
//! (see `store::sign_ins`). Counting is one MULTI, so racing nodes add up.

use async_trait::async_trait;

use super::RedisStore;
use crate::store::sign_ins::{Failures, SignInFailures};
use crate::store::StoreResult;

#[async_trait]
impl SignInFailures for RedisStore {
    async fn note_sign_in_failure(
        &self,
        key: &str,
        at_ms: u64,
        window_ms: u64,
    ) -> StoreResult<Failures> {
        let key = self.keys.sign_in_failures(key);
        let mut pipe = redis::pipe();
        pipe.atomic()
            .hincr(&key, "count", 1)
            .hset(&key, "last", at_ms)
            .ignore()
            .pexpire(&key, i64::try_from(window_ms).unwrap_or(i64::MAX))
            .ignore();
        let (count,): (u32,) = self.write_pipe(&pipe).await?;
        Ok(Failures {
            count,
            last_ms: at_ms,
        })
    }

    async fn sign_in_failures(&self, key: &str, _now_ms: u64) -> StoreResult<Failures> {
        let (count, last): (Option<u32>, Option<u64>) = self
            .query(
                redis::cmd("HMGET")
                    .arg(self.keys.sign_in_failures(key))
                    .arg("count")
                    .arg("last"),
            )
            .await?;
        Ok(Failures {
            count: count.unwrap_or(0),
            last_ms: last.unwrap_or(0),
        })
    }

    async fn clear_sign_in_failures(&self, key: &str) -> StoreResult<()> {
        self.write(redis::cmd("DEL").arg(self.keys.sign_in_failures(key)))
            .await
            .map(|_: i64| ())
    }
}
