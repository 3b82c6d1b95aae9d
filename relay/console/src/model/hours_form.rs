//! The opening-hours editor as rows of text, and its conversion to and
//! from `shared::hours::OpeningHours`.
//!
//! Times are `HH:MM` as `<input type="time">` gives them. That input
//! cannot say 24:00, so a period closing at `00:00` closes at midnight
//! (the end of its day, minute 1440), and is shown that way again; `24:00`
//! typed by hand means the same. Rows carry a key (see [`Keys`]) so the
//! UI can keep each row's inputs while rows are added and removed. Shape
//! is checked here with `OpeningHours::validate`; the zone name only the
//! relay can check (it holds the zone database).

use shared::hours::{DayException, Holiday, HoursError, OpenSpan, OpeningHours, TimeSpan};

const MIDNIGHT: u16 = 24 * 60;

/// Hands out row keys, unique within one form.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Keys(u64);

impl Keys {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

/// One weekly period: weekday 0 (Monday) to 6 (Sunday).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PeriodRow {
    pub(crate) key: u64,
    pub(crate) weekday: u8,
    pub(crate) opens: String,
    pub(crate) closes: String,
}

/// One period of an exception's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpanRow {
    pub(crate) key: u64,
    pub(crate) opens: String,
    pub(crate) closes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HolidayRow {
    pub(crate) key: u64,
    pub(crate) date: String,
    pub(crate) name: String,
}

/// A date with its own hours; `closed` (or no periods): closed that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExceptionRow {
    pub(crate) key: u64,
    pub(crate) date: String,
    pub(crate) closed: bool,
    pub(crate) spans: Vec<SpanRow>,
}

/// A schedule as the editor holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HoursForm {
    pub(crate) time_zone: String,
    /// A schedule stored before zones existed keeps its offset.
    pub(crate) utc_offset_minutes: i16,
    pub(crate) periods: Vec<PeriodRow>,
    pub(crate) holidays: Vec<HolidayRow>,
    pub(crate) exceptions: Vec<ExceptionRow>,
}

/// Why a schedule in the editor cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HoursProblem {
    /// A time that is not `HH:MM`; as typed.
    Time(String),
    NoTimeZone,
    Shape(HoursError),
}

/// `HH:MM` to minutes after midnight; a closing `00:00` (or `24:00`) is
/// midnight at the end of the day.
pub(crate) fn minutes(text: &str, closing: bool) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) | (0, 0) if closing => Some(MIDNIGHT),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// Minutes after midnight as `HH:MM` (midnight at the end of the day: `00:00`).
pub(crate) fn clock(minutes: u16) -> String {
    let minutes = minutes % MIDNIGHT;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn span_of(opens: &str, closes: &str) -> Result<(u16, u16), HoursProblem> {
    let time = |text: &str, closing| {
        minutes(text, closing).ok_or(HoursProblem::Time(text.trim().to_owned()))
    };
    Ok((time(opens, false)?, time(closes, true)?))
}

impl HoursForm {
    /// A new schedule: Monday to Friday, 09:00 to 17:00, in `time_zone`.
    pub(crate) fn office(time_zone: &str, keys: &mut Keys) -> Self {
        Self {
            time_zone: time_zone.to_owned(),
            utc_offset_minutes: 0,
            periods: (0..5)
                .map(|weekday| PeriodRow {
                    key: keys.next(),
                    weekday,
                    opens: "09:00".into(),
                    closes: "17:00".into(),
                })
                .collect(),
            holidays: Vec::new(),
            exceptions: Vec::new(),
        }
    }

    pub(crate) fn of(hours: &OpeningHours, keys: &mut Keys) -> Self {
        let spans = |spans: &[TimeSpan], keys: &mut Keys| {
            spans
                .iter()
                .map(|s| SpanRow {
                    key: keys.next(),
                    opens: clock(s.opens),
                    closes: clock(s.closes),
                })
                .collect::<Vec<_>>()
        };
        Self {
            time_zone: hours.time_zone.clone(),
            utc_offset_minutes: hours.utc_offset_minutes,
            periods: hours
                .spans
                .iter()
                .map(|s| PeriodRow {
                    key: keys.next(),
                    weekday: s.weekday,
                    opens: clock(s.opens),
                    closes: clock(s.closes),
                })
                .collect(),
            holidays: hours
                .holidays
                .iter()
                .map(|h| HolidayRow {
                    key: keys.next(),
                    date: h.date.clone(),
                    name: h.name.clone(),
                })
                .collect(),
            exceptions: hours
                .exceptions
                .iter()
                .map(|e| ExceptionRow {
                    key: keys.next(),
                    date: e.date.clone(),
                    closed: e.spans.is_empty(),
                    spans: spans(&e.spans, keys),
                })
                .collect(),
        }
    }

    /// The schedule to save, checked for shape.
    pub(crate) fn to_hours(&self) -> Result<OpeningHours, HoursProblem> {
        let time_zone = self.time_zone.trim().to_owned();
        if time_zone.is_empty() && self.utc_offset_minutes == 0 {
            return Err(HoursProblem::NoTimeZone);
        }
        let mut spans = Vec::with_capacity(self.periods.len());
        for row in &self.periods {
            let (opens, closes) = span_of(&row.opens, &row.closes)?;
            spans.push(OpenSpan {
                weekday: row.weekday,
                opens,
                closes,
            });
        }
        let mut exceptions = Vec::with_capacity(self.exceptions.len());
        for row in &self.exceptions {
            let mut spans = Vec::new();
            for span in row.spans.iter().filter(|_| !row.closed) {
                let (opens, closes) = span_of(&span.opens, &span.closes)?;
                spans.push(TimeSpan { opens, closes });
            }
            exceptions.push(DayException {
                date: row.date.trim().to_owned(),
                spans,
            });
        }
        let hours = OpeningHours {
            // A zone replaces the old fixed offset for good.
            utc_offset_minutes: if time_zone.is_empty() {
                self.utc_offset_minutes
            } else {
                0
            },
            time_zone,
            spans,
            holidays: self
                .holidays
                .iter()
                .map(|h| Holiday {
                    date: h.date.trim().to_owned(),
                    name: h.name.trim().to_owned(),
                })
                .collect(),
            exceptions,
        };
        hours.validate().map_err(HoursProblem::Shape)?;
        Ok(hours)
    }

    /// A new weekly period: the day after the last one's, same times.
    pub(crate) fn add_period(&mut self, keys: &mut Keys) {
        let row = match self.periods.last() {
            Some(last) => PeriodRow {
                key: keys.next(),
                weekday: (last.weekday + 1) % 7,
                ..last.clone()
            },
            None => PeriodRow {
                key: keys.next(),
                weekday: 0,
                opens: "09:00".into(),
                closes: "17:00".into(),
            },
        };
        self.periods.push(row);
    }

    pub(crate) fn add_holiday(&mut self, keys: &mut Keys) {
        self.holidays.push(HolidayRow {
            key: keys.next(),
            date: String::new(),
            name: String::new(),
        });
    }

    /// A new exception, closed until periods are given.
    pub(crate) fn add_exception(&mut self, keys: &mut Keys) {
        self.exceptions.push(ExceptionRow {
            key: keys.next(),
            date: String::new(),
            closed: true,
            spans: Vec::new(),
        });
    }

    /// A period for an exception's date (which is then open).
    pub(crate) fn add_exception_span(&mut self, exception: u64, keys: &mut Keys) {
        if let Some(row) = self.exceptions.iter_mut().find(|e| e.key == exception) {
            row.closed = false;
            row.spans.push(SpanRow {
                key: keys.next(),
                opens: "10:00".into(),
                closes: "14:00".into(),
            });
        }
    }

    /// Removes the period, holiday, exception or exception period `key`.
    pub(crate) fn remove(&mut self, key: u64) {
        self.periods.retain(|r| r.key != key);
        self.holidays.retain(|r| r.key != key);
        self.exceptions.retain(|r| r.key != key);
        for row in &mut self.exceptions {
            row.spans.retain(|s| s.key != key);
        }
    }
}
