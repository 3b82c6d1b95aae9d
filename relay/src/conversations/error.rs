//! The service layer's one error type. Every refusal of a domain step is a
//! [`ServiceError`]; it maps once to the wire's error codes ([`ServiceError::wire`])
//! and once to HTTP statuses ([`ServiceError::http`]), and the one
//! conversion from [`StoreError`] decides what a client may learn of a
//! store failure (an outage is `unavailable`, never `not_found`).

use axum::http::StatusCode;
use shared::card::{DetailsProblem, PrechatDetails};
use shared::csat::CsatProblem;
use shared::ErrorCode;

use crate::store::StoreError;

/// Why a domain step was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// Does not exist, or exists but the actor may not know it does.
    #[error("{0}")]
    NotFound(&'static str),
    #[error("the conversation is closed")]
    ConversationClosed,
    #[error("no such agent")]
    UnknownAgent,
    #[error("that agent is not online or has no free capacity")]
    AgentUnavailable,
    /// The actor's role may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// A uniqueness rule did not hold.
    #[error("{0}")]
    Conflict(&'static str),
    #[error("sign-in failed: wrong email or password, or an expired session")]
    AuthFailed,
    #[error("visitor token is not valid for this site; send hello without one to start afresh")]
    InvalidToken,
    #[error("{0}")]
    InvalidIdentity(String),
    #[error("this visitor is already identified as someone else; start a new visitor")]
    IdentityConflict,
    #[error("message text is empty")]
    EmptyText,
    #[error("message has {chars} characters; the limit is {max}")]
    TextTooLong { chars: usize, max: usize },
    #[error("{}", describe_details(*.0))]
    InvalidDetails(DetailsProblem),
    /// A field of the request is out of bounds or malformed.
    #[error("{0}")]
    Invalid(String),
    /// A satisfaction rating that is not 1–5 or has too long a comment.
    #[error("{}", describe_csat(*.0))]
    Csat(CsatProblem),
    #[error("the conversation is still open")]
    NotClosed,
    #[error("the visitor has another conversation open")]
    VisitorBusy,
    #[error("this conversation was rated already")]
    AlreadyRated,
    #[error("too many messages; slow down")]
    RateLimited { retry_after_ms: u64 },
    /// Too many new visitors or conversations from one address or site.
    #[error("too many {what} from here; wait before trying again")]
    Flood {
        what: &'static str,
        retry_after_ms: u64,
    },
    /// Too many failed sign-ins of this account or from this address.
    #[error("too many failed sign-ins; wait before trying again")]
    SignInLocked { retry_after_ms: u64 },
    /// The store could not be reached; retrying may succeed.
    #[error("storage is unavailable; nothing was stored, try again")]
    Unavailable,
    /// A bug or corrupt data; the detail went to the log.
    #[error("internal error")]
    Internal,
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// How long a client should wait before retrying after an outage.
const RETRY_AFTER_OUTAGE_MS: u64 = 1_000;

impl ServiceError {
    /// The wire's code and retry hint for this refusal (the message is `Display`).
    pub fn wire(&self) -> (ErrorCode, Option<u64>) {
        let code = match self {
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::ConversationClosed => ErrorCode::ConversationClosed,
            Self::UnknownAgent => ErrorCode::UnknownAgent,
            Self::AgentUnavailable => ErrorCode::AgentUnavailable,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::Conflict(_) => ErrorCode::AlreadyExists,
            Self::AuthFailed => ErrorCode::AuthFailed,
            Self::InvalidToken => ErrorCode::InvalidToken,
            Self::InvalidIdentity(_) => ErrorCode::InvalidIdentity,
            Self::IdentityConflict => ErrorCode::IdentityConflict,
            Self::EmptyText => ErrorCode::EmptyText,
            Self::TextTooLong { .. } => ErrorCode::TextTooLong,
            Self::InvalidDetails(_) => ErrorCode::InvalidDetails,
            Self::Invalid(_) => ErrorCode::InvalidFrame,
            Self::Csat(problem) => problem.code(),
            Self::NotClosed => ErrorCode::NotClosed,
            Self::VisitorBusy => ErrorCode::VisitorBusy,
            Self::AlreadyRated => ErrorCode::AlreadyRated,
            Self::RateLimited { retry_after_ms }
            | Self::SignInLocked { retry_after_ms }
            | Self::Flood { retry_after_ms, .. } => {
                return (ErrorCode::RateLimited, Some(*retry_after_ms))
            }
            Self::Unavailable => return (ErrorCode::Unavailable, Some(RETRY_AFTER_OUTAGE_MS)),
            Self::Internal => ErrorCode::Internal,
        };
        (code, None)
    }

    /// The HTTP status and the API's stable error code for this refusal.
    pub fn http(&self) -> (StatusCode, &'static str) {
        match self {
            Self::NotFound(_) | Self::UnknownAgent => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::ConversationClosed => (StatusCode::CONFLICT, "conversation_closed"),
            Self::AgentUnavailable => (StatusCode::CONFLICT, "agent_unavailable"),
            Self::IdentityConflict => (StatusCode::CONFLICT, "identity_conflict"),
            Self::NotClosed => (StatusCode::CONFLICT, "not_closed"),
            Self::VisitorBusy => (StatusCode::CONFLICT, "visitor_busy"),
            Self::AlreadyRated => (StatusCode::CONFLICT, "already_rated"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::AuthFailed | Self::InvalidToken | Self::InvalidIdentity(_) => {
                (StatusCode::UNAUTHORIZED, "unauthorized")
            }
            Self::EmptyText
            | Self::TextTooLong { .. }
            | Self::InvalidDetails(_)
            | Self::Csat(_)
            | Self::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            Self::RateLimited { .. } | Self::SignInLocked { .. } | Self::Flood { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
            }
            Self::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Self::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound("no such conversation"),
            StoreError::ConversationClosed => Self::ConversationClosed,
            StoreError::AgentUnavailable => Self::AgentUnavailable,
            StoreError::Conflict(_) => Self::Conflict("that already exists"),
            StoreError::Backend(detail) => {
                tracing::error!(%detail, "store unavailable");
                Self::Unavailable
            }
            StoreError::Corrupt(detail) => {
                tracing::error!(%detail, "store returned corrupt data");
                Self::Internal
            }
        }
    }
}

/// The refusal's text; the widget shows its own, translated.
fn describe_details(problem: DetailsProblem) -> String {
    match problem {
        DetailsProblem::NameTooLong => format!(
            "the name is longer than {} characters",
            PrechatDetails::MAX_NAME_CHARS
        ),
        DetailsProblem::BadEmail => "that email address cannot be right".into(),
        DetailsProblem::BadPhone => "a phone number has 7 to 15 digits".into(),
        DetailsProblem::NoContactWay => "give an email address or a phone number".into(),
    }
}

/// The refusal's text; the widget shows its own, translated.
fn describe_csat(problem: CsatProblem) -> String {
    match problem {
        CsatProblem::RatingOutOfRange => "a rating is 1 to 5".into(),
        CsatProblem::CommentTooLong => format!(
            "the comment is longer than {} characters",
            shared::limits::MAX_CSAT_COMMENT_CHARS
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_is_never_reported_as_missing() {
        let outage = ServiceError::from(StoreError::Backend("connection refused".into()));
        assert_eq!(outage, ServiceError::Unavailable);
        assert_eq!(outage.wire(), (ErrorCode::Unavailable, Some(1_000)));
        assert_eq!(outage.http().0, StatusCode::SERVICE_UNAVAILABLE);
        assert!(!outage.to_string().contains("connection refused"));
    }

    #[test]
    fn corrupt_data_stays_in_the_log() {
        let corrupt = ServiceError::from(StoreError::Corrupt("bad json at byte 7".into()));
        assert_eq!(corrupt.wire().0, ErrorCode::Internal);
        assert_eq!(corrupt.to_string(), "internal error");
    }

    #[test]
    fn api_codes_are_stable() {
        assert_eq!(
            ServiceError::NotFound("x").http(),
            (StatusCode::NOT_FOUND, "not_found")
        );
        assert_eq!(
            ServiceError::Conflict("x").http(),
            (StatusCode::CONFLICT, "conflict")
        );
        assert_eq!(
            ServiceError::Invalid("x".into()).http(),
            (StatusCode::BAD_REQUEST, "invalid_request")
        );
    }
}
