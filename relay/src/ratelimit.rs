//! Rate limits, on governor's GCRA (the ecosystem's rate limiter): an
//! [`Allowance`] per connection (frames, a visitor's messages), so going
//! over it yields a typed `rate_limited` error for that client rather
//! than a close and costs other connections nothing; and a
//! [`KeyedAllowance`] per address or site (new visitors, starts), shared
//! by one node's connections. Both answer with how long to wait.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

/// Keys a keyed allowance holds before it forgets the idle ones.
const FORGET_ABOVE: usize = 10_000;

/// `burst` at once, refilled at `per` (one per `per / count`); a zero
/// count never refills within the hour.
fn quota(burst: u32, count: u32, per: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    let period = match count {
        0 => Duration::from_secs(3600),
        n => per / n,
    };
    Quota::with_period(period.max(Duration::from_nanos(1)))
        .unwrap_or_else(|| Quota::per_hour(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// One client's allowance: `burst` at once, `per_sec` sustained.
#[derive(Debug)]
pub struct Allowance<C: Clock = DefaultClock> {
    limiter: RateLimiter<NotKeyed, InMemoryState, C, NoOpMiddleware<C::Instant>>,
    clock: C,
}

impl Allowance {
    pub fn new(burst: u32, per_sec: u32) -> Self {
        Self::with_clock(burst, per_sec, DefaultClock::default())
    }
}

impl<C: Clock + Clone> Allowance<C> {
    pub fn with_clock(burst: u32, per_sec: u32, clock: C) -> Self {
        let quota = quota(burst, per_sec, Duration::from_secs(1));
        Self {
            limiter: RateLimiter::direct_with_clock(quota, clock.clone()),
            clock,
        }
    }

    /// Takes one, or says how long until one is available.
    pub fn try_take(&self) -> Result<(), Duration> {
        self.limiter
            .check()
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// An allowance per key (an address, a site): `burst` at once,
/// `per_minute` sustained.
#[derive(Debug)]
pub struct KeyedAllowance<K: Hash + Eq + Clone, C: Clock = DefaultClock> {
    limiter: RateLimiter<K, HashMapStateStore<K>, C, NoOpMiddleware<C::Instant>>,
    clock: C,
}

impl<K: Hash + Eq + Clone> KeyedAllowance<K> {
    pub fn per_minute(burst: u32, per_minute: u32) -> Self {
        Self::with_clock(burst, per_minute, DefaultClock::default())
    }
}

impl<K: Hash + Eq + Clone, C: Clock + Clone> KeyedAllowance<K, C> {
    pub fn with_clock(burst: u32, per_minute: u32, clock: C) -> Self {
        let quota = quota(burst, per_minute, Duration::from_secs(60));
        Self {
            limiter: RateLimiter::hashmap_with_clock(quota, clock.clone()),
            clock,
        }
    }

    /// Takes one for `key`, or says how long until one is available.
    pub fn try_take(&self, key: &K) -> Result<(), Duration> {
        if self.limiter.len() > FORGET_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

#[cfg(test)]
mod tests {
    use governor::clock::FakeRelativeClock;

    use super::*;

    #[test]
    fn burst_then_sustained_rate() {
        let clock = FakeRelativeClock::default();
        let bucket = Allowance::with_clock(10, 1, clock.clone());
        for _ in 0..10 {
            assert!(bucket.try_take().is_ok());
        }
        let wait = bucket.try_take().unwrap_err();
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1));
        clock.advance(Duration::from_millis(500));
        assert!(bucket.try_take().is_err());
        clock.advance(Duration::from_millis(501));
        assert!(bucket.try_take().is_ok());
        assert!(bucket.try_take().is_err());
    }

    #[test]
    fn refill_never_exceeds_burst() {
        let clock = FakeRelativeClock::default();
        let bucket = Allowance::with_clock(3, 1, clock.clone());
        clock.advance(Duration::from_secs(100));
        for _ in 0..3 {
            assert!(bucket.try_take().is_ok());
        }
        assert!(bucket.try_take().is_err());
    }

    #[test]
    fn keys_have_their_own_allowance() {
        let clock = FakeRelativeClock::default();
        let limits = KeyedAllowance::with_clock(2, 60, clock.clone());
        assert!(limits.try_take(&"a").is_ok());
        assert!(limits.try_take(&"a").is_ok());
        let wait = limits.try_take(&"a").unwrap_err();
        assert!(wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limits.try_take(&"b").is_ok(), "another key is not held up");
        clock.advance(Duration::from_secs(1));
        assert!(limits.try_take(&"a").is_ok());
    }

    #[test]
    fn a_zero_rate_still_allows_the_burst() {
        let bucket = Allowance::with_clock(2, 0, FakeRelativeClock::default());
        assert!(bucket.try_take().is_ok());
        assert!(bucket.try_take().is_ok());
        assert!(bucket.try_take().unwrap_err() > Duration::from_secs(60));
    }
}
