//! Names the browser knows: a language tag's name in the agent's language
//! (`fa` → "Persian", through `Intl.DisplayNames`) and the agent's own time
//! zone (the default for a new schedule). Both go through `Reflect`, so a
//! browser without them, or a tag it refuses (it throws), leaves the tag
//! as it is instead of stopping the console.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::catalog;

fn intl(name: &str) -> Option<Function> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    Reflect::get(&intl, &name.into()).ok()?.dyn_into().ok()
}

fn display_names() -> Option<JsValue> {
    let options = Object::new();
    Reflect::set(&options, &"type".into(), &"language".into()).ok()?;
    let locales = Array::of1(&catalog().lang.into());
    Reflect::construct(&intl("DisplayNames")?, &Array::of2(&locales, &options)).ok()
}

thread_local! {
    static NAMES: Option<JsValue> = display_names();
}

/// The name of the language `tag`, or the tag when the browser has none.
pub(crate) fn language_name(tag: &str) -> String {
    let named = NAMES.with(|names| {
        let names = names.as_ref()?;
        let of: Function = Reflect::get(names, &"of".into()).ok()?.dyn_into().ok()?;
        of.call1(names, &tag.into()).ok()?.as_string()
    });
    named.unwrap_or_else(|| tag.to_owned())
}

/// The agent's time zone (`Europe/Berlin`), if the browser says.
pub(crate) fn own_time_zone() -> Option<String> {
    let format = Reflect::construct(&intl("DateTimeFormat")?, &Array::new()).ok()?;
    let resolved: Function = Reflect::get(&format, &"resolvedOptions".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = resolved.call0(&format).ok()?;
    Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
}
