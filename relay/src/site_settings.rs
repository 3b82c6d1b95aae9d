//! A site owner's chat settings from the command line (`switchboard site`):
//! opening hours written the way people write them on a shop door
//! (`mon-fri 09:00-17:00, sat 10:00-14:00`, with a UTC offset such as
//! `+01:00`) and whether the widget asks for name and email/phone first.
//! Read-modify-write of the site record, like [`crate::site_admin`].

use shared::hours::{OpenSpan, OpeningHours};
use shared::SiteId;

use crate::store::{Site, Store, StoreError, StoreResult};

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
    #[error("{0}")]
    Invalid(#[from] shared::hours::HoursError),
}

/// Reads `mon-fri 09:00-17:00, sat 10:00-14:00` at `offset` (`+01:00`).
pub fn parse_hours(text: &str, offset: &str) -> Result<OpeningHours, HoursSyntax> {
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
    let hours = OpeningHours {
        utc_offset_minutes: parse_offset(offset)?,
        spans,
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

fn parse_offset(text: &str) -> Result<i16, HoursSyntax> {
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

/// What `switchboard site` changes; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteChanges {
    pub prechat_form: Option<bool>,
    /// `Some(None)` clears the hours (always staffed).
    pub hours: Option<Option<OpeningHours>>,
}

/// Applies `changes` to the site and returns it as stored.
pub async fn change_site(
    store: &dyn Store,
    site: &SiteId,
    changes: SiteChanges,
) -> StoreResult<Site> {
    let mut record = store.site(site).await?.ok_or(StoreError::NotFound)?;
    if let Some(prechat) = changes.prechat_form {
        record.prechat_form = prechat;
    }
    if let Some(hours) = changes.hours {
        record.hours = hours;
    }
    store.put_site(&record).await?;
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_door_hours_are_read() {
        let hours = parse_hours("Mon-Fri 09:00-17:30, sat 10:00-14:00", "+01:00").unwrap();
        assert_eq!(hours.utc_offset_minutes, 60);
        assert_eq!(hours.spans.len(), 6);
        assert_eq!(
            hours.spans[5],
            OpenSpan {
                weekday: 5,
                opens: 600,
                closes: 840
            }
        );
        assert_eq!(hours.spans[0].closes, 17 * 60 + 30);
        let wrapping = parse_hours("fri-mon 00:00-24:00", "-05:30").unwrap();
        let days: Vec<u8> = wrapping.spans.iter().map(|s| s.weekday).collect();
        assert_eq!(days, [4, 5, 6, 0]);
        assert_eq!(wrapping.utc_offset_minutes, -330);
    }

    #[test]
    fn mistakes_say_what_was_expected() {
        assert!(matches!(
            parse_hours("someday 09:00-17:00", "0"),
            Err(HoursSyntax::Days(_))
        ));
        assert!(matches!(
            parse_hours("mon 9-5", "0"),
            Err(HoursSyntax::Times(_))
        ));
        assert!(matches!(
            parse_hours("mon 17:00-09:00", "0"),
            Err(HoursSyntax::Invalid(_))
        ));
        assert!(matches!(
            parse_hours("mon 09:00-17:00", "+15:00"),
            Err(HoursSyntax::Offset(_))
        ));
        assert!(matches!(
            parse_hours("mon 09:00-17:00", "one"),
            Err(HoursSyntax::Offset(_))
        ));
    }
}
