//! Saving what an admin downloads on their computer: a contact's exported
//! record, a report's table as CSV. It is already in the page (the relay
//! sent it over the socket, or the console made it from what it shows), so
//! the browser saves it from a Blob URL through an `a download` link: no
//! second request, and nothing a data URL's length limit could cut off.

use std::time::Duration;

use leptos::prelude::set_timeout;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// How long the Blob URL outlives the click: the browser reads it after
/// `click` returns, and freeing it early would cancel the download.
const URL_LIFETIME: Duration = Duration::from_secs(60);

/// Offers `json` as a download named `file`; `false` if the browser
/// refused to make it.
pub(crate) fn save_json(file: &str, json: &str) -> bool {
    save(file, json, "application/json;charset=utf-8").is_ok()
}

/// Offers `csv` as a download named `file`; `false` if the browser
/// refused to make it.
pub(crate) fn save_csv(file: &str, csv: &str) -> bool {
    save(file, csv, "text/csv;charset=utf-8").is_ok()
}

fn save(file: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(file);
    link.click();
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        URL_LIFETIME,
    );
    Ok(())
}
