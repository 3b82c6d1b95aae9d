//! Default limits of protocol v1. The relay may be configured otherwise; a
//! client should treat these as the values to expect.

/// Largest WebSocket message the relay accepts; above it the relay closes
/// the connection with [`CLOSE_TOO_BIG`].
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// Longest chat message, counted in Unicode scalar values (characters).
pub const MAX_TEXT_CHARS: usize = 4_000;

/// Longest satisfaction-survey comment, in characters (see [`crate::csat`]).
pub const MAX_CSAT_COMMENT_CHARS: usize = 1_000;

/// Visitor messages a connection may send in a burst before being limited.
pub const VISITOR_MSG_BURST: u32 = 10;

/// Visitor messages per second a connection may sustain.
pub const VISITOR_MSG_PER_SEC: u32 = 1;

/// Seconds between the relay's WebSocket pings.
pub const PING_INTERVAL_SECS: u64 = 25;

/// Seconds without a pong after which the relay closes the connection.
pub const PONG_TIMEOUT_SECS: u64 = 60;

/// Messages replayed per conversation on resume; a client missing more asks
/// again with `resume` from the last seq it received.
pub const MAX_REPLAY: usize = 500;

/// Conversations one `hello` may resume (repeats of one count once); a
/// visitor has a handful, an agent its assigned ones and a few waiting.
pub const MAX_RESUME_POINTS: usize = 100;

/// Shortest agent password the relay accepts (new agents, password
/// changes), in characters; the console checks it before sending.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Close code: the message was larger than [`MAX_FRAME_BYTES`].
pub const CLOSE_TOO_BIG: u16 = 1009;

/// Close code: the relay is shutting down or restarting; reconnect.
pub const CLOSE_RESTARTING: u16 = 1012;

/// Close code: the client broke the protocol in a way the relay cannot
/// answer with an error frame (e.g. a binary frame).
pub const CLOSE_PROTOCOL: u16 = 1002;

/// Close code: no pong within [`PONG_TIMEOUT_SECS`], or no good `hello`
/// within the relay's hello deadline.
pub const CLOSE_TIMEOUT: u16 = 1001;

/// Close code: the socket is over on purpose: the relay's answer to an
/// agent signing out (the client should not reconnect on its own), or a
/// client dropping a socket it no longer wants.
pub const CLOSE_NORMAL: u16 = 1000;

/// Close code: the relay refuses this client by policy (too many failed
/// sign-ins); reconnecting at once will not help.
pub const CLOSE_POLICY: u16 = 1008;

/// Close code: the connection fell too far behind the relay's events to be
/// kept; reconnect and `resume` from the last seq received.
pub const CLOSE_TRY_AGAIN: u16 = 1013;

/// Milliseconds in `d`, as the protocol counts time; saturates at
/// `u64::MAX` (about 585 million years) rather than wrapping.
pub fn duration_ms(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn duration_ms_truncates_and_saturates() {
        assert_eq!(duration_ms(Duration::ZERO), 0);
        assert_eq!(duration_ms(Duration::from_micros(1_999)), 1);
        assert_eq!(duration_ms(Duration::from_secs(25)), 25_000);
        assert_eq!(duration_ms(Duration::from_millis(u64::MAX)), u64::MAX);
        assert_eq!(duration_ms(Duration::MAX), u64::MAX);
    }
}
