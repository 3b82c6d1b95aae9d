//! Which stored counters a period reads. Volume is kept per UTC hour and
//! counts where its hour starts; everything else is kept per local day,
//! and a day counts in the period that holds its middle (its start plus
//! twelve hours). A period from one local midnight to another thus reads
//! exactly its days, and one that is not (an API caller's UTC midnights,
//! or days recorded before the site changed its time zone) reads each
//! day once, in the period holding most of it.

use super::layout::Count;
use super::row::Row;

/// Half a day: a day row counts where its middle falls.
const HALF_DAY_MS: u64 = 12 * 3_600_000;

/// The bucket range to read from a store for `[from_ms, to_ms)`: wide
/// enough for every day whose middle is in the period.
pub fn read_range(from_ms: u64, to_ms: u64) -> (u64, u64) {
    (from_ms.saturating_sub(HALF_DAY_MS), to_ms)
}

/// The part of `rows` (read over [`read_range`]) that `[from_ms, to_ms)`
/// counts: each row's volume if its hour starts in the period, its other
/// counters if its day's middle does; rows left with nothing are dropped.
pub fn in_period(rows: Vec<Row>, from_ms: u64, to_ms: u64) -> Vec<Row> {
    let period = from_ms..to_ms;
    let opened = Count::Opened.slot().unwrap_or_default();
    rows.into_iter()
        .filter_map(|mut row| {
            let hour_in = period.contains(&row.bucket_ms);
            let day_in = period.contains(&row.bucket_ms.saturating_add(HALF_DAY_MS));
            if !day_in {
                let volume = if hour_in {
                    row.counts.get(opened).copied().unwrap_or(0)
                } else {
                    0
                };
                row.counts.clear();
                if volume > 0 {
                    row.counts.resize(opened + 1, 0);
                    row.counts[opened] = volume;
                }
            } else if !hour_in {
                if let Some(volume) = row.counts.get_mut(opened) {
                    *volume = 0;
                }
            }
            row.counts.iter().any(|&c| c > 0).then_some(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: u64 = 3_600_000;

    fn row(bucket_ms: u64, counts: &[u64]) -> Row {
        Row {
            bucket_ms,
            row: "channel:chat".into(),
            counts: counts.to_vec(),
        }
    }

    #[test]
    fn volume_counts_by_its_hour_and_the_rest_by_the_middle_of_its_day() {
        // A period of UTC midnights, 48 h to 96 h; Berlin days start at
        // 23:00 UTC.
        let (from, to) = (48 * H, 96 * H);
        assert_eq!(read_range(from, to), (36 * H, 96 * H));
        let rows = vec![
            // The day before the first: its middle is outside.
            row(23 * H, &[0, 9]),
            // An hour before the period that is also a day start: the
            // day counts, the hour's volume does not.
            row(47 * H, &[5, 1]),
            row(48 * H, &[2]),
            // The last hour inside, and the day that starts there: its
            // middle is past the end.
            row(95 * H, &[3, 7]),
            row(96 * H, &[4, 4]),
        ];
        let kept: Vec<(u64, Vec<u64>)> = in_period(rows, from, to)
            .into_iter()
            .map(|r| (r.bucket_ms, r.counts))
            .collect();
        assert_eq!(
            kept,
            [(47 * H, vec![0, 1]), (48 * H, vec![2]), (95 * H, vec![3])]
        );
    }

    #[test]
    fn local_midnights_read_exactly_their_days() {
        // Days of 23 and 25 hours (clock changes) still count once.
        let starts = [0, 23 * H, 48 * H, 72 * H];
        let rows: Vec<Row> = starts.iter().map(|&s| row(s, &[0, 1])).collect();
        let read = in_period(rows, 23 * H, 72 * H);
        let days: Vec<u64> = read.iter().map(|r| r.bucket_ms).collect();
        assert_eq!(days, [23 * H, 48 * H]);
    }
}
