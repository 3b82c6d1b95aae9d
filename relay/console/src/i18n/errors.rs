//! Error codes in words: the relay's codes are one list for every step,
//! and a few read differently depending on what was asked.

use shared::ErrorCode;

use super::Catalog;

impl Catalog {
    /// A human sentence for an error code.
    pub(crate) fn error(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::AuthFailed => self.wrong_password,
            ErrorCode::AlreadyExists => self.agent_exists,
            ErrorCode::Forbidden => self.err_forbidden,
            ErrorCode::NotFound => self.err_not_found,
            ErrorCode::UnknownAgent => self.err_unknown_agent,
            ErrorCode::ConversationClosed => self.err_conversation_closed,
            ErrorCode::VisitorBusy => self.err_visitor_busy,
            ErrorCode::EmptyText => self.err_empty_text,
            ErrorCode::TextTooLong => self.err_text_too_long,
            ErrorCode::RateLimited => self.err_rate_limited,
            ErrorCode::AgentUnavailable => self.err_agent_unavailable,
            ErrorCode::Unavailable => self.err_unavailable,
            _ => self.err_other,
        }
    }

    /// Why a canned reply was not saved: the console's own checks use the
    /// relay's codes for the same refusals.
    pub(crate) fn canned_error(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::InvalidFrame => self.kb.shortcut_invalid,
            ErrorCode::EmptyText => self.kb.reply_empty,
            ErrorCode::Forbidden => self.kb.shared_admins_only,
            other => self.error(other),
        }
    }

    /// An error about an article or a category: "not found" is the
    /// article's, and the relay's only `invalid_frame`s are its fields.
    pub(crate) fn article_error(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::NotFound => self.kb.err_no_article,
            ErrorCode::InvalidFrame => self.kb.err_article_invalid,
            other => self.error(other),
        }
    }

    /// An error about a customer record: "not found" is the record's, not
    /// a conversation's.
    pub(crate) fn record_error(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::NotFound => self.err_no_customer,
            other => self.error(other),
        }
    }
}
