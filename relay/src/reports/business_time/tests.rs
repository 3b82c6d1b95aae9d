//! Business time against instants chosen around a weekend, the 2026
//! Europe/Berlin daylight saving changes (29 March, 25 October), a
//! holiday and an exception; and against a minute-by-minute count with
//! `opening_hours::is_open`, the rule it must agree with.

use shared::hours::{DayException, Holiday, OpenSpan, OpeningHours, TimeSpan};

use super::business_ms;
use crate::opening_hours::is_open;

const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;

/// Milliseconds of an RFC 3339 instant.
fn at(text: &str) -> u64 {
    let ts: jiff::Timestamp = text.parse().expect("an instant");
    u64::try_from(ts.as_millisecond()).expect("after 1970")
}

fn span(weekday: u8, opens: u16, closes: u16) -> OpenSpan {
    OpenSpan {
        weekday,
        opens: opens * 60,
        closes: closes * 60,
    }
}

/// Monday to Friday, 09:00–17:00, Berlin.
fn office() -> OpeningHours {
    OpeningHours::weekdays("Europe/Berlin", 9 * 60, 17 * 60)
}

/// Sundays only, `opens`–`closes` (minutes), Berlin.
fn sundays(opens: u16, closes: u16) -> OpeningHours {
    OpeningHours {
        time_zone: "Europe/Berlin".into(),
        spans: vec![OpenSpan {
            weekday: 6,
            opens,
            closes,
        }],
        ..OpeningHours::default()
    }
}

/// The reference: minute by minute with `is_open`.
fn counted(hours: &OpeningHours, from: u64, to: u64) -> u64 {
    (from / MINUTE..to / MINUTE)
        .filter(|m| is_open(hours, m * MINUTE))
        .count() as u64
        * MINUTE
}

#[test]
fn without_hours_all_of_it_counts() {
    assert_eq!(business_ms(None, 1_000, 5_500), 4_500);
    assert_eq!(business_ms(None, 5_000, 5_000), 0);
    assert_eq!(business_ms(Some(&office()), 9_000, 5_000), 0);
}

#[test]
fn a_weekend_counts_nothing() {
    let hours = office();
    // Friday 16:00 CET to Monday 10:00 CEST, over the spring change.
    let (from, to) = (at("2026-03-27T15:00:00Z"), at("2026-03-30T08:00:00Z"));
    assert_eq!(business_ms(Some(&hours), from, to), 2 * HOUR);
    // Saturday and Sunday alone.
    let weekend = (at("2026-03-27T23:00:00Z"), at("2026-03-29T22:00:00Z"));
    assert_eq!(business_ms(Some(&hours), weekend.0, weekend.1), 0);
    // Part of one day, mid-period, to the millisecond.
    let (from, to) = (at("2026-03-30T07:30:00.250Z"), at("2026-03-30T08:00:00Z"));
    assert_eq!(business_ms(Some(&hours), from, to), 30 * MINUTE - 250);
}

#[test]
fn office_hours_follow_the_wall_clock_across_daylight_saving() {
    let hours = office();
    // Monday 09:00–17:00 is 07:00–15:00 UTC after the spring change…
    let monday = (at("2026-03-30T07:00:00Z"), at("2026-03-30T15:00:00Z"));
    assert_eq!(business_ms(Some(&hours), monday.0, monday.1), 8 * HOUR);
    // …and 08:00–16:00 UTC after the autumn one.
    let (from, to) = (at("2026-10-26T07:00:00Z"), at("2026-10-26T16:00:00Z"));
    assert_eq!(business_ms(Some(&hours), from, to), 8 * HOUR);
}

#[test]
fn a_period_over_the_spring_gap_is_an_hour_shorter() {
    // Sunday 01:00–04:00 on 29 March: 00:00Z to 02:00Z.
    let hours = sundays(60, 240);
    let day = (at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z"));
    assert_eq!(business_ms(Some(&hours), day.0, day.1), 2 * HOUR);
    // 02:30–03:30 opens at the jump (03:00 CEST = 01:00Z).
    let hours = sundays(150, 210);
    assert_eq!(business_ms(Some(&hours), day.0, day.1), 30 * MINUTE);
    assert_eq!(counted(&hours, day.0, day.1), 30 * MINUTE);
}

#[test]
fn a_period_over_the_autumn_repeat_is_an_hour_longer() {
    // Sunday 01:00–04:00 on 25 October: 23:00Z (Saturday) to 03:00Z.
    let hours = sundays(60, 240);
    let day = (at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z"));
    assert_eq!(business_ms(Some(&hours), day.0, day.1), 4 * HOUR);
    // 02:30–04:00 is open 00:30Z–01:00Z, closed while the clock reads
    // 02:00–02:30 again, then open 01:30Z–03:00Z.
    let hours = sundays(150, 240);
    assert_eq!(business_ms(Some(&hours), day.0, day.1), 2 * HOUR);
    let first = (at("2026-10-25T00:30:00Z"), at("2026-10-25T01:30:00Z"));
    assert_eq!(business_ms(Some(&hours), first.0, first.1), 30 * MINUTE);
}

#[test]
fn holidays_close_and_exceptions_open() {
    let mut hours = office();
    // Thursday 24 December 16:00 to Monday 28 December 10:00 (CET).
    let (from, to) = (at("2026-12-24T15:00:00Z"), at("2026-12-28T09:00:00Z"));
    assert_eq!(business_ms(Some(&hours), from, to), 9 * HOUR + HOUR);
    hours.holidays.push(Holiday {
        date: "2026-12-25".into(),
        name: "Christmas Day".into(),
    });
    assert_eq!(business_ms(Some(&hours), from, to), 2 * HOUR);
    hours.exceptions.push(DayException {
        date: "2026-12-27".into(),
        spans: vec![TimeSpan {
            opens: 10 * 60,
            closes: 14 * 60,
        }],
    });
    assert_eq!(business_ms(Some(&hours), from, to), 6 * HOUR);
    // A holiday wins over an exception on the same date.
    hours.holidays.push(Holiday {
        date: "2026-12-27".into(),
        name: "Closed".into(),
    });
    assert_eq!(business_ms(Some(&hours), from, to), 2 * HOUR);
}

#[test]
fn schedules_with_a_fixed_offset_keep_it() {
    let hours = OpeningHours {
        utc_offset_minutes: 60,
        spans: vec![span(0, 9, 17)],
        ..OpeningHours::default()
    };
    // Monday 30 March: 08:00Z–16:00Z whatever Berlin does.
    let day = (at("2026-03-30T00:00:00Z"), at("2026-03-31T00:00:00Z"));
    assert_eq!(business_ms(Some(&hours), day.0, day.1), 8 * HOUR);
}

#[test]
fn agrees_with_is_open_minute_by_minute() {
    let mut overlapping = office();
    overlapping.spans.push(span(0, 16, 24));
    overlapping.spans.push(span(1, 0, 2));
    overlapping.time_zone = "America/New_York".into();
    let schedules = [
        office(),
        sundays(60, 240),
        sundays(150, 210),
        sundays(0, 1440),
        overlapping,
    ];
    let windows = [
        ("2026-03-26T13:07:00Z", "2026-04-01T03:00:00Z"),
        ("2026-10-22T00:00:00Z", "2026-10-27T11:11:00Z"),
        ("2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"),
        ("2026-10-30T00:00:00Z", "2026-11-03T00:00:00Z"),
    ];
    for hours in &schedules {
        for (from, to) in windows {
            let (from, to) = (at(from), at(to));
            assert_eq!(
                business_ms(Some(hours), from, to),
                counted(hours, from, to),
                "{} {from}..{to}",
                hours.time_zone
            );
        }
    }
}

#[test]
fn a_long_stretch_costs_days_not_minutes() {
    let hours = office();
    // 2026 has 261 weekdays; the year starts and ends in CET.
    let year = (at("2025-12-31T23:00:00Z"), at("2026-12-31T23:00:00Z"));
    assert_eq!(business_ms(Some(&hours), year.0, year.1), 261 * 8 * HOUR);
}
