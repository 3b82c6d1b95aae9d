//! A site's (or a team's) opening hours as data: weekly periods in a named
//! time zone, holidays and one-day exceptions. The relay decides with them
//! (`relay::opening_hours`, which holds the zone database, so daylight
//! saving is right without anyone touching the schedule); the widget
//! shows the next opening the relay computed, in the visitor's own locale
//! and zone. This crate only checks their shape, so it stays free of a
//! zone database (the widget is WebAssembly).

use serde::{Deserialize, Serialize};

const DAY_MINUTES: u16 = 24 * 60;
/// The most periods, holidays and exceptions one schedule may hold.
pub const MAX_SPANS: usize = 70;
pub const MAX_DATES: usize = 400;
pub const MAX_HOLIDAY_NAME_CHARS: usize = 80;

/// One open period of a weekday, in minutes after local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSpan {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// Opening minute, 0..1440.
    pub opens: u16,
    /// Closing minute, after `opens`, at most 1440 (midnight).
    pub closes: u16,
}

/// One open period of a particular date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeSpan {
    pub opens: u16,
    pub closes: u16,
}

/// A closed date, with the name the widget may show (`Christmas Day`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
    pub name: String,
}

/// A date with its own hours instead of its weekday's ("open this
/// Sunday 10:00–14:00"); no spans: closed that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayException {
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub spans: Vec<TimeSpan>,
}

/// When a site or team is staffed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHours {
    /// IANA zone name (`Europe/Berlin`). Empty only in schedules stored
    /// before zones existed: those keep their fixed `utc_offset_minutes`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub time_zone: String,
    /// Local time minus UTC, in minutes; read only when `time_zone` is empty.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub utc_offset_minutes: i16,
    pub spans: Vec<OpenSpan>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Holiday>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<DayException>,
}

fn is_zero(n: &i16) -> bool {
    *n == 0
}

/// Why a schedule cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursError {
    Weekday(u8),
    Span,
    Offset,
    /// Not a `YYYY-MM-DD` date.
    Date(String),
    /// Not a time zone the relay knows.
    TimeZone(String),
    HolidayName,
    TooMany,
}

impl std::fmt::Display for HoursError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Weekday(day) => write!(f, "weekday {day} is not 0 (Monday) to 6 (Sunday)"),
            Self::Span => f.write_str(
                "a period must open before it closes, within one day (minutes 0 to 1440)",
            ),
            Self::Offset => f.write_str("the UTC offset must be within ±14 hours"),
            Self::Date(date) => write!(f, "{date:?} is not a date (YYYY-MM-DD)"),
            Self::TimeZone(zone) => write!(
                f,
                "{zone:?} is not a time zone name (e.g. Europe/Berlin, Asia/Tehran, UTC)"
            ),
            Self::HolidayName => write!(
                f,
                "a holiday needs a name of 1 to {MAX_HOLIDAY_NAME_CHARS} characters"
            ),
            Self::TooMany => write!(
                f,
                "at most {MAX_SPANS} weekly periods and {MAX_DATES} holidays or exceptions"
            ),
        }
    }
}

impl std::error::Error for HoursError {}

fn span_ok(opens: u16, closes: u16) -> bool {
    opens < closes && closes <= DAY_MINUTES
}

/// `YYYY-MM-DD` with a plausible month and day (the relay checks the
/// calendar itself).
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| text[r].parse::<u16>().ok())?
    };
    matches!(
        (digits(0..4), digits(5..7), digits(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

impl OpeningHours {
    /// Open Monday to Friday from `opens` to `closes` (minutes after
    /// local midnight) in `time_zone`: the common office schedule.
    pub fn weekdays(time_zone: &str, opens: u16, closes: u16) -> Self {
        Self {
            time_zone: time_zone.into(),
            spans: (0..5)
                .map(|weekday| OpenSpan {
                    weekday,
                    opens,
                    closes,
                })
                .collect(),
            ..Self::default()
        }
    }

    /// Checks the shape: periods, dates, names, the legacy offset. The
    /// zone name is checked by the relay against its zone database.
    pub fn validate(&self) -> Result<(), HoursError> {
        if self.utc_offset_minutes.unsigned_abs() > 14 * 60 {
            return Err(HoursError::Offset);
        }
        if self.spans.len() > MAX_SPANS || self.holidays.len() + self.exceptions.len() > MAX_DATES {
            return Err(HoursError::TooMany);
        }
        for span in &self.spans {
            if span.weekday > 6 {
                return Err(HoursError::Weekday(span.weekday));
            }
            if !span_ok(span.opens, span.closes) {
                return Err(HoursError::Span);
            }
        }
        for holiday in &self.holidays {
            if !is_date(&holiday.date) {
                return Err(HoursError::Date(holiday.date.clone()));
            }
            let n = holiday.name.trim().chars().count();
            if n == 0 || n > MAX_HOLIDAY_NAME_CHARS {
                return Err(HoursError::HolidayName);
            }
        }
        for exception in &self.exceptions {
            if !is_date(&exception.date) {
                return Err(HoursError::Date(exception.date.clone()));
            }
            if exception.spans.len() > MAX_SPANS
                || exception.spans.iter().any(|s| !span_ok(s.opens, s.closes))
            {
                return Err(HoursError::Span);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nine_to_five() -> OpeningHours {
        OpeningHours::weekdays("Europe/Berlin", 9 * 60, 17 * 60)
    }

    #[test]
    fn bad_schedules_are_refused() {
        let mut hours = nine_to_five();
        assert_eq!(hours.validate(), Ok(()));
        hours.spans[0].weekday = 7;
        assert_eq!(hours.validate(), Err(HoursError::Weekday(7)));
        hours.spans[0] = OpenSpan {
            weekday: 0,
            opens: 600,
            closes: 600,
        };
        assert_eq!(hours.validate(), Err(HoursError::Span));
        let mut hours = nine_to_five();
        hours.holidays.push(Holiday {
            date: "2026-13-01".into(),
            name: "x".into(),
        });
        assert_eq!(hours.validate(), Err(HoursError::Date("2026-13-01".into())));
        hours.holidays[0].date = "2026-12-25".into();
        hours.holidays[0].name = " ".into();
        assert_eq!(hours.validate(), Err(HoursError::HolidayName));
        let mut hours = nine_to_five();
        hours.exceptions.push(DayException {
            date: "2026-12-27".into(),
            spans: vec![TimeSpan {
                opens: 900,
                closes: 1500,
            }],
        });
        assert_eq!(hours.validate(), Err(HoursError::Span));
        hours.utc_offset_minutes = 15 * 60;
        assert_eq!(hours.validate(), Err(HoursError::Offset));
    }

    #[test]
    fn dates_are_checked_for_shape() {
        for ok in ["2026-12-25", "2027-01-01", "2028-02-29"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2026-1-01",
            "2026/12/25",
            "2026-00-10",
            "2026-12-32",
            "",
            "२०२६-12-25",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn schedules_stored_with_a_fixed_offset_still_read() {
        let old = r#"{"utc_offset_minutes":60,"spans":[{"weekday":0,"opens":540,"closes":1020}]}"#;
        let hours: OpeningHours = serde_json::from_str(old).unwrap();
        assert_eq!(hours.utc_offset_minutes, 60);
        assert!(hours.time_zone.is_empty());
        assert_eq!(hours.validate(), Ok(()));
    }
}
