//! What the iframe URL tells the widget: `/widget?site=SITE&lang=LANG&parent=ORIGIN`,
//! and the WebSocket address derived from the page's own location
//! (`ws[s]://HOST/ws/visitor?site=SITE`, matching http/https).

use web_sys::UrlSearchParams;

/// The widget's start-up parameters.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    pub(crate) site: String,
    /// Language tag; falls back to the page's `<html lang>`, then English.
    pub(crate) lang: String,
    /// The host page's origin, for postMessage.
    pub(crate) parent: Option<String>,
    pub(crate) ws_url: String,
}

impl Params {
    pub(crate) fn from_location() -> Self {
        let window = web_sys::window();
        let location = window.as_ref().map(web_sys::Window::location);
        let search = location
            .as_ref()
            .and_then(|l| l.search().ok())
            .unwrap_or_default();
        let query = UrlSearchParams::new_with_str(&search).ok();
        let get = |name: &str| {
            query
                .as_ref()
                .and_then(|q| q.get(name))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let site = get("site").unwrap_or_default();
        let lang = get("lang")
            .or_else(|| {
                window
                    .as_ref()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element())
                    .and_then(|e| e.get_attribute("lang"))
            })
            .unwrap_or_else(|| "en".into());
        let secure = location
            .as_ref()
            .and_then(|l| l.protocol().ok())
            .is_some_and(|p| p == "https:");
        let host = location
            .as_ref()
            .and_then(|l| l.host().ok())
            .unwrap_or_default();
        let ws_url = ws_url(secure, &host, &site);
        Self {
            site,
            lang,
            parent: get("parent"),
            ws_url,
        }
    }
}

/// The visitor socket's address.
fn ws_url(secure: bool, host: &str, site: &str) -> String {
    let scheme = if secure { "wss" } else { "ws" };
    let site: String = js_sys::encode_uri_component(site).into();
    format!("{scheme}://{host}/ws/visitor?site={site}")
}
