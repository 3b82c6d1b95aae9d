//! Opening hours against instants chosen around the 2026 daylight saving
//! changes, holidays and exceptions: the clock is a parameter, so each
//! case names the exact UTC instant it asks about.

use shared::hours::{DayException, Holiday, HoursError, OpenSpan, OpeningHours, TimeSpan};

use super::{check, holiday, is_open, next_opening_ms, zone_name};

/// Milliseconds of an RFC 3339 instant (`2026-03-30T07:00:00Z`).
fn at(text: &str) -> u64 {
    let ts: jiff::Timestamp = text.parse().expect("an instant");
    u64::try_from(ts.as_millisecond()).expect("after 1970")
}

fn span(weekday: u8, opens: &str, closes: &str) -> OpenSpan {
    OpenSpan {
        weekday,
        opens: minute(opens),
        closes: minute(closes),
    }
}

fn minute(hh_mm: &str) -> u16 {
    let (h, m) = hh_mm.split_once(':').expect("HH:MM");
    h.parse::<u16>().expect("hour") * 60 + m.parse::<u16>().expect("minute")
}

/// Monday to Friday, `opens` to `closes`, in `zone`.
fn weekdays(zone: &str, opens: &str, closes: &str) -> OpeningHours {
    OpeningHours::weekdays(zone, minute(opens), minute(closes))
}

fn holiday_on(date: &str, name: &str) -> Holiday {
    Holiday {
        date: date.into(),
        name: name.into(),
    }
}

fn exception(date: &str, spans: &[(&str, &str)]) -> DayException {
    DayException {
        date: date.into(),
        spans: spans
            .iter()
            .map(|(o, c)| TimeSpan {
                opens: minute(o),
                closes: minute(c),
            })
            .collect(),
    }
}

#[test]
fn berlin_opens_at_nine_local_across_both_2026_changes() {
    let hours = weekdays("Europe/Berlin", "09:00", "17:00");
    assert_eq!(check(&hours), Ok(()));
    // Winter (CET, +01:00): Friday 27 March opens 08:00 UTC.
    assert!(!is_open(&hours, at("2026-03-27T07:59:59Z")));
    assert!(is_open(&hours, at("2026-03-27T08:00:00Z")));
    assert!(is_open(&hours, at("2026-03-27T15:59:59Z")));
    assert!(!is_open(&hours, at("2026-03-27T16:00:00Z")));
    // Clocks go forward on Sunday 29 March; Monday opens 07:00 UTC.
    assert_eq!(
        next_opening_ms(&hours, at("2026-03-27T16:00:00Z")),
        Some(at("2026-03-30T07:00:00Z"))
    );
    assert!(!is_open(&hours, at("2026-03-30T06:59:59Z")));
    assert!(is_open(&hours, at("2026-03-30T07:00:00Z")));
    assert!(!is_open(&hours, at("2026-03-30T15:00:00Z")));
    // Summer (CEST, +02:00) until Sunday 25 October; then 08:00 UTC again.
    assert!(is_open(&hours, at("2026-10-23T07:00:00Z")));
    assert_eq!(
        next_opening_ms(&hours, at("2026-10-23T16:00:00Z")),
        Some(at("2026-10-26T08:00:00Z"))
    );
    assert!(!is_open(&hours, at("2026-10-26T07:30:00Z")));
    assert!(is_open(&hours, at("2026-10-26T08:00:00Z")));
}

#[test]
fn an_opening_the_clocks_skip_opens_at_the_jump() {
    // Sunday 29 March 2026, Berlin: 02:00 CET becomes 03:00 CEST at 01:00 UTC,
    // so 02:30 never happens; the wall clock is past it from the jump on.
    let hours = OpeningHours {
        time_zone: "Europe/Berlin".into(),
        spans: vec![span(6, "02:30", "05:00")],
        ..OpeningHours::default()
    };
    assert_eq!(
        next_opening_ms(&hours, at("2026-03-28T12:00:00Z")),
        Some(at("2026-03-29T01:00:00Z"))
    );
    assert!(!is_open(&hours, at("2026-03-29T00:59:59Z")));
    assert!(is_open(&hours, at("2026-03-29T01:00:00Z")));
    // A period wholly inside the skipped hour does not open that day.
    let skipped = OpeningHours {
        spans: vec![span(6, "02:10", "02:40")],
        ..hours
    };
    assert_eq!(
        next_opening_ms(&skipped, at("2026-03-28T12:00:00Z")),
        Some(at("2026-04-05T00:10:00Z"))
    );
}

#[test]
fn a_period_in_the_repeated_hour_opens_twice() {
    // Sunday 25 October 2026, Berlin: 03:00 CEST becomes 02:00 CET at
    // 01:00 UTC, so 02:00-02:45 happens at 00:00 and again at 01:00 UTC.
    let hours = OpeningHours {
        time_zone: "Europe/Berlin".into(),
        spans: vec![span(6, "02:00", "02:45")],
        ..OpeningHours::default()
    };
    let first = at("2026-10-25T00:00:00Z");
    assert_eq!(
        next_opening_ms(&hours, at("2026-10-24T12:00:00Z")),
        Some(first)
    );
    assert!(is_open(&hours, at("2026-10-25T00:30:00Z")));
    assert!(!is_open(&hours, at("2026-10-25T00:50:00Z")));
    assert_eq!(
        next_opening_ms(&hours, at("2026-10-25T00:50:00Z")),
        Some(at("2026-10-25T01:00:00Z"))
    );
    assert!(is_open(&hours, at("2026-10-25T01:30:00Z")));
}

#[test]
fn tehran_keeps_one_offset_all_year() {
    // Iran stopped daylight saving in 2022: +03:30 in June and January.
    let hours = weekdays("Asia/Tehran", "08:00", "16:00");
    assert_eq!(check(&hours), Ok(()));
    for monday in ["2026-06-15", "2026-01-05"] {
        assert!(!is_open(&hours, at(&format!("{monday}T04:29:00Z"))));
        assert!(is_open(&hours, at(&format!("{monday}T04:30:00Z"))));
        assert!(!is_open(&hours, at(&format!("{monday}T12:30:00Z"))));
    }
}

#[test]
fn new_york_moves_with_its_own_calendar() {
    // US clocks change on 8 March 2026, three weeks before Europe's.
    let hours = weekdays("America/New_York", "09:00", "17:00");
    assert!(is_open(&hours, at("2026-03-06T14:00:00Z")));
    assert!(!is_open(&hours, at("2026-03-06T13:30:00Z")));
    assert_eq!(
        next_opening_ms(&hours, at("2026-03-06T22:00:00Z")),
        Some(at("2026-03-09T13:00:00Z"))
    );
    assert!(is_open(&hours, at("2026-03-09T13:00:00Z")));
    // Friday 17:00 local is 21:00 UTC in summer.
    assert!(!is_open(&hours, at("2026-07-10T21:00:00Z")));
    assert!(is_open(&hours, at("2026-07-10T20:59:00Z")));
}

#[test]
fn a_holiday_closes_a_weekday_and_the_next_opening_skips_it() {
    let mut hours = weekdays("Europe/Berlin", "09:00", "17:00");
    hours.holidays = vec![
        holiday_on("2026-12-25", "Christmas Day"),
        holiday_on("2026-12-28", "Company day off"),
    ];
    assert_eq!(check(&hours), Ok(()));
    // Friday 25 December, 11:00 in Berlin.
    let christmas = at("2026-12-25T10:00:00Z");
    assert!(!is_open(&hours, christmas));
    assert_eq!(holiday(&hours, christmas).as_deref(), Some("Christmas Day"));
    // 00:30 on the 25th in Berlin is still the 24th in UTC: local date wins.
    assert_eq!(
        holiday(&hours, at("2026-12-24T23:30:00Z")).as_deref(),
        Some("Christmas Day")
    );
    assert_eq!(holiday(&hours, at("2026-12-24T22:30:00Z")), None);
    // From Thursday evening: past Christmas, the weekend and Monday's
    // holiday, to Tuesday 09:00 CET.
    assert_eq!(
        next_opening_ms(&hours, at("2026-12-24T16:00:00Z")),
        Some(at("2026-12-29T08:00:00Z"))
    );
}

#[test]
fn an_exception_opens_a_sunday_or_closes_a_day() {
    let mut hours = weekdays("Europe/Berlin", "09:00", "17:00");
    hours.exceptions = vec![
        exception("2026-12-27", &[("10:00", "14:00")]),
        exception("2026-12-24", &[]),
    ];
    assert_eq!(check(&hours), Ok(()));
    // Sunday 27 December, open 10:00-14:00 CET.
    assert!(is_open(&hours, at("2026-12-27T09:00:00Z")));
    assert!(!is_open(&hours, at("2026-12-27T13:00:00Z")));
    assert_eq!(
        next_opening_ms(&hours, at("2026-12-26T12:00:00Z")),
        Some(at("2026-12-27T09:00:00Z"))
    );
    // Thursday 24 December closed, Friday 25th an ordinary weekday here.
    assert!(!is_open(&hours, at("2026-12-24T10:00:00Z")));
    assert_eq!(
        next_opening_ms(&hours, at("2026-12-23T16:00:00Z")),
        Some(at("2026-12-25T08:00:00Z"))
    );
    // A holiday beats an exception on the same date.
    hours.holidays = vec![holiday_on("2026-12-27", "Closed after all")];
    assert!(!is_open(&hours, at("2026-12-27T09:00:00Z")));
}

#[test]
fn several_periods_a_day_close_for_lunch() {
    let hours = OpeningHours {
        time_zone: "UTC".into(),
        spans: (0..5)
            .flat_map(|d| [span(d, "09:00", "12:00"), span(d, "13:00", "17:00")])
            .collect(),
        ..OpeningHours::default()
    };
    // Monday 15 June 2026.
    assert!(is_open(&hours, at("2026-06-15T11:59:00Z")));
    assert!(!is_open(&hours, at("2026-06-15T12:30:00Z")));
    assert!(is_open(&hours, at("2026-06-15T13:00:00Z")));
    assert_eq!(
        next_opening_ms(&hours, at("2026-06-15T12:00:00Z")),
        Some(at("2026-06-15T13:00:00Z"))
    );
    // While open, the next opening is after the next closing.
    assert_eq!(
        next_opening_ms(&hours, at("2026-06-15T10:00:00Z")),
        Some(at("2026-06-15T13:00:00Z"))
    );
    // Periods that touch are one stretch: 12:00 is no opening.
    let touching = OpeningHours {
        spans: vec![span(0, "09:00", "12:00"), span(0, "12:00", "17:00")],
        ..hours
    };
    assert!(is_open(&touching, at("2026-06-15T12:00:00Z")));
    assert_eq!(
        next_opening_ms(&touching, at("2026-06-15T10:00:00Z")),
        Some(at("2026-06-22T09:00:00Z"))
    );
}

#[test]
fn a_period_may_run_to_midnight_and_on_into_the_next_day() {
    let hours = OpeningHours {
        time_zone: "UTC".into(),
        spans: vec![span(4, "18:00", "24:00"), span(5, "00:00", "02:00")],
        ..OpeningHours::default()
    };
    // Friday 19 June 2026 to Saturday morning.
    assert!(is_open(&hours, at("2026-06-19T23:59:59Z")));
    assert!(is_open(&hours, at("2026-06-20T00:00:00Z")));
    assert!(!is_open(&hours, at("2026-06-20T02:00:00Z")));
    // Saturday's 00:00 continues Friday's evening; the next opening is a
    // week on.
    assert_eq!(
        next_opening_ms(&hours, at("2026-06-19T20:00:00Z")),
        Some(at("2026-06-26T18:00:00Z"))
    );
}

#[test]
fn fixed_offset_schedules_behave_as_before() {
    let hours = OpeningHours {
        utc_offset_minutes: 60,
        spans: vec![span(0, "09:00", "17:00")],
        ..OpeningHours::default()
    };
    assert_eq!(check(&hours), Ok(()));
    // No daylight saving: 08:00 UTC in winter and in summer.
    for monday in ["2026-01-05", "2026-06-15"] {
        assert!(!is_open(&hours, at(&format!("{monday}T07:59:00Z"))));
        assert!(is_open(&hours, at(&format!("{monday}T08:00:00Z"))));
        assert!(!is_open(&hours, at(&format!("{monday}T16:00:00Z"))));
    }
    assert_eq!(
        next_opening_ms(&hours, at("2026-06-15T16:00:00Z")),
        Some(at("2026-06-22T08:00:00Z"))
    );
}

#[test]
fn a_schedule_that_never_opens_has_no_next_opening() {
    let never = OpeningHours {
        time_zone: "Europe/Berlin".into(),
        ..OpeningHours::default()
    };
    assert!(!is_open(&never, at("2026-06-15T10:00:00Z")));
    assert_eq!(next_opening_ms(&never, at("2026-06-15T10:00:00Z")), None);
    // Only a date already past opens.
    let past = OpeningHours {
        exceptions: vec![exception("2026-01-04", &[("10:00", "12:00")])],
        ..never
    };
    assert_eq!(next_opening_ms(&past, at("2026-06-15T10:00:00Z")), None);
}

#[test]
fn unknown_zones_and_impossible_dates_are_refused() {
    let mut hours = weekdays("Mars/Olympus_Mons", "09:00", "17:00");
    assert_eq!(
        check(&hours),
        Err(HoursError::TimeZone("Mars/Olympus_Mons".into()))
    );
    hours.time_zone = "Asia/Tehran".into();
    hours.holidays = vec![holiday_on("2026-02-30", "Never")];
    assert_eq!(check(&hours), Err(HoursError::Date("2026-02-30".into())));
    hours.holidays = vec![holiday_on("2028-02-29", "Leap day")];
    assert_eq!(check(&hours), Ok(()));
    hours.exceptions = vec![exception("2027-02-29", &[])];
    assert_eq!(check(&hours), Err(HoursError::Date("2027-02-29".into())));
}

#[test]
fn zone_names_are_stored_as_the_database_spells_them() {
    assert_eq!(zone_name(" europe/berlin ").as_deref(), Ok("Europe/Berlin"));
    assert_eq!(zone_name("ASIA/TEHRAN").as_deref(), Ok("Asia/Tehran"));
    assert_eq!(zone_name("UTC").as_deref(), Ok("UTC"));
    assert_eq!(
        zone_name("+01:00"),
        Err(HoursError::TimeZone("+01:00".into()))
    );
}
