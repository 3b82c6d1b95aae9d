//! The text forms `switchboard site` and `switchboard agent` accept, read
//! into the shared data types: kept apart from applying them so each
//! syntax, and the message for each mistake, is tested on its own.

use shared::hours::{is_date, DayException, Holiday, OpenSpan, OpeningHours, TimeSpan};
use shared::routing::{AttributeRule, Topic};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Why a schedule could not be read; says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursSyntax {
    #[error("{0:?} is not a day or a day range (mon, tue, ..., sun; e.g. mon-fri)")]
    Days(String),
    #[error("{0:?} is not a time range (HH:MM-HH:MM, e.g. 09:00-17:00)")]
    Times(String),
    #[error("{0:?} is not a UTC offset (e.g. +01:00, -05:00, 0)")]
    Offset(String),
    #[error("{0:?} is not a holiday (YYYY-MM-DD NAME, e.g. \"2026-12-25 Christmas Day\")")]
    Holiday(String),
    #[error(
        "{0:?} is not a day's exception (YYYY-MM-DD HH:MM-HH:MM[, HH:MM-HH:MM], \
         e.g. \"2026-12-27 10:00-14:00\", or YYYY-MM-DD closed)"
    )]
    Exception(String),
    #[error("{0}")]
    Invalid(#[from] shared::hours::HoursError),
}

/// Why a routing flag could not be read: the text and the form expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not {expected}")]
pub struct RoutingSyntax {
    pub text: String,
    pub expected: &'static str,
}

fn expected(text: &str, expected: &'static str) -> RoutingSyntax {
    RoutingSyntax {
        text: text.to_owned(),
        expected,
    }
}

/// Reads the weekly periods `mon-fri 09:00-17:00, sat 10:00-14:00`.
pub fn parse_weekly(text: &str) -> Result<Vec<OpenSpan>, HoursSyntax> {
    let mut spans = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (days, times) = part
            .split_once(char::is_whitespace)
            .ok_or_else(|| HoursSyntax::Times(part.to_owned()))?;
        let (opens, closes) = time_range(times.trim())?;
        for weekday in day_range(days)? {
            spans.push(OpenSpan {
                weekday,
                opens,
                closes,
            });
        }
    }
    Ok(spans)
}

/// Reads `mon-fri 09:00-17:00, sat 10:00-14:00` at a fixed `offset`
/// (`+01:00`): the schedule as it was before time zones.
pub fn parse_hours(text: &str, offset: &str) -> Result<OpeningHours, HoursSyntax> {
    let hours = OpeningHours {
        utc_offset_minutes: parse_offset(offset)?,
        spans: parse_weekly(text)?,
        ..OpeningHours::default()
    };
    hours.validate()?;
    Ok(hours)
}

fn day(name: &str) -> Option<u8> {
    let name = name.trim().to_lowercase();
    let index = DAYS.iter().position(|d| name.starts_with(d))?;
    u8::try_from(index).ok()
}

fn day_range(text: &str) -> Result<Vec<u8>, HoursSyntax> {
    let bad = || HoursSyntax::Days(text.to_owned());
    match text.split_once('-') {
        Some((from, to)) => {
            let (from, to) = (day(from).ok_or_else(bad)?, day(to).ok_or_else(bad)?);
            // A range may wrap past Sunday (fri-mon).
            let len = (to + 7 - from) % 7 + 1;
            Ok((0..len).map(|i| (from + i) % 7).collect())
        }
        None => Ok(vec![day(text).ok_or_else(bad)?]),
    }
}

fn time_range(text: &str) -> Result<(u16, u16), HoursSyntax> {
    let bad = || HoursSyntax::Times(text.to_owned());
    let (from, to) = text.split_once('-').ok_or_else(bad)?;
    Ok((minute(from).ok_or_else(bad)?, minute(to).ok_or_else(bad)?))
}

/// `HH:MM` as minutes after midnight; `24:00` is midnight at the end.
fn minute(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// A fixed UTC offset (`+01:00`, `-05:30`, `0`) in minutes.
pub fn parse_offset(text: &str) -> Result<i16, HoursSyntax> {
    let bad = || HoursSyntax::Offset(text.to_owned());
    let text = text.trim().trim_start_matches("UTC");
    if text == "0" || text.is_empty() {
        return Ok(0);
    }
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i16, i16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..60).contains(&m) || !(0..=14).contains(&h) {
        return Err(bad());
    }
    Ok(sign * (h * 60 + m))
}

/// The date at the start of `text` and the rest, trimmed.
fn dated(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let date = text.get(..10).filter(|d| is_date(d))?;
    let rest = &text[10..];
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| (date, rest.trim()))
}

/// `2026-12-25 Christmas Day`.
pub fn parse_holiday(text: &str) -> Result<Holiday, HoursSyntax> {
    match dated(text) {
        Some((date, name)) if !name.is_empty() => Ok(Holiday {
            date: date.to_owned(),
            name: name.to_owned(),
        }),
        _ => Err(HoursSyntax::Holiday(text.to_owned())),
    }
}

/// `2026-12-27 10:00-14:00[, 15:00-17:00]`, or `2026-12-24 closed`.
pub fn parse_exception(text: &str) -> Result<DayException, HoursSyntax> {
    let bad = || HoursSyntax::Exception(text.to_owned());
    let (date, rest) = dated(text).ok_or_else(bad)?;
    let spans = if rest.eq_ignore_ascii_case("closed") {
        Vec::new()
    } else {
        let ranges: Vec<&str> = rest.split(',').map(str::trim).collect();
        if ranges.iter().any(|r| r.is_empty()) {
            return Err(bad());
        }
        ranges
            .into_iter()
            .map(|r| {
                let (opens, closes) = time_range(r).map_err(|_| bad())?;
                Ok(TimeSpan { opens, closes })
            })
            .collect::<Result<_, HoursSyntax>>()?
    };
    Ok(DayException {
        date: date.to_owned(),
        spans,
    })
}

/// `billing:Billing`: a team's id and name.
pub fn parse_team(text: &str) -> Result<(String, String), RoutingSyntax> {
    match text.split_once(':') {
        Some((id, name)) if !id.trim().is_empty() && !name.trim().is_empty() => {
            Ok((id.trim().to_owned(), name.trim().to_owned()))
        }
        _ => Err(expected(text, "TEAM:NAME (e.g. billing:Billing)")),
    }
}

/// `KEY=VALUE`, as `--team-members`, `--team-hours`, `--topic-url` and
/// `--priority-attribute` take it; the value may be empty, the key not.
pub fn parse_pair(text: &str, form: &'static str) -> Result<(String, String), RoutingSyntax> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(expected(text, form)),
    }
}

/// `refunds:Refunds and returns:billing[:skill]`; the team may be left
/// empty (`faq:Questions:`). The label cannot hold a colon.
pub fn parse_topic(text: &str) -> Result<Topic, RoutingSyntax> {
    let bad = || {
        expected(
            text,
            "ID:LABEL:TEAM[:SKILL] (e.g. \"refunds:Refunds and returns:billing\"; \
             TEAM may be empty)",
        )
    };
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    let (id, label, team, skill) = match parts[..] {
        [id, label, team] => (id, label, team, ""),
        [id, label, team, skill] if !skill.is_empty() => (id, label, team, skill),
        _ => return Err(bad()),
    };
    if id.is_empty() || label.is_empty() {
        return Err(bad());
    }
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Ok(Topic {
        id: id.to_owned(),
        label: label.to_owned(),
        team: some(team),
        skill: some(skill),
        url_contains: Vec::new(),
    })
}

/// `plan=vip`: the contact attribute that goes first.
pub fn parse_attribute(text: &str) -> Result<AttributeRule, RoutingSyntax> {
    match parse_pair(text, "KEY=VALUE (e.g. plan=vip)") {
        Ok((key, value)) if !value.is_empty() => Ok(AttributeRule { key, value }),
        _ => Err(expected(text, "KEY=VALUE (e.g. plan=vip)")),
    }
}

/// A comma-separated list (`fa,en`), trimmed; empty text is an empty list.
pub fn parse_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
