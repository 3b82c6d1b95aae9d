//! "Expected wait" for a visitor who joins the queue: how long the last
//! conversations this node routed waited for an agent. A running sample,
//! not a model: it answers "about how long does it take here right now",
//! which is what Intercom's and Crisp's "typically replies in" tell too.

use std::collections::VecDeque;
use std::sync::Mutex;

/// Waits remembered; older ones fall out.
const SAMPLES: usize = 20;

/// Recent queue waits, in ms.
#[derive(Debug, Default)]
pub struct WaitEstimate {
    recent: Mutex<VecDeque<u64>>,
}

impl WaitEstimate {
    /// A conversation waited `wait_ms` before an agent got it.
    pub fn record(&self, wait_ms: u64) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.len() == SAMPLES {
            recent.pop_front();
        }
        recent.push_back(wait_ms);
    }

    /// The mean of the recent waits; `None` before the first.
    pub fn expected_ms(&self) -> Option<u64> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let count = u64::try_from(recent.len()).ok().filter(|n| *n > 0)?;
        Some(recent.iter().sum::<u64>() / count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_is_the_mean_of_the_last_twenty_waits() {
        let estimate = WaitEstimate::default();
        assert_eq!(estimate.expected_ms(), None);
        estimate.record(1_000);
        estimate.record(3_000);
        assert_eq!(estimate.expected_ms(), Some(2_000));
        for _ in 0..SAMPLES {
            estimate.record(10_000);
        }
        assert_eq!(estimate.expected_ms(), Some(10_000));
    }
}
