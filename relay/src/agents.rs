//! Creating agents, shared by the admin's socket frame (through the
//! conversation service), the
//! `create-admin` subcommand and first-start bootstrap, so the same rules
//! (email shape, password length, capacity range) apply everywhere.

use crate::auth::{hash_password_blocking, normalize_email, MIN_PASSWORD_CHARS};
use crate::conversations::{ServiceError, ServiceResult};
use crate::secrets::new_id;
use crate::store::{AgentRecord, Store, StoreError};

/// Most concurrent conversations one agent may be given.
pub const MAX_CAPACITY: u32 = 100;

/// A request to create an agent.
#[derive(Debug, Clone)]
pub struct NewAgent {
    pub email: String,
    pub name: String,
    pub password: String,
    pub max_concurrent: u32,
    pub admin: bool,
}

fn validate(request: &NewAgent) -> ServiceResult<()> {
    let email = normalize_email(&request.email);
    let well_formed = email.len() <= 254
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && (host.contains('.') || host == "localhost")
        });
    if !well_formed {
        return Err(ServiceError::Invalid("email is not a valid address".into()));
    }
    if request.name.trim().is_empty() || request.name.chars().count() > 100 {
        return Err(ServiceError::Invalid(
            "name must be 1 to 100 characters".into(),
        ));
    }
    if request.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServiceError::Invalid(format!(
            "password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if request.max_concurrent == 0 || request.max_concurrent > MAX_CAPACITY {
        return Err(ServiceError::Invalid(format!(
            "max_concurrent must be 1 to {MAX_CAPACITY}"
        )));
    }
    Ok(())
}

/// Validates, hashes and stores a new agent (offline until it signs in).
pub async fn create_agent(store: &dyn Store, request: NewAgent) -> ServiceResult<AgentRecord> {
    validate(&request)?;
    let password_hash = hash_password_blocking(request.password).await?;
    let record = AgentRecord {
        id: new_id("a").as_str().into(),
        email: normalize_email(&request.email),
        name: request.name.trim().to_owned(),
        password_hash,
        admin: request.admin,
        max_concurrent: request.max_concurrent,
        created_at_ms: crate::now_ms(),
        disabled: false,
        languages: Vec::new(),
        skills: Vec::new(),
    };
    match store.create_agent(&record).await {
        Ok(()) => {
            tracing::info!(agent = %record.id, admin = record.admin, "agent created");
            Ok(record)
        }
        Err(StoreError::Conflict(_)) => Err(ServiceError::Conflict(
            "an agent with that email already exists",
        )),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(email: &str, password: &str, max: u32) -> NewAgent {
        NewAgent {
            email: email.into(),
            name: "Dana".into(),
            password: password.into(),
            max_concurrent: max,
            admin: false,
        }
    }

    #[test]
    fn validation_names_the_problem() {
        assert!(validate(&request("dana@example.com", "long enough", 3)).is_ok());
        assert!(validate(&request("admin@localhost", "long enough", 3)).is_ok());
        assert!(validate(&request("no-at-sign", "long enough", 3))
            .unwrap_err()
            .to_string()
            .contains("email"));
        assert!(validate(&request("@example.com", "long enough", 3))
            .unwrap_err()
            .to_string()
            .contains("email"));
        assert!(validate(&request("dana@example.com", "short", 3))
            .unwrap_err()
            .to_string()
            .contains("password"));
        assert!(validate(&request("dana@example.com", "long enough", 0))
            .unwrap_err()
            .to_string()
            .contains("max_concurrent"));
        assert!(validate(&request("dana@example.com", "long enough", 101))
            .unwrap_err()
            .to_string()
            .contains("max_concurrent"));
    }
}
