//! Duration histograms that stores can add up: a duration is counted in
//! a bucket named by a whole number of seconds, so two periods, two
//! agents or two nodes combine by adding counts, and a percentile is read
//! back from the counts instead of from every conversation.
//!
//! A bucket is the duration in seconds rounded up, then rounded up to two
//! significant digits: 1–99 s are exact, then 100, 110, … 990, then 1000,
//! 1100, … 9900, and so on. A percentile read from the buckets is the
//! bucket's value, so it is exact for durations that are such values and
//! otherwise at most 10% (and one second) above the true duration. A
//! million conversations spread over a few hundred buckets per decade.

use std::collections::BTreeMap;

/// The bucket (in seconds) a duration of `ms` is counted in.
pub fn bucket_of_ms(ms: u64) -> u64 {
    round_up_two_digits(ms.div_ceil(1000))
}

fn round_up_two_digits(seconds: u64) -> u64 {
    let mut step = 1;
    while seconds / step >= 100 {
        step *= 10;
    }
    seconds.div_ceil(step) * step
}

/// Counts per bucket of seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    counts: BTreeMap<u64, u64>,
}

impl Histogram {
    /// Counts `count` more durations in the bucket of `seconds`.
    pub fn add(&mut self, seconds: u64, count: u64) {
        *self.counts.entry(seconds).or_default() += count;
    }

    /// How many durations were counted.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// The `percent`th percentile in seconds, by nearest rank: the
    /// smallest bucket at or below which at least `percent`% of the
    /// durations lie. `None` when empty.
    pub fn percentile(&self, percent: u64) -> Option<u64> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let rank = (u128::from(total) * u128::from(percent.min(100)))
            .div_ceil(100)
            .max(1);
        let mut seen = 0u128;
        for (&seconds, &count) in &self.counts {
            seen += u128::from(count);
            if seen >= rank {
                return Some(seconds);
            }
        }
        self.counts.keys().next_back().copied()
    }

    /// The percentile in milliseconds, as reports show durations.
    pub fn percentile_ms(&self, percent: u64) -> Option<f64> {
        // Buckets stay far below 2^53 ms, where f64 is exact.
        self.percentile(percent)
            .map(|seconds| seconds.saturating_mul(1000) as f64)
    }

    /// (bucket seconds, count) pairs, shortest first.
    pub fn buckets(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.counts.iter().map(|(&s, &c)| (s, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_round_up_to_two_significant_digits() {
        let cases = [
            (0, 0),
            (1, 1),
            (1_000, 1),
            (1_001, 2),
            (99_000, 99),
            (99_001, 100),
            (100_000, 100),
            (101_000, 110),
            (990_000, 990),
            (991_000, 1000),
            (1_001_000, 1100),
            (3_600_000, 3600),
            (3_601_000, 3700),
            (86_400_000, 87_000),
        ];
        for (ms, bucket) in cases {
            assert_eq!(bucket_of_ms(ms), bucket, "{ms} ms");
        }
        assert!(bucket_of_ms(u64::MAX) >= u64::MAX / 1000);
    }

    #[test]
    fn the_error_stays_within_ten_percent() {
        for seconds in (1..200_000).step_by(7) {
            let bucket = bucket_of_ms(seconds * 1000);
            assert!(
                bucket >= seconds && bucket * 10 <= seconds * 11,
                "{seconds}"
            );
        }
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut h = Histogram::default();
        assert_eq!(h.percentile(50), None);
        // 10 durations: 1 s ×4, 30 s ×4, 120 s, 600 s.
        h.add(1, 4);
        h.add(30, 4);
        h.add(120, 1);
        h.add(600, 1);
        assert_eq!(h.total(), 10);
        assert_eq!(h.percentile(40), Some(1));
        assert_eq!(h.percentile(41), Some(30));
        assert_eq!(h.percentile(50), Some(30));
        assert_eq!(h.percentile(90), Some(120));
        assert_eq!(h.percentile(91), Some(600));
        assert_eq!(h.percentile(100), Some(600));
        assert_eq!(h.percentile(0), Some(1));
        assert_eq!(h.percentile_ms(90), Some(120_000.0));
    }
}
