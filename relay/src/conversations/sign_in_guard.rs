//! Password guessing slows down for good: failed sign-ins are counted per
//! account and per address in the store (so reconnecting, or trying
//! another node, does not reset them), and past a free allowance each
//! further try must wait twice as long as the last, before any password
//! is hashed. One address also hashes at most [`AT_ONCE_PER_ADDRESS`]
//! passwords at a time on a node, its other tries waiting their turn and
//! checked against the count only then: a flood of simultaneous tries
//! cannot fill the argon2 queue, so real sign-ins from elsewhere still
//! get their turn. Session-token sign-ins
//! are not counted: tokens cannot be guessed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{ConversationService, ServiceError, ServiceResult};
use crate::secrets::token_hash;
use crate::store::Failures;

/// Failures an account is allowed before it must wait.
const FREE_PER_ACCOUNT: u32 = 5;
/// Failures an address is allowed (a company's agents may share one).
const FREE_PER_ADDRESS: u32 = 20;
/// The longest wait.
const MAX_WAIT_MS: u64 = 15 * 60 * 1000;
/// How long after the last failure the count is forgotten.
const WINDOW_MS: u64 = 60 * 60 * 1000;
/// Password sign-ins one address may have hashing at once on a node
/// (the node hashes `auth::ARGON2_AT_ONCE` at a time in all).
pub const AT_ONCE_PER_ADDRESS: usize = 2;
/// Addresses remembered before idle ones are forgotten.
const FORGET_ABOVE: usize = 10_000;

/// Per address, the sign-ins that may hash at once on this node.
#[derive(Debug, Default)]
pub(super) struct InFlight(Mutex<HashMap<IpAddr, Arc<Semaphore>>>);

impl InFlight {
    /// Waits for `peer`'s turn: an address's extra tries queue behind its
    /// own, never in front of other addresses'.
    pub(super) async fn take(&self, peer: Option<IpAddr>) -> Option<OwnedSemaphorePermit> {
        let peer = peer?;
        let turns = {
            // Plain counters: usable after a panic elsewhere.
            let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if map.len() > FORGET_ABOVE {
                map.retain(|_, turns| Arc::strong_count(turns) > 1);
            }
            Arc::clone(
                map.entry(peer)
                    .or_insert_with(|| Arc::new(Semaphore::new(AT_ONCE_PER_ADDRESS))),
            )
        };
        turns.acquire_owned().await.ok()
    }
}

/// How long a key with `failures` must still wait at `now`: nothing for
/// the first `free`, then `base_ms` doubling with each further failure
/// (at most [`MAX_WAIT_MS`]), counted from the last failure.
pub fn wait_ms(failures: Failures, free: u32, base_ms: u64, now: u64) -> Option<u64> {
    let over = failures.count.checked_sub(free)?;
    let wait = base_ms
        .saturating_mul(1u64 << over.min(32))
        .min(MAX_WAIT_MS);
    let until = failures.last_ms.saturating_add(wait);
    (until > now).then(|| until - now)
}

/// The counted keys of one password sign-in: the account, and the
/// address if known. Hashed: no email or address becomes a store key.
pub(super) fn keys(email: &str, peer: Option<IpAddr>) -> Vec<(String, u32)> {
    let mut keys = vec![(
        token_hash(&format!("account:{}", email.trim().to_lowercase())),
        FREE_PER_ACCOUNT,
    )];
    if let Some(peer) = peer {
        keys.push((token_hash(&format!("address:{peer}")), FREE_PER_ADDRESS));
    }
    keys
}

impl ConversationService {
    /// Refuses a sign-in whose account or address must still wait.
    pub(super) async fn sign_in_allowed(&self, keys: &[(String, u32)]) -> ServiceResult<()> {
        let now = crate::now_ms();
        let base = shared::limits::duration_ms(self.limits.sign_in_backoff);
        for (key, free) in keys {
            let failures = self.store.sign_in_failures(key, now).await?;
            if let Some(wait) = wait_ms(failures, *free, base, now) {
                return Err(ServiceError::SignInLocked {
                    retry_after_ms: wait.max(1),
                });
            }
        }
        Ok(())
    }

    /// Counts a failed sign-in against every key.
    pub(super) async fn sign_in_failed(&self, keys: &[(String, u32)]) -> ServiceResult<()> {
        let now = crate::now_ms();
        for (key, _) in keys {
            self.store.note_sign_in_failure(key, now, WINDOW_MS).await?;
        }
        Ok(())
    }

    /// A good sign-in forgives the account (not the address).
    pub(super) async fn sign_in_succeeded(&self, keys: &[(String, u32)]) -> ServiceResult<()> {
        if let Some((account, _)) = keys.first() {
            self.store.clear_sign_in_failures(account).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(count: u32, last_ms: u64) -> Failures {
        Failures { count, last_ms }
    }

    #[test]
    fn waits_start_after_the_allowance_and_double() {
        assert_eq!(wait_ms(failed(4, 1_000), 5, 1_000, 1_000), None);
        assert_eq!(wait_ms(failed(5, 1_000), 5, 1_000, 1_000), Some(1_000));
        assert_eq!(wait_ms(failed(6, 1_000), 5, 1_000, 1_000), Some(2_000));
        assert_eq!(wait_ms(failed(8, 1_000), 5, 1_000, 1_500), Some(7_500));
        assert_eq!(
            wait_ms(failed(6, 1_000), 5, 1_000, 3_000),
            None,
            "waited enough"
        );
        assert_eq!(
            wait_ms(failed(200, 0), 5, 1_000, 0),
            Some(MAX_WAIT_MS),
            "capped, no overflow"
        );
    }

    #[test]
    fn accounts_are_case_insensitive_and_keys_are_hashed() {
        let a = keys(" Ada@Example.com", None);
        let b = keys("ada@example.com", Some("127.0.0.1".parse().unwrap()));
        assert_eq!(a[0], b[0]);
        assert_eq!(b.len(), 2);
        assert!(!b[0].0.contains("ada") && !b[1].0.contains("127"));
    }
}
