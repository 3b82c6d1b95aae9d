//! Reconnect delays: 0.5 s doubling up to 10 s, with jitter so a relay
//! restart is not followed by every console reconnecting in the same
//! millisecond. Pure (the caller passes the random number) so it is tested
//! natively.

/// First delay before jitter, in milliseconds.
const BASE_MS: u32 = 500;
/// Longest delay before jitter, in milliseconds.
const MAX_MS: u32 = 10_000;

/// Consecutive failed attempts since the last good connection.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Backoff {
    attempt: u32,
}

impl Backoff {
    /// The delay before the next attempt, and counts the attempt.
    /// `random` is uniform in `[0, 1)`; the delay lands in `[d/2, d]` where
    /// `d` is the undithered delay ("equal jitter").
    pub(crate) fn next_delay_ms(&mut self, random: f64) -> u32 {
        let full = BASE_MS
            .saturating_mul(1u32 << self.attempt.min(16))
            .min(MAX_MS);
        self.attempt = self.attempt.saturating_add(1);
        let half = f64::from(full) / 2.0;
        // The value is within [half, full], so the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let delay = (half + half * random.clamp(0.0, 1.0)).round() as u32;
        delay
    }

    /// A connection worked: start again from the shortest delay.
    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_half_a_second_to_ten() {
        let mut b = Backoff::default();
        let tops: Vec<u32> = (0..8).map(|_| b.next_delay_ms(1.0)).collect();
        assert_eq!(tops, [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
        for _ in 0..100 {
            assert_eq!(b.next_delay_ms(1.0), 10_000);
        }
    }

    #[test]
    fn jitter_stays_within_half_and_full() {
        let mut b = Backoff::default();
        assert_eq!(b.next_delay_ms(0.0), 250);
        assert_eq!(b.next_delay_ms(0.5), 750);
        b.reset();
        assert_eq!(b.next_delay_ms(0.999_999), 500);
    }
}
