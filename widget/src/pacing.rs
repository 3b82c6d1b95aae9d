//! Timing policies, kept pure (times are passed in as milliseconds) so they
//! are tested natively:
//!
//! - [`Pacer`]: sends outbox items no faster than the relay's visitor limit
//!   ([`shared::limits`]), so a long offline outbox is delivered in order
//!   instead of being half refused with `rate_limited`.
//! - [`TypingThrottle`]: the visitor's own `typing` frames: `true` at most
//!   every 3 s while typing, `false` once after stopping.
//!
//! Reconnect delays are [`shared::backoff`], the console's policy too.

use shared::limits::{VISITOR_MSG_BURST, VISITOR_MSG_PER_SEC};

/// A token bucket mirroring the relay's visitor message limit.
#[derive(Debug)]
pub(crate) struct Pacer {
    tokens: f64,
    at_ms: f64,
    paused_until_ms: f64,
}

impl Pacer {
    pub(crate) fn new(now_ms: f64) -> Self {
        Self {
            tokens: f64::from(VISITOR_MSG_BURST),
            at_ms: now_ms,
            paused_until_ms: 0.0,
        }
    }

    /// Takes a token, or says how many milliseconds to wait for one.
    pub(crate) fn try_take(&mut self, now_ms: f64) -> Result<(), u32> {
        if now_ms < self.paused_until_ms {
            return Err((self.paused_until_ms - now_ms).ceil() as u32);
        }
        let rate = f64::from(VISITOR_MSG_PER_SEC.max(1)) / 1000.0;
        let elapsed = (now_ms - self.at_ms).max(0.0);
        self.tokens = (self.tokens + elapsed * rate).min(f64::from(VISITOR_MSG_BURST));
        self.at_ms = now_ms;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - self.tokens) / rate).ceil() as u32)
        }
    }

    /// The relay said to wait: no sends for `ms`, and start again slowly.
    pub(crate) fn pause(&mut self, now_ms: f64, ms: u64) {
        self.paused_until_ms = now_ms + ms as f64;
        self.tokens = 0.0;
        self.at_ms = self.paused_until_ms;
    }
}

/// Sends `typing true` at most this often while the visitor types.
pub(crate) const TYPING_REPEAT_MS: f64 = 3_000.0;
/// Sends `typing false` after this long without input.
pub(crate) const TYPING_IDLE_MS: u32 = 4_000;

/// Whether the relay currently believes the visitor is typing.
#[derive(Debug, Default)]
pub(crate) struct TypingThrottle {
    last_true_ms: Option<f64>,
}

impl TypingThrottle {
    /// The visitor typed: true if a `typing true` frame should go out now.
    pub(crate) fn on_input(&mut self, now_ms: f64) -> bool {
        match self.last_true_ms {
            Some(last) if now_ms - last < TYPING_REPEAT_MS => false,
            _ => {
                self.last_true_ms = Some(now_ms);
                true
            }
        }
    }

    /// The visitor stopped (idle, sent, or cleared the box): true if a
    /// `typing false` frame should go out now.
    pub(crate) fn on_stop(&mut self) -> bool {
        self.last_true_ms.take().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacer_allows_the_burst_then_one_per_second() {
        let mut p = Pacer::new(0.0);
        for _ in 0..VISITOR_MSG_BURST {
            assert!(p.try_take(0.0).is_ok());
        }
        let wait = p.try_take(0.0).unwrap_err();
        assert!(wait > 0 && wait <= 1000, "{wait}");
        assert!(p.try_take(f64::from(wait)).is_ok());
        assert!(p.try_take(f64::from(wait)).is_err());
    }

    #[test]
    fn pacer_pause_blocks_until_the_relay_allows() {
        let mut p = Pacer::new(0.0);
        p.pause(100.0, 2_000);
        assert_eq!(p.try_take(600.0), Err(1_500));
        assert!(p.try_take(2_100.0).is_err());
        assert!(p.try_take(3_100.0).is_ok());
    }

    #[test]
    fn typing_true_is_throttled_and_false_sent_once() {
        let mut t = TypingThrottle::default();
        assert!(!t.on_stop());
        assert!(t.on_input(0.0));
        assert!(!t.on_input(1_000.0));
        assert!(!t.on_input(2_999.0));
        assert!(t.on_input(3_000.0));
        assert!(t.on_stop());
        assert!(!t.on_stop());
        assert!(t.on_input(3_100.0));
    }
}
