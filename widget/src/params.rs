//! What the iframe URL tells the widget: `/widget?site=SITE&lang=LANG&parent=ORIGIN&page=URL`,
//! and the WebSocket address derived from the page's own location
//! (`ws[s]://HOST/ws/visitor?site=SITE`, matching http/https).
//!
//! `page` is the host page's address, for the site's topic rules. embed.js
//! passes it because `document.referrer` in a cross-origin iframe is
//! usually cut to the origin by the host's referrer policy; the referrer
//! is only the fallback (an embed.js cached from before it passed one).

use web_sys::UrlSearchParams;

/// The widget's start-up parameters.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    pub(crate) site: String,
    /// Language tag; falls back to the page's `<html lang>`, then English.
    pub(crate) lang: String,
    /// The host page's origin, for postMessage.
    pub(crate) parent: Option<String>,
    /// The host page's URL, cleaned by [`page_url`].
    pub(crate) page: Option<String>,
    pub(crate) ws_url: String,
}

/// The longest page URL sent: enough for any topic rule, and a pasted
/// monster URL cannot crowd the frame size.
const MAX_PAGE_URL: usize = 2_000;

/// A page address as the relay gets it: http(s) only, without its
/// fragment (which may hold a single-page app's tokens), at most
/// [`MAX_PAGE_URL`] characters.
pub(crate) fn page_url(raw: &str) -> Option<String> {
    let url = raw.trim();
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    let web = ["http://", "https://"].iter().any(|s| {
        url.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    web.then(|| url.chars().take(MAX_PAGE_URL).collect())
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
        let referrer = || {
            window
                .as_ref()
                .and_then(|w| w.document())
                .map(|d| d.referrer())
        };
        let page = get("page")
            .and_then(|p| page_url(&p))
            .or_else(|| referrer().and_then(|r| page_url(&r)));
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
            page,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_are_web_addresses_without_fragments() {
        assert_eq!(
            page_url(" https://shop.test/pricing?plan=pro#token=secret ").as_deref(),
            Some("https://shop.test/pricing?plan=pro")
        );
        assert_eq!(
            page_url("HTTP://shop.test/").as_deref(),
            Some("HTTP://shop.test/")
        );
        for bad in [
            "",
            "about:blank",
            "javascript:alert(1)",
            "/pricing",
            "file:///x",
        ] {
            assert_eq!(page_url(bad), None, "{bad}");
        }
        let long = format!("https://shop.test/{}", "é".repeat(3_000));
        assert_eq!(
            page_url(&long).map(|u| u.chars().count()),
            Some(MAX_PAGE_URL)
        );
    }
}
