//! Times as the agent reads them: the browser formats them in the
//! catalog's language and the agent's time zone, so nothing here knows
//! calendars.

use js_sys::Date;
use wasm_bindgen::JsValue;

use crate::i18n::catalog;

fn date_of(ms: u64) -> Date {
    // Milliseconds since 1970 stay far below 2^53: exact as f64.
    #[allow(clippy::cast_precision_loss)]
    let ms = ms as f64;
    Date::new(&JsValue::from_f64(ms))
}

/// "12/03/2026, 14:05" in the agent's locale.
pub(crate) fn date_time(ms: u64) -> String {
    date_of(ms)
        .to_locale_string(catalog().lang, &JsValue::UNDEFINED)
        .into()
}

/// "12/03/2026" in the agent's locale.
pub(crate) fn date(ms: u64) -> String {
    date_of(ms)
        .to_locale_date_string(catalog().lang, &JsValue::UNDEFINED)
        .into()
}

/// "12/03/2026, 14:05" (no seconds) in the agent's locale.
pub(crate) fn short_date_time(ms: u64) -> String {
    let options = js_sys::Object::new();
    for key in ["dateStyle", "timeStyle"] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &"short".into());
    }
    date_of(ms)
        .to_locale_string(catalog().lang, &options)
        .into()
}
