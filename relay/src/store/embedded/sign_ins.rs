//! Failed-sign-in counters of the journal store: in memory, beside the
//! journaled state (see `store::sign_ins`).

use async_trait::async_trait;

use super::EmbeddedStore;
use crate::store::sign_ins::{Failures, SignInFailures};
use crate::store::StoreResult;

#[async_trait]
impl SignInFailures for EmbeddedStore {
    async fn note_sign_in_failure(
        &self,
        key: &str,
        at_ms: u64,
        window_ms: u64,
    ) -> StoreResult<Failures> {
        Ok(self.sign_ins.note(key, at_ms, window_ms))
    }

    async fn sign_in_failures(&self, key: &str, now_ms: u64) -> StoreResult<Failures> {
        Ok(self.sign_ins.get(key, now_ms))
    }

    async fn clear_sign_in_failures(&self, key: &str) -> StoreResult<()> {
        self.sign_ins.clear(key);
        Ok(())
    }
}
