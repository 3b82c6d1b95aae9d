//! What a session wants sent, collected while it handles one frame or event
//! and written by the connection loop afterwards (which also logs refusals
//! and measures delivery latency in one place).

use shared::{ClientMsgId, ErrorCode, ServerFrame};

use crate::store::StoreError;

/// Frames to send, and optionally a close to send after them.
#[derive(Debug, Default)]
pub struct Outbox {
    pub(super) frames: Vec<ServerFrame>,
    pub(super) close: Option<(u16, String)>,
}

impl Outbox {
    pub fn push(&mut self, frame: ServerFrame) {
        self.frames.push(frame);
    }

    pub fn error(&mut self, code: ErrorCode, message: impl Into<String>) {
        self.frames.push(ServerFrame::error(code, message));
    }

    /// An error about one message the client sent.
    pub fn message_error(
        &mut self,
        code: ErrorCode,
        message: impl Into<String>,
        client_msg_id: &ClientMsgId,
        retry_after_ms: Option<u64>,
    ) {
        self.frames.push(ServerFrame::Error {
            code,
            message: message.into(),
            client_msg_id: Some(client_msg_id.clone()),
            retry_after_ms,
        });
    }

    /// The client-facing form of a store failure; internals stay in the log.
    pub fn store_error(&mut self, error: &StoreError, client_msg_id: Option<&ClientMsgId>) {
        let (code, message, retry) = describe(error);
        if matches!(error, StoreError::Backend(_) | StoreError::Corrupt(_)) {
            tracing::error!(%error, "store operation failed");
        }
        self.frames.push(ServerFrame::Error {
            code,
            message: message.into(),
            client_msg_id: client_msg_id.cloned(),
            retry_after_ms: retry,
        });
    }

    pub fn close(&mut self, code: u16, reason: impl Into<String>) {
        self.close = Some((code, reason.into()));
    }
}

fn describe(error: &StoreError) -> (ErrorCode, &'static str, Option<u64>) {
    match error {
        StoreError::NotFound => (ErrorCode::NotFound, "no such conversation", None),
        StoreError::ConversationClosed => (
            ErrorCode::ConversationClosed,
            "the conversation is closed",
            None,
        ),
        StoreError::AgentUnavailable => (
            ErrorCode::AgentUnavailable,
            "that agent is not online or has no free capacity",
            None,
        ),
        StoreError::Conflict(_) => (ErrorCode::AlreadyExists, "that already exists", None),
        StoreError::Backend(_) => (
            ErrorCode::Unavailable,
            "storage is unavailable; nothing was stored, try again",
            Some(1_000),
        ),
        StoreError::Corrupt(_) => (ErrorCode::Internal, "internal error", None),
    }
}
