//! How much of a stretch of time falls inside a site's opening hours:
//! the business-hours variant of every duration a report shows (a
//! question asked on Friday evening and answered on Monday morning waited
//! minutes of business time, not a weekend). The hours' rules (zone,
//! daylight saving, holidays, exceptions) are `crate::opening_hours`'s;
//! this only adds up its open intervals, one local day at a time.

use shared::hours::OpeningHours;

use crate::opening_hours::{local_date, open_intervals_ms, time_zone};

/// Milliseconds of `[from_ms, to_ms)` inside `hours`; all of them when
/// the site has no hours (it is always open), 0 when `to_ms <= from_ms`.
/// Costs one step per local day spanned.
pub fn business_ms(hours: Option<&OpeningHours>, from_ms: u64, to_ms: u64) -> u64 {
    if to_ms <= from_ms {
        return 0;
    }
    let Some(hours) = hours else {
        return to_ms - from_ms;
    };
    let tz = time_zone(hours);
    let (Some(first), Some(last)) = (local_date(&tz, from_ms), local_date(&tz, to_ms - 1)) else {
        return 0;
    };
    // A zone whose clocks go back across midnight gives a few instants
    // of one date after instants of the next: look a day either side.
    // Instants of different dates never overlap, so nothing counts twice.
    let (Ok(mut date), Ok(last)) = (first.yesterday(), last.tomorrow()) else {
        return 0;
    };
    let (from, to) = (clamp(from_ms), clamp(to_ms));
    let mut total: u64 = 0;
    while date <= last {
        for (start, end) in open_intervals_ms(hours, &tz, date) {
            let overlap = end.min(to) - start.max(from);
            total += u64::try_from(overlap).unwrap_or(0);
        }
        let Ok(next) = date.tomorrow() else { break };
        date = next;
    }
    total
}

fn clamp(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
