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
