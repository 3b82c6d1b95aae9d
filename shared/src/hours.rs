//! A site's opening hours: when agents answer, as a weekly schedule in one
//! fixed UTC offset. The relay decides with it whether a new conversation
//! starts outside hours (the acknowledgement then says when the team is
//! back); the widget shows the next opening in the visitor's own locale.
//! A fixed offset, not a time-zone name, keeps this crate free of a zone
//! database; a site with daylight saving updates its offset twice a year.

use serde::{Deserialize, Serialize};

const MINUTE_MS: u64 = 60_000;
const DAY_MINUTES: u32 = 24 * 60;
const WEEK_MINUTES: u32 = 7 * DAY_MINUTES;

/// One open span of a weekday, in minutes after local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSpan {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// Opening minute, 0..1440.
    pub opens: u16,
    /// Closing minute, after `opens`, at most 1440 (midnight).
    pub closes: u16,
}

/// When a site is staffed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHours {
    /// Local time minus UTC, in minutes (`60` for UTC+01:00).
    pub utc_offset_minutes: i16,
    pub spans: Vec<OpenSpan>,
}

/// Why a schedule cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursError {
    Weekday(u8),
    Span,
    Offset,
}

impl std::fmt::Display for HoursError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Weekday(day) => write!(f, "weekday {day} is not 0 (Monday) to 6 (Sunday)"),
            Self::Span => {
                f.write_str("a span must open before it closes, within one day (minutes 0 to 1440)")
            }
            Self::Offset => f.write_str("the UTC offset must be within ±14 hours"),
        }
    }
}

impl std::error::Error for HoursError {}

impl OpeningHours {
    /// Checks every span and the offset.
    pub fn validate(&self) -> Result<(), HoursError> {
        if self.utc_offset_minutes.unsigned_abs() > 14 * 60 {
            return Err(HoursError::Offset);
        }
        for span in &self.spans {
            if span.weekday > 6 {
                return Err(HoursError::Weekday(span.weekday));
            }
            if span.opens >= span.closes || u32::from(span.closes) > DAY_MINUTES {
                return Err(HoursError::Span);
            }
        }
        Ok(())
    }

    /// Minutes since local Monday 00:00 at `now_ms` (Unix ms).
    fn week_minute(&self, now_ms: u64) -> u32 {
        let utc_minutes = i64::try_from(now_ms / MINUTE_MS).unwrap_or(i64::MAX);
        let local = utc_minutes + i64::from(self.utc_offset_minutes);
        // 1970-01-01 was a Thursday: day 3 when Monday is 0.
        let since_monday = local + 3 * i64::from(DAY_MINUTES);
        u32::try_from(since_monday.rem_euclid(i64::from(WEEK_MINUTES))).unwrap_or(0)
    }

    /// Whether `now_ms` falls inside a span.
    pub fn is_open(&self, now_ms: u64) -> bool {
        let minute = self.week_minute(now_ms);
        self.spans.iter().any(|s| {
            let start = u32::from(s.weekday) * DAY_MINUTES;
            (start + u32::from(s.opens)..start + u32::from(s.closes)).contains(&minute)
        })
    }

    /// The next moment (Unix ms, on a minute boundary) a span opens after
    /// `now_ms`; `None` for a schedule with no spans.
    pub fn next_opening_ms(&self, now_ms: u64) -> Option<u64> {
        let minute = self.week_minute(now_ms);
        let wait = self
            .spans
            .iter()
            .map(|s| {
                let open = u32::from(s.weekday) * DAY_MINUTES + u32::from(s.opens);
                (open + WEEK_MINUTES - minute - 1) % WEEK_MINUTES + 1
            })
            .min()?;
        Some((now_ms / MINUTE_MS + u64::from(wait)) * MINUTE_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2026-11-23 00:00 UTC.
    const MONDAY_MS: u64 = 1_795_392_000_000;
    const HOUR_MS: u64 = 60 * MINUTE_MS;

    fn weekdays_nine_to_five(offset: i16) -> OpeningHours {
        OpeningHours {
            utc_offset_minutes: offset,
            spans: (0..5)
                .map(|weekday| OpenSpan {
                    weekday,
                    opens: 9 * 60,
                    closes: 17 * 60,
                })
                .collect(),
        }
    }

    #[test]
    fn open_inside_a_span_in_local_time() {
        let hours = weekdays_nine_to_five(60);
        // 08:30 UTC is 09:30 at UTC+1.
        assert!(hours.is_open(MONDAY_MS + 8 * HOUR_MS + 30 * MINUTE_MS));
        assert!(!hours.is_open(MONDAY_MS + 7 * HOUR_MS + 30 * MINUTE_MS));
        // Saturday noon.
        assert!(!hours.is_open(MONDAY_MS + 5 * 24 * HOUR_MS + 12 * HOUR_MS));
    }

    #[test]
    fn next_opening_skips_the_weekend() {
        let hours = weekdays_nine_to_five(0);
        let friday_evening = MONDAY_MS + 4 * 24 * HOUR_MS + 18 * HOUR_MS;
        let next_monday_nine = MONDAY_MS + 7 * 24 * HOUR_MS + 9 * HOUR_MS;
        assert_eq!(
            hours.next_opening_ms(friday_evening),
            Some(next_monday_nine)
        );
        let empty = OpeningHours {
            utc_offset_minutes: 0,
            spans: vec![],
        };
        assert_eq!(empty.next_opening_ms(friday_evening), None);
    }

    #[test]
    fn bad_schedules_are_refused() {
        let mut hours = weekdays_nine_to_five(0);
        assert_eq!(hours.validate(), Ok(()));
        hours.spans[0].weekday = 7;
        assert_eq!(hours.validate(), Err(HoursError::Weekday(7)));
        hours.spans[0] = OpenSpan {
            weekday: 0,
            opens: 600,
            closes: 600,
        };
        assert_eq!(hours.validate(), Err(HoursError::Span));
        hours.spans.clear();
        hours.utc_offset_minutes = 15 * 60;
        assert_eq!(hours.validate(), Err(HoursError::Offset));
    }
}
