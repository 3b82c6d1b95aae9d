//! Agent passwords (argon2id) and sign-in. Sign-in answers the same way,
//! and does the same work, for an unknown email as for a wrong password: an
//! unknown email is verified against a dummy hash, so neither the message
//! nor the timing tells an attacker which emails exist.

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

/// Hashes on the blocking pool: argon2 is deliberately slow.
pub async fn hash_password_blocking(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Backend(format!("hash task failed: {e}")))?
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
        let matches = tokio::task::spawn_blocking(move || verify(&hash, &password))
            .await
            .map_err(|e| StoreError::Backend(format!("verify task failed: {e}")))?;
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

    #[test]
    fn emails_are_normalized() {
        assert_eq!(normalize_email("  Ana@Example.COM "), "ana@example.com");
    }
}
