//! How the acknowledgement reads: the case code, the place in the queue
//! with the expected wait in whole minutes (rounded up, so "about 2 min"
//! never promises less than the relay measured), and, outside the site's
//! hours, the holiday if that is why and when the team is back, in the
//! visitor's own locale and time zone. A message left through the offline
//! form is confirmed instead with where and when the answer comes.

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
        match &away.holiday {
            Some(holiday) => text.push_str(&fill(strings.ack_holiday, holiday)),
            None => text.push_str(strings.ack_away),
        }
        if let Some(at) = away.opens_at_ms {
            text.push(' ');
            text.push_str(&fill(strings.ack_back, back_at(at)));
        }
    }
    text
}

/// The thanks line of an offline confirmation around its case code, so
/// the code can stand in its own element: (before, after).
pub(crate) fn around_code(strings: &Catalog) -> (&'static str, &'static str) {
    strings
        .ack_thanks
        .split_once("{}")
        .unwrap_or((strings.ack_thanks, ""))
}

/// When and where the answer to an offline message comes: by email to
/// `email` (the address just given) after the site opens, or as soon as
/// an agent is back; `None` without the address (the line would promise
/// an email it cannot name).
pub(crate) fn offline_reply(
    strings: &Catalog,
    ack: &Acknowledgement,
    email: Option<&str>,
    opens_at_ms: Option<u64>,
    back_at: impl Fn(u64) -> String,
) -> Option<String> {
    let email = email?;
    let opens = ack
        .away
        .as_ref()
        .and_then(|a| a.opens_at_ms)
        .or(opens_at_ms);
    Some(match opens {
        Some(at) => fill2(strings.offline_reply_after, email, back_at(at)),
        None => fill(strings.offline_reply_soon, email),
    })
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
            offline: false,
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
        let hours = OpeningHours::default();
        let mut away = ack(Some(1), None);
        away.away = Some(Away {
            hours: hours.clone(),
            opens_at_ms: Some(5),
            holiday: None,
        });
        assert_eq!(
            lines(en, &away)[2],
            "We're away right now. We're back at 5."
        );
        away.away = Some(Away {
            hours: hours.clone(),
            opens_at_ms: None,
            holiday: None,
        });
        assert_eq!(lines(en, &away)[2], "We're away right now.");
        away.away = Some(Away {
            hours,
            opens_at_ms: Some(7),
            holiday: Some("Nowruz".into()),
        });
        assert_eq!(
            lines(en, &away)[2],
            "Closed today for Nowruz. We're back at 7."
        );
        assert_eq!(
            lines(catalog("fa"), &away)[2],
            "امروز به مناسبت Nowruz تعطیل هستیم. از at 7 دوباره در خدمت شما هستیم."
        );
    }

    #[test]
    fn an_offline_message_says_where_and_when_the_answer_comes() {
        let en = catalog("en");
        let mut left = ack(None, None);
        left.offline = true;
        let email = Some("ada@example.com");
        assert_eq!(
            offline_reply(en, &left, email, None, fake_time).as_deref(),
            Some("We'll answer here and by email at ada@example.com as soon as an agent is back.")
        );
        // The welcome's opening time stands in when the acknowledgement has none.
        assert_eq!(
            offline_reply(en, &left, email, Some(9), fake_time).as_deref(),
            Some("We'll answer here and by email at ada@example.com; expect a reply after at 9.")
        );
        left.away = Some(Away {
            hours: OpeningHours::default(),
            opens_at_ms: Some(5),
            holiday: None,
        });
        let reply = offline_reply(en, &left, email, Some(9), fake_time).unwrap_or_default();
        assert!(reply.ends_with("after at 5."), "{reply}");
        assert_eq!(offline_reply(en, &left, None, Some(9), fake_time), None);
        for lang in ["en", "he", "fa"] {
            let (before, after) = around_code(catalog(lang));
            assert_eq!(
                format!("{before}CASE-1{after}"),
                fill(catalog(lang).ack_thanks, "CASE-1")
            );
        }
    }
}
