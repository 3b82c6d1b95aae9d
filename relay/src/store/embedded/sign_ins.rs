//! Failed-sign-in counters of the single-node store: in memory, beside
//! the journaled state (see `store::sign_ins`).

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::EmbeddedStore;
use crate::store::sign_ins::{Failures, SignInFailures};
use crate::store::StoreResult;

/// Keys above which a new failure first drops expired counts.
const PRUNE_ABOVE: usize = 10_000;

/// Counts by key, each with the time it is forgotten.
#[derive(Debug, Default)]
pub(super) struct FailureCounts(Mutex<HashMap<String, (Failures, u64)>>);

impl FailureCounts {
    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Failures, u64)>> {
        // Counters are advisory: a panic elsewhere leaves them usable.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl SignInFailures for EmbeddedStore {
    async fn note_sign_in_failure(
        &self,
        key: &str,
        at_ms: u64,
        window_ms: u64,
    ) -> StoreResult<Failures> {
        let mut counts = self.sign_ins.counts();
        if counts.len() > PRUNE_ABOVE {
            counts.retain(|_, (_, until)| *until > at_ms);
        }
        let entry = counts.entry(key.to_owned()).or_default();
        if entry.1 <= at_ms {
            entry.0 = Failures::default();
        }
        entry.0.count = entry.0.count.saturating_add(1);
        entry.0.last_ms = at_ms;
        entry.1 = at_ms.saturating_add(window_ms);
        Ok(entry.0)
    }

    async fn sign_in_failures(&self, key: &str, now_ms: u64) -> StoreResult<Failures> {
        Ok(self
            .sign_ins
            .counts()
            .get(key)
            .filter(|(_, until)| *until > now_ms)
            .map(|(failures, _)| *failures)
            .unwrap_or_default())
    }

    async fn clear_sign_in_failures(&self, key: &str) -> StoreResult<()> {
        self.sign_ins.counts().remove(key);
        Ok(())
    }
}
