//! Whether a site or team is open at an instant, and when it next opens,
//! from its [`OpeningHours`] in its named time zone. The schedule is kept
//! as local wall-clock times and the zone's rules are applied only here,
//! with jiff's bundled zone database, so daylight saving changes (and a
//! government moving its clocks) never need the schedule touched.
//!
//! How a day is decided, in the schedule's local time:
//! - a holiday date is closed, whatever else is said about it;
//! - an exception date has its own periods (none: closed) instead of its
//!   weekday's;
//! - any other date has its weekday's periods.
//!
//! Daylight saving: a period is open while the local wall clock reads
//! inside it. So an opening time the clocks skip (02:30 on a spring-forward
//! night) opens at the jump itself, when the wall clock first reads past
//! it; an opening time that happens twice (in the autumn's repeated hour)
//! opens at its first occurrence, and again at the second if the period
//! closed in between.
//!
//! Schedules stored before zones existed have an empty `time_zone` and a
//! fixed `utc_offset_minutes`, and keep behaving exactly as they did.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::Timestamp;
use shared::hours::{HoursError, OpeningHours};

#[cfg(test)]
mod tests;

/// How far ahead [`next_opening_ms`] looks: a year, plus room for a
/// closure spanning the turn of it.
const SCAN_DAYS: u32 = 400;

/// Checks the schedule's shape, that its zone is known, and that each
/// holiday and exception date is a real calendar date.
pub fn check(hours: &OpeningHours) -> Result<(), HoursError> {
    hours.validate()?;
    if !hours.time_zone.is_empty() && TimeZone::get(&hours.time_zone).is_err() {
        return Err(HoursError::TimeZone(hours.time_zone.clone()));
    }
    let dates = hours.holidays.iter().map(|h| &h.date);
    for date in dates.chain(hours.exceptions.iter().map(|e| &e.date)) {
        if date.parse::<Date>().is_err() {
            return Err(HoursError::Date(date.clone()));
        }
    }
    Ok(())
}

/// The zone database's own spelling of `name` (looked up regardless of
/// case), so every schedule stores one form of it.
pub fn zone_name(name: &str) -> Result<String, HoursError> {
    let name = name.trim();
    let tz = TimeZone::get(name).map_err(|_| HoursError::TimeZone(name.to_owned()))?;
    Ok(tz.iana_name().unwrap_or(name).to_owned())
}

/// The zone a schedule is read in. A zone name this relay does not know
/// (only possible for a record written by another version or by hand,
/// since [`check`] refuses them) falls back to the legacy offset rather
/// than declaring the site closed forever.
fn zone(hours: &OpeningHours) -> TimeZone {
    if !hours.time_zone.is_empty() {
        if let Ok(tz) = TimeZone::get(&hours.time_zone) {
            return tz;
        }
    }
    Offset::from_seconds(i32::from(hours.utc_offset_minutes) * 60)
        .map(TimeZone::fixed)
        .unwrap_or(TimeZone::UTC)
}

fn timestamp(ms: u64) -> Option<Timestamp> {
    Timestamp::from_millisecond(i64::try_from(ms).ok()?).ok()
}

/// `YYYY-MM-DD`, the form holidays and exceptions are stored in.
fn date_key(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The open periods of one local date, as (opens, closes) minutes.
fn periods(hours: &OpeningHours, date: Date) -> Vec<(u16, u16)> {
    let key = date_key(date);
    if hours.holidays.iter().any(|h| h.date == key) {
        return Vec::new();
    }
    if let Some(exception) = hours.exceptions.iter().find(|e| e.date == key) {
        return exception
            .spans
            .iter()
            .map(|s| (s.opens, s.closes))
            .collect();
    }
    let weekday = date.weekday().to_monday_zero_offset();
    hours
        .spans
        .iter()
        .filter(|s| i16::from(s.weekday) == i16::from(weekday))
        .map(|s| (s.opens, s.closes))
        .collect()
}

fn open_at(hours: &OpeningHours, tz: &TimeZone, at: Timestamp) -> bool {
    let local = tz.to_datetime(at);
    let minute = i32::from(local.hour()) * 60 + i32::from(local.minute());
    periods(hours, local.date())
        .iter()
        .any(|&(opens, closes)| i32::from(opens) <= minute && minute < i32::from(closes))
}

/// Whether `now_ms` falls inside an open period.
pub fn is_open(hours: &OpeningHours, now_ms: u64) -> bool {
    timestamp(now_ms).is_some_and(|now| open_at(hours, &zone(hours), now))
}

/// The instants at which the local wall clock reaches `minute` of `date`:
/// one normally; two in a repeated hour; in a skipped hour, the jump
/// itself (the first instant the wall clock reads past it).
fn instants(tz: &TimeZone, date: Date, minute: u16) -> Vec<Timestamp> {
    let Ok(hour) = i8::try_from(minute / 60) else {
        return Vec::new();
    };
    let Ok(min) = i8::try_from(minute % 60) else {
        return Vec::new();
    };
    let local: DateTime = date.at(hour, min, 0, 0);
    let ambiguous = tz.to_ambiguous_timestamp(local);
    match ambiguous.offset() {
        AmbiguousOffset::Gap { .. } => {
            // `later` reads the time with the offset before the jump, so it
            // lies just past the transition; the transition is the opening.
            let Ok(after_jump) = ambiguous.later() else {
                return Vec::new();
            };
            let Ok(probe) = after_jump.checked_add(jiff::SignedDuration::from_nanos(1)) else {
                return Vec::new();
            };
            tz.preceding(probe)
                .next()
                .map(|t| t.timestamp())
                .into_iter()
                .collect()
        }
        _ => [ambiguous.earlier(), ambiguous.later()]
            .into_iter()
            .flatten()
            .collect(),
    }
}

/// The next instant strictly after `now_ms` at which it goes from closed
/// to open, looking [`SCAN_DAYS`] ahead; `None` when it never opens.
pub fn next_opening_ms(hours: &OpeningHours, now_ms: u64) -> Option<u64> {
    let now = timestamp(now_ms)?;
    let tz = zone(hours);
    let one_ms = jiff::SignedDuration::from_millis(1);
    let mut date = tz.to_datetime(now).date();
    for _ in 0..SCAN_DAYS {
        let opening = periods(hours, date)
            .iter()
            .flat_map(|&(opens, _)| instants(&tz, date, opens))
            .filter(|&at| at > now)
            // A period that continues another (12:00 after 09:00-12:00, or
            // 00:00 after yesterday's 24:00) is no opening.
            .filter(|&at| {
                open_at(hours, &tz, at)
                    && at
                        .checked_sub(one_ms)
                        .is_ok_and(|before| !open_at(hours, &tz, before))
            })
            .min();
        if let Some(at) = opening {
            return u64::try_from(at.as_millisecond()).ok();
        }
        date = date.tomorrow().ok()?;
    }
    None
}

/// The name of the holiday at `now_ms` (in the schedule's local date), if
/// it is one.
pub fn holiday(hours: &OpeningHours, now_ms: u64) -> Option<String> {
    let now = timestamp(now_ms)?;
    let key = date_key(zone(hours).to_datetime(now).date());
    hours
        .holidays
        .iter()
        .find(|h| h.date == key)
        .map(|h| h.name.clone())
}

/// The zone `hours` is read in: its named zone, else its fixed offset.
pub fn time_zone(hours: &OpeningHours) -> TimeZone {
    zone(hours)
}

/// The local date in `tz` at `ms`.
pub fn local_date(tz: &TimeZone, ms: u64) -> Option<Date> {
    Some(tz.to_datetime(timestamp(ms)?).date())
}

/// The first instant (Unix ms) of the local day in `tz` holding `ms`:
/// midnight, or the first instant after it where a clock change skips
/// midnight. `ms` itself when the zone database cannot say.
pub fn day_start_ms(tz: &TimeZone, ms: u64) -> u64 {
    timestamp(ms)
        .and_then(|at| at.to_zoned_datetime(tz.clone()).start_of_day().ok())
        .and_then(|start| u64::try_from(start.timestamp().as_millisecond()).ok())
        .unwrap_or(ms)
}

/// Offsets stay within ±26 hours, so every instant of a local date lies
/// within this much of that date's midnight read as UTC.
const MAX_OFFSET_MS: i64 = 26 * 3_600_000;

/// The instants of local `date` (in `tz`, the schedule's zone) at which
/// the schedule is open, as sorted, disjoint `[start, end)` Unix ms; by
/// the same rule as [`is_open`], so daylight saving shortens, lengthens or
/// splits a period exactly as the wall clock does. Costs one look at the
/// zone's transitions, however long the periods.
pub fn open_intervals_ms(hours: &OpeningHours, tz: &TimeZone, date: Date) -> Vec<(i64, i64)> {
    let mut local = periods(hours, date);
    if local.is_empty() {
        return Vec::new();
    }
    local.sort_unstable();
    let Ok(midnight) = Offset::UTC.to_timestamp(date.at(0, 0, 0, 0)) else {
        return Vec::new();
    };
    let midnight = midnight.as_millisecond();
    let window_end = midnight + 86_400_000 + MAX_OFFSET_MS;
    // Between transitions the offset is fixed, so the wall clock reads
    // inside a period over one interval per period and stretch.
    let mut stretches = Vec::new();
    let Ok(mut start) = Timestamp::from_millisecond(midnight - MAX_OFFSET_MS) else {
        return Vec::new();
    };
    let mut offset = tz.to_offset(start);
    for transition in tz.following(start) {
        let at = transition.timestamp();
        if at.as_millisecond() >= window_end {
            break;
        }
        stretches.push((start.as_millisecond(), at.as_millisecond(), offset));
        (start, offset) = (at, transition.offset());
    }
    stretches.push((start.as_millisecond(), window_end, offset));
    let mut open: Vec<(i64, i64)> = Vec::new();
    for (from, to, offset) in stretches {
        let shift = i64::from(offset.seconds()) * 1000;
        for &(opens, closes) in &local {
            let opens = midnight + i64::from(opens) * 60_000 - shift;
            let closes = midnight + i64::from(closes) * 60_000 - shift;
            let (start, end) = (opens.max(from), closes.min(to));
            if start < end {
                open.push((start, end));
            }
        }
    }
    open.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(open.len());
    for (start, end) in open {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}
