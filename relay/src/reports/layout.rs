//! Where each counter sits in a roll-up row: a row is an array of
//! counters, the [`Count`]s first, then one block of [`BUCKETS`] per
//! [`Durations`] histogram. Stores add to slots by number and never read
//! meaning into them; this is the one place that gives the numbers
//! meaning, and `sums` reads them back by the same numbers.
//!
//! The order is part of the stored format: new counters go at the end.
//! Agent rows use only the histograms they show (first response and
//! resolution), which come first, so their stored arrays stay short.

use super::histogram::BUCKETS;

/// The plain counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Conversations started and items ingested (hour rows only).
    Opened,
    /// First assignments.
    Assigned,
    Resolved,
    Transfer,
    Reopen,
    MessageIn,
    MessageOut,
    Deflect,
    /// Ratings of 1 (`Rating(1)`) to 5.
    Rating(u8),
}

impl Count {
    /// Every counter in slot order.
    pub const ALL: [Count; 13] = [
        Self::Opened,
        Self::Assigned,
        Self::Resolved,
        Self::Transfer,
        Self::Reopen,
        Self::MessageIn,
        Self::MessageOut,
        Self::Deflect,
        Self::Rating(1),
        Self::Rating(2),
        Self::Rating(3),
        Self::Rating(4),
        Self::Rating(5),
    ];

    /// The counter's slot; `None` for a rating outside 1–5.
    pub fn slot(self) -> Option<usize> {
        Some(match self {
            Self::Opened => 0,
            Self::Assigned => 1,
            Self::Resolved => 2,
            Self::Transfer => 3,
            Self::Reopen => 4,
            Self::MessageIn => 5,
            Self::MessageOut => 6,
            Self::Deflect => 7,
            Self::Rating(r @ 1..=5) => 7 + usize::from(r),
            Self::Rating(_) => return None,
        })
    }
}

/// Slots before the first histogram.
pub const COUNTS: usize = Count::ALL.len();

/// The duration histograms, in slot order; the `Business` ones count
/// only time inside the site's opening hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durations {
    FirstResponse,
    FirstResponseBusiness,
    Resolution,
    ResolutionBusiness,
    Handling,
    HandlingBusiness,
    Wait,
    WaitBusiness,
}

impl Durations {
    pub const ALL: [Durations; 8] = [
        Self::FirstResponse,
        Self::FirstResponseBusiness,
        Self::Resolution,
        Self::ResolutionBusiness,
        Self::Handling,
        Self::HandlingBusiness,
        Self::Wait,
        Self::WaitBusiness,
    ];

    /// The histograms an agent's row keeps (the first ones in order).
    pub const OF_AGENTS: usize = 4;

    fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|&d| d == self)
            .unwrap_or_default()
    }

    /// The slot of `bucket` in this histogram.
    pub fn slot(self, bucket: usize) -> usize {
        COUNTS + self.index() * BUCKETS + bucket.min(BUCKETS - 1)
    }

    /// Which histogram and bucket a slot is, if it is one.
    pub fn of_slot(slot: usize) -> Option<(Durations, usize)> {
        let past_counts = slot.checked_sub(COUNTS)?;
        let which = *Self::ALL.get(past_counts / BUCKETS)?;
        Some((which, past_counts % BUCKETS))
    }
}

/// Slots in a full row.
pub const SLOTS: usize = COUNTS + Durations::ALL.len() * BUCKETS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_is_one_counter() {
        let mut seen = vec![false; SLOTS];
        for count in Count::ALL {
            let slot = count.slot().unwrap();
            assert!(!seen[slot], "{count:?}");
            seen[slot] = true;
        }
        for which in Durations::ALL {
            for bucket in 0..BUCKETS {
                let slot = which.slot(bucket);
                assert!(!seen[slot], "{which:?} {bucket}");
                seen[slot] = true;
                assert_eq!(Durations::of_slot(slot), Some((which, bucket)));
            }
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(Count::Rating(0).slot(), None);
        assert_eq!(Count::Rating(6).slot(), None);
        assert_eq!(Durations::of_slot(3), None);
        assert_eq!(Durations::of_slot(SLOTS), None);
        // The histograms an agent row keeps come first.
        assert_eq!(
            Durations::ALL[Durations::OF_AGENTS - 1],
            Durations::ResolutionBusiness
        );
    }
}
