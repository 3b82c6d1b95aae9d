//! The clock the conversation service reads: the system's, or one a test
//! sets (a DST change, a holiday or a weekend is a date, not something to
//! wait for). Conversations, messages, assignments and report facts take
//! their times from it, as do routing's timers and opening hours; sessions
//! and sign-in limits stay on [`crate::now_ms`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The system clock, or a manual one shared with a test.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Unix ms, set and advanced by the test holding the other handle.
    Manual(Arc<AtomicU64>),
}

impl Clock {
    /// A manual clock reading `at_ms` until set again.
    pub fn manual(at_ms: u64) -> Self {
        Self::Manual(Arc::new(AtomicU64::new(at_ms)))
    }

    pub fn now_ms(&self) -> u64 {
        match self {
            Self::System => crate::now_ms(),
            Self::Manual(at) => at.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock to `at_ms`; the system clock ignores this.
    pub fn set(&self, at_ms: u64) {
        if let Self::Manual(at) = self {
            at.store(at_ms, Ordering::SeqCst);
        }
    }

    /// Moves a manual clock on by `ms`.
    pub fn advance(&self, ms: u64) {
        if let Self::Manual(at) = self {
            at.fetch_add(ms, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_is_shared_by_its_clones() {
        let clock = Clock::manual(1_000);
        let seen_by_the_relay = clock.clone();
        clock.advance(500);
        assert_eq!(seen_by_the_relay.now_ms(), 1_500);
        clock.set(10);
        assert_eq!(seen_by_the_relay.now_ms(), 10);
        assert!(Clock::System.now_ms() > 1_700_000_000_000);
    }
}
