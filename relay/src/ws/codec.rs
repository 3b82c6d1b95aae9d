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
///
/// Good frames (nearly all) take one typed parse; only a frame that fails it
/// is parsed again as a generic value to tell which refusal it gets. (Going
/// through `serde_json::Value` first for every frame cost more:
/// `cargo bench -p relay --bench hot_paths`, BENCHMARKS.md.)
pub fn decode<T: DeserializeOwned>(text: &str, known_types: &[&str]) -> Result<T, Refusal> {
    serde_json::from_str::<T>(text).map_err(|typed| refusal(text, known_types, &typed))
}

/// Why `text` is not a valid frame: not JSON, an unknown `type`, or a known
/// `type` with wrong fields (`typed` is the typed parse's complaint).
fn refusal(text: &str, known_types: &[&str], typed: &serde_json::Error) -> Refusal {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            return Refusal {
                code: ErrorCode::MalformedJson,
                message: format!("frame is not valid JSON: {e}"),
            }
        }
    };
    match value.get("type").and_then(|t| t.as_str()) {
        None => Refusal {
            code: ErrorCode::UnknownType,
            message: "frame has no string \"type\"".into(),
        },
        Some(kind) if !known_types.contains(&kind) => Refusal {
            code: ErrorCode::UnknownType,
            message: format!("unknown frame type {:?}", truncate(kind, 40)),
        },
        Some(kind) => Refusal {
            code: ErrorCode::InvalidFrame,
            message: format!("invalid {kind} frame: {typed}"),
        },
    }
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
        assert_eq!(frame, VisitorFrame::start(None));
    }
}
