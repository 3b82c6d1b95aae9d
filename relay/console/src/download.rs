//! Saving an admin's export of a contact's record on their computer. The
//! record is already in the page (the relay sent it over the socket), so
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
    save(file, json).is_ok()
}

fn save(file: &str, json: &str) -> Result<(), JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type("application/json;charset=utf-8");
    let parts = js_sys::Array::of1(&JsValue::from_str(json));
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
