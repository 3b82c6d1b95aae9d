//! How the acknowledgement reads: the case code, the place in the queue
//! with the expected wait in whole minutes (rounded up, so "about 2 min"
//! never promises less than the relay measured), and, outside the site's
//! hours, when the team is back, in the visitor's own locale.

use js_sys::{Function, Object, Reflect};
use shared::card::Acknowledgement;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{fill, fill2, Catalog};

const MINUTE_MS: u64 = 60_000;

/// The expected wait in minutes: rounded up, at least one.
pub(crate) fn wait_minutes(ms: u64) -> u64 {
    ms.div_ceil(MINUTE_MS).max(1)
}

/// The acknowledgement, one line per fact (shown with `white-space:
/// pre-line`); `back_at` words an opening time (Unix ms).
pub(crate) fn text(
    strings: &Catalog,
    ack: &Acknowledgement,
    back_at: impl Fn(u64) -> String,
) -> String {
    let mut text = fill(strings.ack_thanks, &ack.case_code);
    if let Some(position) = ack.queue_position {
        text.push('\n');
        text.push_str(&match ack.expected_wait_ms {
            Some(ms) => fill2(strings.ack_queue_wait, position, wait_minutes(ms)),
            None => fill(strings.ack_queue, position),
        });
    }
    if let Some(away) = &ack.away {
        text.push('\n');
        text.push_str(strings.ack_away);
        if let Some(at) = away.opens_at_ms {
            text.push(' ');
            text.push_str(&fill(strings.ack_back, back_at(at)));
        }
    }
    text
}

/// Weekday and time of `at_ms` in `lang` ("Mon 09:00"), by the browser's
/// `Date.toLocaleString`. Called through `Function.call`, which turns the
/// `RangeError` of a malformed language tag (the tag comes from the iframe
/// URL) into an `Err`; then the browser's own locale is used.
pub(crate) fn local_time(lang: &str, at_ms: u64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at_ms as f64));
    let options = Object::new();
    for (key, value) in [
        ("weekday", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = Reflect::set(&options, &key.into(), &value.into());
    }
    let format = |locale: &JsValue| -> Option<String> {
        let method: Function = Reflect::get(&date, &"toLocaleString".into())
            .ok()?
            .dyn_into()
            .ok()?;
        method.call2(&date, locale, &options).ok()?.as_string()
    };
    format(&lang.into())
        .or_else(|| format(&JsValue::UNDEFINED))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use shared::card::Away;
    use shared::hours::OpeningHours;

    use super::*;
    use crate::i18n::catalog;

    fn ack(position: Option<u32>, wait: Option<u64>) -> Acknowledgement {
        Acknowledgement {
            conversation: "c1".into(),
            case_code: "CASE-1001".into(),
            queue_position: position,
            expected_wait_ms: wait,
            away: None,
        }
    }

    fn fake_time(at: u64) -> String {
        format!("at {at}")
    }

    fn lines(strings: &Catalog, ack: &Acknowledgement) -> Vec<String> {
        text(strings, ack, fake_time)
            .split('\n')
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn waits_round_up_to_whole_minutes() {
        assert_eq!(wait_minutes(0), 1);
        assert_eq!(wait_minutes(1), 1);
        assert_eq!(wait_minutes(60_000), 1);
        assert_eq!(wait_minutes(60_001), 2);
        assert_eq!(wait_minutes(150_000), 3);
    }

    #[test]
    fn the_case_code_then_the_queue_and_the_wait() {
        let en = catalog("en");
        assert_eq!(
            lines(en, &ack(Some(3), Some(90_000))),
            [
                "Thanks — your reference is CASE-1001.",
                "You're number 3 in the queue; expected wait about 2 min."
            ]
        );
        assert_eq!(
            lines(en, &ack(Some(1), None))[1],
            "You're number 1 in the queue."
        );
        assert_eq!(lines(en, &ack(None, Some(60_000))).len(), 1);
    }

    #[test]
    fn away_says_when_the_team_is_back() {
        let en = catalog("en");
        let hours = OpeningHours {
            utc_offset_minutes: 0,
            spans: vec![],
        };
        let mut away = ack(Some(1), None);
        away.away = Some(Away {
            hours: hours.clone(),
            opens_at_ms: Some(5),
        });
        assert_eq!(
            lines(en, &away)[2],
            "We're away right now. We're back at 5."
        );
        away.away = Some(Away {
            hours,
            opens_at_ms: None,
        });
        assert_eq!(lines(en, &away)[2], "We're away right now.");
    }
}
