//! The relay's one codec: text frames in, [`ServerFrame`]s out. Decoding
//! tells apart the three ways a frame can be bad (not JSON, unknown `type`,
//! known `type` with wrong fields) so each gets its own error code.

use serde::de::DeserializeOwned;
use shared::{ErrorCode, ServerFrame};

/// Why a frame was refused, ready for an `error` frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

/// Decodes a client frame whose `type` must be one of `known_types`.
pub fn decode<T: DeserializeOwned>(text: &str, known_types: &[&str]) -> Result<T, Refusal> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Refusal {
        code: ErrorCode::MalformedJson,
        message: format!("frame is not valid JSON: {e}"),
    })?;
    let kind = value
        .get("type")
        .and_then(|t| t.as_str())
        .map(str::to_owned);
    match kind {
        None => {
            return Err(Refusal {
                code: ErrorCode::UnknownType,
                message: "frame has no string \"type\"".into(),
            })
        }
        Some(kind) if !known_types.contains(&kind.as_str()) => {
            return Err(Refusal {
                code: ErrorCode::UnknownType,
                message: format!("unknown frame type {:?}", truncate(&kind, 40)),
            })
        }
        Some(_) => {}
    }
    serde_json::from_value(value).map_err(|e| Refusal {
        code: ErrorCode::InvalidFrame,
        message: format!("invalid {} frame: {e}", kind.unwrap_or_default()),
    })
}

/// Encodes a frame for the wire.
pub fn encode(frame: &ServerFrame) -> String {
    serde_json::to_string(frame).unwrap_or_else(|e| {
        // Our own types always serialize; if one ever does not, say so
        // without taking the connection down.
        tracing::error!(error = %e, "server frame failed to encode");
        r#"{"type":"error","code":"internal","message":"encoding failed"}"#.to_owned()
    })
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use shared::VisitorFrame;

    use super::*;

    fn refusal(text: &str) -> ErrorCode {
        decode::<VisitorFrame>(text, VisitorFrame::TYPES)
            .unwrap_err()
            .code
    }

    #[test]
    fn each_kind_of_bad_frame_has_its_code() {
        assert_eq!(refusal("{not json"), ErrorCode::MalformedJson);
        assert_eq!(refusal("[1,2]"), ErrorCode::UnknownType);
        assert_eq!(refusal(r#"{"type":7}"#), ErrorCode::UnknownType);
        assert_eq!(
            refusal(r#"{"type":"launch_rockets"}"#),
            ErrorCode::UnknownType
        );
        assert_eq!(refusal(r#"{"type":"add_agent"}"#), ErrorCode::UnknownType);
        assert_eq!(
            refusal(r#"{"type":"send","text":"hi"}"#),
            ErrorCode::InvalidFrame
        );
    }

    #[test]
    fn good_frames_decode() {
        let frame: VisitorFrame = decode(r#"{"type":"start"}"#, VisitorFrame::TYPES).unwrap();
        assert_eq!(frame, VisitorFrame::Start);
    }
}
