//! Failed sign-ins, counted per key (an account, an address: the service
//! hashes both, so no email or address is a store key) so password
//! guessing slows down across reconnects and, on Redis, across nodes. A
//! key's count lives until `window_ms` after its last failure; counts are
//! not journaled (a restart of a single node forgives).

use async_trait::async_trait;

use super::StoreResult;

/// A key's failures in its current window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    /// When the last one happened (Unix ms); 0 with no failures.
    pub last_ms: u64,
}

/// The failed-sign-in counters every store keeps.
#[async_trait]
pub trait SignInFailures {
    /// Counts one failure of `key` at `at_ms`; the count is forgotten
    /// `window_ms` after the last failure. Returns the count with this one.
    async fn note_sign_in_failure(
        &self,
        key: &str,
        at_ms: u64,
        window_ms: u64,
    ) -> StoreResult<Failures>;
    /// The failures of `key` still in their window at `now_ms`.
    async fn sign_in_failures(&self, key: &str, now_ms: u64) -> StoreResult<Failures>;
    /// Forgets `key`'s failures (a good sign-in).
    async fn clear_sign_in_failures(&self, key: &str) -> StoreResult<()>;
}

/// Keys above which a new failure first drops expired counts.
const PRUNE_ABOVE: usize = 10_000;

/// Counts kept in memory by a single-node store, by key, each with the
/// time it is forgotten (not persisted: a restart forgives).
#[derive(Debug, Default)]
pub struct FailureCounts(std::sync::Mutex<std::collections::HashMap<String, (Failures, u64)>>);

impl FailureCounts {
    fn counts(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (Failures, u64)>> {
        // Counters are advisory: a panic elsewhere leaves them usable.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// See [`SignInFailures::note_sign_in_failure`].
    pub fn note(&self, key: &str, at_ms: u64, window_ms: u64) -> Failures {
        let mut counts = self.counts();
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
        entry.0
    }

    /// See [`SignInFailures::sign_in_failures`].
    pub fn get(&self, key: &str, now_ms: u64) -> Failures {
        self.counts()
            .get(key)
            .filter(|(_, until)| *until > now_ms)
            .map(|(failures, _)| *failures)
            .unwrap_or_default()
    }

    /// See [`SignInFailures::clear_sign_in_failures`].
    pub fn clear(&self, key: &str) {
        self.counts().remove(key);
    }
}
