//! Agent passwords (argon2id) and sign-in. Sign-in answers the same way,
//! and does the same work, for an unknown email as for a wrong password: an
//! unknown email is verified against a dummy hash, so neither the message
//! nor the timing tells an attacker which emails exist.
//!
//! Each argon2 run takes 19 MiB, and the allocator keeps freed buffers:
//! fifty agents signing in at once left a relay at 1.3 GiB for good. So at
//! most [`ARGON2_AT_ONCE`] runs happen at a time; the rest queue (which also
//! blunts a sign-in flood).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::store::{AgentRecord, Store, StoreError, StoreResult};

/// Shortest password accepted; in `shared` because the console checks it too.
pub use shared::limits::MIN_PASSWORD_CHARS;

/// Hashes a password with argon2id and a random salt (a PHC string).
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Backend(format!("password hashing failed: {e}")))
}

/// argon2 runs at once, on the blocking pool.
pub const ARGON2_AT_ONCE: usize = 2;
static ARGON2_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(ARGON2_AT_ONCE);

/// Runs one argon2 job on the blocking pool, waiting for a free slot.
async fn argon2_job<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    let _slot = ARGON2_SLOTS
        .acquire()
        .await
        .map_err(|e| StoreError::Backend(format!("argon2 slots closed: {e}")))?;
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|e| StoreError::Backend(format!("argon2 task failed: {e}")))
}

/// Hashes on the blocking pool: argon2 is deliberately slow.
pub async fn hash_password_blocking(password: String) -> Result<String, StoreError> {
    argon2_job(move || hash_password(&password)).await?
}

fn verify(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Emails are compared trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks agent credentials.
#[derive(Debug, Clone)]
pub struct Authenticator {
    dummy_hash: String,
}

impl Authenticator {
    pub fn new() -> Result<Self, StoreError> {
        Ok(Self {
            dummy_hash: hash_password("switchboard-dummy-password")?,
        })
    }

    /// The agent, if `email` and `password` match one; `None` otherwise.
    pub async fn sign_in(
        &self,
        store: &dyn Store,
        email: &str,
        password: &str,
    ) -> StoreResult<Option<AgentRecord>> {
        let agent = store.agent_by_email(&normalize_email(email)).await?;
        let hash = agent
            .as_ref()
            .map_or_else(|| self.dummy_hash.clone(), |a| a.password_hash.clone());
        let password = password.to_owned();
        let matches = argon2_job(move || verify(&hash, &password)).await?;
        // A disabled agent is refused like a wrong password: the answer
        // does not say which accounts exist or are disabled.
        Ok(agent.filter(|a| matches && !a.disabled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_only_the_right_password() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify(&hash, "correct horse"));
        assert!(!verify(&hash, "correct horsE"));
        assert!(!verify("not a phc string", "x"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn argon2_jobs_run_exactly_two_at_a_time() {
        use std::sync::{Arc, Condvar, Mutex};
        use std::time::Duration;

        /// Jobs inside a slot now and at most; arrivals at the meeting point.
        #[derive(Default)]
        struct Slots {
            inside: usize,
            most: usize,
            arrived: usize,
            meetings: usize,
        }
        let slots = Arc::new((Mutex::new(Slots::default()), Condvar::new()));
        // The marker: jobs meet in groups of ARGON2_AT_ONCE, and none
        // leaves its slot before its group is complete. Were fewer slots
        // to run at once, a group would never complete and the wait would
        // time out; once a group is complete, no slot is left for a third.
        let jobs: Vec<_> = (0..3 * ARGON2_AT_ONCE)
            .map(|_| {
                let slots = Arc::clone(&slots);
                tokio::spawn(argon2_job(move || {
                    let (lock, met) = &*slots;
                    let mut s = lock.lock().unwrap();
                    s.inside += 1;
                    s.most = s.most.max(s.inside);
                    s.arrived += 1;
                    let free = if s.arrived == ARGON2_AT_ONCE {
                        s.arrived = 0;
                        s.meetings += 1;
                        met.notify_all();
                        Some(ARGON2_SLOTS.available_permits())
                    } else {
                        let meeting = s.meetings;
                        let (woken, wait) = met
                            .wait_timeout_while(s, Duration::from_secs(10), |now| {
                                now.meetings == meeting
                            })
                            .unwrap();
                        assert!(!wait.timed_out(), "no other argon2 job ran alongside");
                        s = woken;
                        None
                    };
                    s.inside -= 1;
                    free
                }))
            })
            .collect();
        for job in jobs {
            if let Some(free) = job.await.unwrap().unwrap() {
                assert_eq!(free, 0, "a slot was free while {ARGON2_AT_ONCE} jobs ran");
            }
        }
        let most = slots.0.lock().unwrap().most;
        assert_eq!(most, 2, "{most} ran at once");
    }

    #[test]
    fn emails_are_normalized() {
        assert_eq!(normalize_email("  Ana@Example.COM "), "ana@example.com");
    }
}
