//! Default limits of protocol v1. The relay may be configured otherwise; a
//! client should treat these as the values to expect.

/// Largest WebSocket message the relay accepts; above it the relay closes
/// the connection with [`CLOSE_TOO_BIG`].
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// Longest chat message, counted in Unicode scalar values (characters).
pub const MAX_TEXT_CHARS: usize = 4_000;

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

/// Close code: the message was larger than [`MAX_FRAME_BYTES`].
pub const CLOSE_TOO_BIG: u16 = 1009;

/// Close code: the relay is shutting down or restarting; reconnect.
pub const CLOSE_RESTARTING: u16 = 1012;

/// Close code: the client broke the protocol in a way the relay cannot
/// answer with an error frame (e.g. a binary frame).
pub const CLOSE_PROTOCOL: u16 = 1002;

/// Close code: no pong within [`PONG_TIMEOUT_SECS`].
pub const CLOSE_TIMEOUT: u16 = 1001;
