//! A store's roll-up rows added up into what one row of a report needs:
//! counts and duration histograms, read back by the slots `layout` gives
//! them. One [`Sums`] serves the whole site, an agent, a channel or the
//! previous period alike.

use super::histogram::Histogram;
use super::layout::{Count, Durations};

/// Counts and histograms of some set of rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sums {
    pub(crate) opened: u64,
    pub(crate) assigned: u64,
    pub(crate) resolved: u64,
    pub(crate) transfers: u64,
    pub(crate) reopenings: u64,
    pub(crate) messages_in: u64,
    pub(crate) messages_out: u64,
    pub(crate) deflections: u64,
    /// Ratings of 1 to 5.
    pub(crate) ratings: [u64; 5],
    histograms: [Histogram; 8],
}

impl Sums {
    /// Adds one row's counters; slots this version does not know are
    /// skipped, so a report still reads rows a newer version wrote.
    pub(crate) fn add(&mut self, counts: &[u64]) {
        for (slot, &value) in counts.iter().enumerate().filter(|(_, &v)| v > 0) {
            match Count::ALL.get(slot) {
                Some(&count) => *self.count_mut(count) += value,
                None => {
                    if let Some((which, bucket)) = Durations::of_slot(slot) {
                        self.histograms[index(which)].add(bucket, value);
                    }
                }
            }
        }
    }

    fn count_mut(&mut self, count: Count) -> &mut u64 {
        match count {
            Count::Opened => &mut self.opened,
            Count::Assigned => &mut self.assigned,
            Count::Resolved => &mut self.resolved,
            Count::Transfer => &mut self.transfers,
            Count::Reopen => &mut self.reopenings,
            Count::MessageIn => &mut self.messages_in,
            Count::MessageOut => &mut self.messages_out,
            Count::Deflect => &mut self.deflections,
            Count::Rating(r) => {
                let i = usize::from(r.clamp(1, 5) - 1);
                &mut self.ratings[i]
            }
        }
    }

    pub(crate) fn histogram(&self, which: Durations) -> &Histogram {
        &self.histograms[index(which)]
    }

    pub(crate) fn rating_count(&self) -> u64 {
        self.ratings.iter().sum()
    }

    /// Percent of ratings that are 4 or 5; `None` without ratings.
    pub(crate) fn csat_score(&self) -> Option<f64> {
        let total = self.rating_count();
        // Counts stay far below 2^53, where f64 is exact.
        (total > 0).then(|| (self.ratings[3] + self.ratings[4]) as f64 * 100.0 / total as f64)
    }
}

fn index(which: Durations) -> usize {
    Durations::ALL
        .iter()
        .position(|&d| d == which)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::histogram::bucket_of_ms;
    use crate::reports::layout::SLOTS;
    use crate::reports::row::add_to;

    #[test]
    fn rows_add_up_by_slot() {
        let mut row = Vec::new();
        let mut put = |slot: Option<usize>, by| add_to(&mut row, slot.unwrap(), by);
        put(Count::Opened.slot(), 3);
        put(Count::Rating(5).slot(), 3);
        put(Count::Rating(1).slot(), 1);
        put(Some(Durations::FirstResponse.slot(bucket_of_ms(30_000))), 2);
        put(
            Some(Durations::FirstResponseBusiness.slot(bucket_of_ms(40_000))),
            1,
        );
        let mut sums = Sums::default();
        sums.add(&row);
        sums.add(&row[..1]);
        // A slot past this version's layout is skipped.
        let mut newer = vec![0; SLOTS + 2];
        newer[SLOTS + 1] = 9;
        sums.add(&newer);
        assert_eq!(sums.opened, 6);
        assert_eq!(sums.ratings, [1, 0, 0, 0, 3]);
        assert_eq!(sums.csat_score(), Some(75.0));
        assert_eq!(sums.histogram(Durations::FirstResponse).total(), 2);
        assert_eq!(
            sums.histogram(Durations::FirstResponseBusiness)
                .percentile(50),
            Some(40)
        );
        assert_eq!(sums.histogram(Durations::Handling).total(), 0);
        assert_eq!(Sums::default().csat_score(), None);
    }
}
