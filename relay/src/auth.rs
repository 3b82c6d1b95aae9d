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

/// Shortest password accepted for new agents.
pub const MIN_PASSWORD_CHARS: usize = 8;

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
        Ok(agent.filter(|_| matches))
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
    async fn argon2_jobs_run_at_most_two_at_a_time() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..6).map(|_| {
            let (running, most) = (Arc::clone(&running), Arc::clone(&most));
            tokio::spawn(argon2_job(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(30));
                running.fetch_sub(1, Ordering::SeqCst);
            }))
        });
        for job in jobs.collect::<Vec<_>>() {
            job.await.unwrap().unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=ARGON2_AT_ONCE).contains(&most), "{most} ran at once");
    }

    #[test]
    fn emails_are_normalized() {
        assert_eq!(normalize_email("  Ana@Example.COM "), "ana@example.com");
    }
}
