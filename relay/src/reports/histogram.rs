//! Duration histograms that stores can add up: a duration is counted in
//! one of a fixed set of buckets, so two days, two agents or two nodes
//! combine by adding counts, and a percentile is read back from the
//! counts instead of from every conversation.
//!
//! The buckets are [`BOUNDS_S`]: whole seconds up to 10 s, then steps of
//! at most 20% up to 90 days, then one bucket for anything longer. A
//! duration counts in the first bucket whose bound it does not exceed,
//! and a percentile reads as that bound, so a figure is exact for
//! durations that are bounds and otherwise at most 20% (and one second)
//! high. The bounds include 1, 5, 15 and 60 minutes, the edges of the
//! first-response ranges, so those ranges are exact. A fixed set keeps a
//! roll-up row a fixed array (see `layout`): the bounds are part of the
//! stored format and never change in place.

/// Upper bounds of the buckets, in seconds.
pub const BOUNDS_S: [u64; 113] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 24, 28, 30, 32, 36, 40, 45, 50, 55, 60,
    70, 80, 90, 100, 120, 140, 160, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600, 720, 840,
    900, 1_080, 1_200, 1_440, 1_680, 1_800, 2_100, 2_400, 2_700, 3_000, 3_300, 3_600, 4_200, 4_800,
    5_400, 6_000, 7_200, 8_400, 9_600, 10_800, 12_600, 14_400, 16_200, 18_000, 21_600, 25_200,
    28_800, 32_400, 36_000, 43_200, 50_400, 57_600, 64_800, 72_000, 79_200, 86_400, 100_800,
    115_200, 129_600, 151_200, 172_800, 201_600, 230_400, 259_200, 302_400, 345_600, 388_800,
    432_000, 518_400, 604_800, 691_200, 777_600, 864_000, 1_036_800, 1_209_600, 1_296_000,
    1_468_800, 1_641_600, 1_814_400, 2_160_000, 2_592_000, 3_110_400, 3_456_000, 3_888_000,
    4_665_600, 5_443_200, 6_480_000, 7_776_000,
];

/// Buckets per histogram: one per bound and one past the last.
pub const BUCKETS: usize = BOUNDS_S.len() + 1;

/// The bucket a duration of `ms` is counted in.
pub fn bucket_of_ms(ms: u64) -> usize {
    let seconds = ms.div_ceil(1000);
    BOUNDS_S.partition_point(|&bound| bound < seconds)
}

/// What a bucket reads as, in seconds: its bound; the last bound for the
/// bucket past it (a duration that long reads as the longest bound).
pub fn seconds_of_bucket(bucket: usize) -> u64 {
    BOUNDS_S
        .get(bucket)
        .or(BOUNDS_S.last())
        .copied()
        .unwrap_or(0)
}

/// Counts per bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    counts: [u64; BUCKETS],
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            counts: [0; BUCKETS],
        }
    }
}

impl Histogram {
    /// Counts `count` more durations in `bucket` (past the last: ignored).
    pub fn add(&mut self, bucket: usize, count: u64) {
        if let Some(slot) = self.counts.get_mut(bucket) {
            *slot += count;
        }
    }

    /// How many durations were counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
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
        for (bucket, &count) in self.counts.iter().enumerate() {
            seen += u128::from(count);
            if seen >= rank {
                return Some(seconds_of_bucket(bucket));
            }
        }
        None
    }

    /// The percentile in milliseconds, as reports show durations.
    pub fn percentile_ms(&self, percent: u64) -> Option<f64> {
        // Bounds stay far below 2^53 ms, where f64 is exact.
        self.percentile(percent)
            .map(|seconds| seconds.saturating_mul(1000) as f64)
    }

    /// (seconds the bucket reads as, count) for each bucket counted in,
    /// shortest first.
    pub fn buckets(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0)
            .map(|(bucket, &count)| (seconds_of_bucket(bucket), count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_rise_in_steps_of_at_most_a_fifth() {
        for pair in BOUNDS_S.windows(2) {
            let (low, high) = (pair[0], pair[1]);
            assert!(low < high, "{low} {high}");
            if low >= 10 {
                assert!(high * 5 <= low * 6, "{low} → {high}");
            }
        }
        for edge in [60, 300, 900, 3_600, 86_400] {
            assert!(BOUNDS_S.contains(&edge), "{edge}");
        }
    }

    #[test]
    fn a_duration_counts_in_the_first_bound_it_does_not_exceed() {
        let cases = [
            (0, 0),
            (1, 1),
            (1_000, 1),
            (1_001, 2),
            (10_000, 10),
            (10_001, 12),
            (45_000, 45),
            (61_000, 70),
            (3_600_000, 3_600),
            (3_601_000, 4_200),
            (61_800_000, 64_800),
        ];
        for (ms, seconds) in cases {
            assert_eq!(seconds_of_bucket(bucket_of_ms(ms)), seconds, "{ms} ms");
        }
        let longest = BOUNDS_S[BOUNDS_S.len() - 1];
        assert_eq!(bucket_of_ms(longest * 1000 + 1), BUCKETS - 1);
        assert_eq!(seconds_of_bucket(BUCKETS - 1), longest);
        assert_eq!(bucket_of_ms(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn the_error_stays_within_a_fifth() {
        for seconds in (1..2_000_000).step_by(97) {
            let read = seconds_of_bucket(bucket_of_ms(seconds * 1000));
            assert!(read >= seconds && read * 5 <= seconds * 6 + 5, "{seconds}");
        }
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut h = Histogram::default();
        assert_eq!(h.percentile(50), None);
        // 10 durations: 1 s ×4, 30 s ×4, 120 s, 600 s.
        h.add(bucket_of_ms(1_000), 4);
        h.add(bucket_of_ms(30_000), 4);
        h.add(bucket_of_ms(120_000), 1);
        h.add(bucket_of_ms(600_000), 1);
        h.add(BUCKETS, 9);
        assert_eq!(h.total(), 10);
        assert_eq!(h.percentile(40), Some(1));
        assert_eq!(h.percentile(41), Some(30));
        assert_eq!(h.percentile(50), Some(30));
        assert_eq!(h.percentile(90), Some(120));
        assert_eq!(h.percentile(91), Some(600));
        assert_eq!(h.percentile(100), Some(600));
        assert_eq!(h.percentile(0), Some(1));
        assert_eq!(h.percentile_ms(90), Some(120_000.0));
        let seen: Vec<_> = h.buckets().collect();
        assert_eq!(seen, [(1, 4), (30, 4), (120, 1), (600, 1)]);
    }
}
