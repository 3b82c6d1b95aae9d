//! Typed error codes. Clients branch on the code; the accompanying message
//! is for humans and logs and never carries server internals.

use serde::{Deserialize, Serialize};

/// Why the relay refused a frame. Sent in `{"type":"error","code":...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not valid JSON.
    MalformedJson,
    /// The frame's `type` is missing or not one this role may send.
    UnknownType,
    /// The frame's `type` is known but its fields are missing or wrong.
    InvalidFrame,
    /// The first frame must be `hello`.
    HelloRequired,
    /// `hello` was sent twice on one connection.
    AlreadyGreeted,
    /// The client's protocol version is not supported.
    UnsupportedProtocol,
    /// The site id is not known to this relay.
    UnknownSite,
    /// The visitor token is not valid for this site.
    InvalidToken,
    /// Sign-in failed. Deliberately the same for unknown email and wrong password.
    AuthFailed,
    /// The signed-in agent may not do this (e.g. not an admin).
    Forbidden,
    /// No such conversation for this client. Also used for conversations that
    /// exist but belong to someone else, so existence is not revealed.
    NotFound,
    /// The target agent does not exist.
    UnknownAgent,
    /// The conversation is closed.
    ConversationClosed,
    /// The message text is empty.
    EmptyText,
    /// The message text is longer than the limit.
    TextTooLong,
    /// Too many frames; wait `retry_after_ms` and try again.
    RateLimited,
    /// The target agent is at capacity or not online.
    AgentUnavailable,
    /// An agent with that email already exists.
    AlreadyExists,
    /// The store is unreachable right now; nothing was stored. Retry later.
    Unavailable,
    /// Something failed inside the relay; it was logged.
    Internal,
    /// An identity token was refused (bad signature, expired, `alg: none`,
    /// another site's, or the site takes none). Nothing was linked.
    InvalidIdentity,
    /// This visitor was already proven to be another user: start a new
    /// visitor (hello without a token) and identify again.
    IdentityConflict,
    /// The pre-chat form's answers were refused (no email or phone, or
    /// one that cannot be real, or a name that is too long).
    InvalidDetails,
    /// A satisfaction rating that is not 1 to 5.
    InvalidRating,
    /// The survey comment is longer than the limit.
    CommentTooLong,
    /// Only a closed conversation can be rated or reopened.
    NotClosed,
    /// The conversation was rated already; a rating is given once.
    AlreadyRated,
    /// A closed conversation cannot be reopened while its visitor has
    /// another one open.
    VisitorBusy,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedJson => "malformed_json",
            Self::UnknownType => "unknown_type",
            Self::InvalidFrame => "invalid_frame",
            Self::HelloRequired => "hello_required",
            Self::AlreadyGreeted => "already_greeted",
            Self::UnsupportedProtocol => "unsupported_protocol",
            Self::UnknownSite => "unknown_site",
            Self::InvalidToken => "invalid_token",
            Self::AuthFailed => "auth_failed",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::UnknownAgent => "unknown_agent",
            Self::ConversationClosed => "conversation_closed",
            Self::EmptyText => "empty_text",
            Self::TextTooLong => "text_too_long",
            Self::RateLimited => "rate_limited",
            Self::AgentUnavailable => "agent_unavailable",
            Self::AlreadyExists => "already_exists",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
            Self::InvalidIdentity => "invalid_identity",
            Self::IdentityConflict => "identity_conflict",
            Self::InvalidDetails => "invalid_details",
            Self::InvalidRating => "invalid_rating",
            Self::CommentTooLong => "comment_too_long",
            Self::NotClosed => "not_closed",
            Self::AlreadyRated => "already_rated",
            Self::VisitorBusy => "visitor_busy",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
