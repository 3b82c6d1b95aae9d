//! What a session wants sent, collected while it handles one frame or event
//! and written by the connection loop afterwards (which also logs refusals
//! and measures delivery latency in one place).

use shared::{ClientMsgId, ConversationId, ErrorCode, Role, ServerFrame};

use crate::conversations::ServiceError;

/// Frames to send, and optionally a close to send after them.
#[derive(Debug, Default)]
pub struct Outbox {
    pub(super) frames: Vec<ServerFrame>,
    pub(super) close: Option<(u16, String)>,
    /// About how many bytes `frames` will take on the wire (chat text
    /// dominates; other frames count a flat estimate).
    pub(super) bytes: usize,
}

/// What a frame other than a message's text is counted as.
const FRAME_OVERHEAD: usize = 256;

impl Outbox {
    pub fn push(&mut self, frame: ServerFrame) {
        self.bytes += match &frame {
            ServerFrame::Message(message) => message.text.len() + FRAME_OVERHEAD,
            _ => FRAME_OVERHEAD,
        };
        self.frames.push(frame);
    }

    /// Queued bytes, roughly (see [`Outbox::push`]): replays stop at a budget.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The other side is typing (or stopped).
    pub fn typing(&mut self, conversation: &ConversationId, role: Role, typing: bool) {
        self.push(ServerFrame::Typing {
            conversation: conversation.clone(),
            role,
            typing,
        });
    }

    pub fn error(&mut self, code: ErrorCode, message: impl Into<String>) {
        self.push(ServerFrame::error(code, message));
    }

    /// A refused step, as the wire says it; internals stay in the log
    /// (the service logged them).
    pub fn refuse(&mut self, error: &ServiceError) {
        self.refuse_about(error, None);
    }

    /// A refused step about one message the client sent.
    pub fn refuse_message(&mut self, error: &ServiceError, client_msg_id: &ClientMsgId) {
        self.refuse_about(error, Some(client_msg_id));
    }

    fn refuse_about(&mut self, error: &ServiceError, client_msg_id: Option<&ClientMsgId>) {
        let (code, retry_after_ms) = error.wire();
        self.push(ServerFrame::Error {
            code,
            message: error.to_string(),
            client_msg_id: client_msg_id.cloned(),
            retry_after_ms,
        });
    }

    pub fn close(&mut self, code: u16, reason: impl Into<String>) {
        self.close = Some((code, reason.into()));
    }
}
