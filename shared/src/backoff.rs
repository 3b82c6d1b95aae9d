//! Reconnect delays for both clients (the widget and the console), so a relay
//! restart meets one policy rather than two slightly different ones. Pure:
//! the caller passes the random number, so it is tested natively.
//!
//! 0.5 s doubling up to 10 s, with "equal jitter" (a delay between half and
//! all of the step) so a restarted relay is not hit by every client in the
//! same millisecond, yet none comes back sooner than half the step.

/// First step, in milliseconds.
pub const FIRST_MS: u32 = 500;
/// Largest step, in milliseconds.
pub const MAX_MS: u32 = 10_000;

/// The delay before attempt number `attempt` (0 for the first retry).
///
/// `random` is uniform in `[0, 1)`; the result lands in `[step/2, step]`,
/// rounded to the nearest millisecond. Out-of-range input is clamped, and
/// NaN counts as 1 so a broken random source errs towards waiting longer.
pub fn delay_ms(attempt: u32, random: f64) -> u32 {
    let step = FIRST_MS.saturating_mul(1u32 << attempt.min(16)).min(MAX_MS);
    let random = if random.is_nan() {
        1.0
    } else {
        random.clamp(0.0, 1.0)
    };
    let half = f64::from(step) / 2.0;
    // Within [half, step] and step fits a u32, so the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let delay = (half + half * random).round() as u32;
    delay
}

/// Consecutive failed attempts since the last good connection. `Copy` so a
/// client can keep it in a `Cell`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    attempt: u32,
}

impl Backoff {
    /// The delay before the next attempt (see [`delay_ms`]); counts the attempt.
    pub fn next_delay_ms(&mut self, random: f64) -> u32 {
        let delay = delay_ms(self.attempt, random);
        self.attempt = self.attempt.saturating_add(1);
        delay
    }

    /// A connection worked: start again from the shortest delay.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_half_a_second_to_ten() {
        let tops: Vec<u32> = (0..8).map(|a| delay_ms(a, 1.0)).collect();
        assert_eq!(tops, [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
        for attempt in [16, 17, 31, 32, 1_000, u32::MAX] {
            assert_eq!(delay_ms(attempt, 1.0), 10_000, "{attempt}");
        }
    }

    #[test]
    fn jitter_stays_within_half_and_full() {
        assert_eq!(delay_ms(0, 0.0), 250);
        assert_eq!(delay_ms(1, 0.5), 750);
        assert_eq!(delay_ms(0, 0.999_999), 500);
        for attempt in 0..40 {
            for r in [0.0, 0.1, 0.5, 0.9, 0.999] {
                let d = delay_ms(attempt, r);
                let step = delay_ms(attempt, 1.0);
                assert!(d >= step / 2 && d <= step, "{attempt} {r} {d}");
            }
        }
    }

    #[test]
    fn bad_random_input_is_clamped() {
        assert_eq!(delay_ms(0, -3.0), 250);
        assert_eq!(delay_ms(0, 7.0), 500);
        assert_eq!(delay_ms(0, f64::NAN), 500);
        assert_eq!(delay_ms(0, f64::INFINITY), 500);
        assert_eq!(delay_ms(0, f64::NEG_INFINITY), 250);
    }

    #[test]
    fn counts_attempts_and_resets() {
        let mut b = Backoff::default();
        let tops: Vec<u32> = (0..7).map(|_| b.next_delay_ms(1.0)).collect();
        assert_eq!(tops, [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
        b.reset();
        assert_eq!(b, Backoff::default());
        assert_eq!(b.next_delay_ms(0.0), 250);
        assert_eq!(b.next_delay_ms(0.5), 750);
    }
}
