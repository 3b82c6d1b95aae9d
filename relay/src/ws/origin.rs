//! Origin checks at upgrade. Browsers always send `Origin` on WebSocket
//! handshakes and scripts cannot forge it, so this is what stops another
//! website from opening sockets in its visitors' names. Matching is exact
//! (scheme, host, port): no wildcards, no substrings, no suffixes; the rule
//! itself is [`shared::origin`], shared with the widget page and the widget.
//!
//! The relay's own origin is accepted too: the widget runs in an iframe
//! served by the relay, so its sockets come from there; which host pages may
//! frame it is the iframe's `frame-ancestors` policy, from the same allowlist.

use axum::http::header::{HOST, ORIGIN};
use axum::http::HeaderMap;
use shared::origin::is_allowed;

use crate::store::Site;

/// Ok if the Origin is in the site's allowlist or is the relay itself.
pub fn check_visitor(headers: &HeaderMap, site: &Site) -> Result<(), String> {
    let origin = header(headers, ORIGIN.as_str()).ok_or("missing Origin header")?;
    if is_allowed(origin, &site.origins) || is_self(headers, origin) {
        return Ok(());
    }
    Err(format!("origin {origin:?} is not allowed for this site"))
}

/// Ok without an Origin (not a browser) or with the relay's own.
pub fn check_same_origin(headers: &HeaderMap) -> Result<(), String> {
    match header(headers, ORIGIN.as_str()) {
        None => Ok(()),
        Some(origin) if is_self(headers, origin) => Ok(()),
        Some(origin) => Err(format!("origin {origin:?} may not open agent sockets")),
    }
}

fn is_self(headers: &HeaderMap, origin: &str) -> bool {
    let Some(host) = header(headers, HOST.as_str()) else {
        return false;
    };
    is_allowed(
        origin,
        [format!("http://{host}"), format!("https://{host}")],
    )
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn site() -> Site {
        Site {
            id: "s".into(),
            name: "S".into(),
            origins: vec!["https://shop.example".into()],
            languages: vec!["en".into()],
            identity_secret: None,
            previous_identity_secret: None,
            previous_secret_until_ms: None,
            api_key_hashes: Vec::new(),
            prechat_form: false,
            hours: None,
            routing: Default::default(),
        }
    }

    fn headers(origin: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_static("relay.example:8080"));
        if let Some(o) = origin {
            h.insert(ORIGIN, HeaderValue::from_static(o));
        }
        h
    }

    #[test]
    fn visitor_origin_must_match_exactly() {
        assert!(check_visitor(&headers(Some("https://shop.example")), &site()).is_ok());
        assert!(check_visitor(&headers(Some("http://relay.example:8080")), &site()).is_ok());
        for bad in [
            "https://shop.example.evil.com",
            "https://evil-shop.example",
            "http://shop.example",
            "https://shop.example:444",
            "https://SHOP.example.",
            "null",
        ] {
            assert!(
                check_visitor(&headers(Some(bad)), &site()).is_err(),
                "{bad}"
            );
        }
        assert!(check_visitor(&headers(None), &site()).is_err());
    }

    #[test]
    fn agent_sockets_are_same_origin_only() {
        assert!(check_same_origin(&headers(None)).is_ok());
        assert!(check_same_origin(&headers(Some("https://relay.example:8080"))).is_ok());
        assert!(check_same_origin(&headers(Some("https://shop.example"))).is_err());
    }
}
