//! The one origin check. The relay's socket upgrade, the widget page (its
//! `parent` check and `frame-ancestors`) and the widget's `postMessage`
//! bridge all decide whether to trust an origin; they used to do it three
//! ways, and the loosest let `;` or `*` through into a CSP.
//!
//! An origin is the form browsers send in `Origin`, `location.origin` and
//! `MessageEvent.origin`: `http` or `https`, `://`, a lowercase host, and a
//! port only when it is not the scheme's default; no path, no trailing slash,
//! no user info. Matching is byte-exact against that form: no wildcards, no
//! suffixes, no case folding. Since browsers never send anything else, an
//! allowlist entry not in that form could never match, so refusing it costs
//! nothing and keeps odd strings out of headers.

/// Whether `s` is an origin exactly as a browser serializes one.
pub fn is_origin(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    let default_port = match scheme {
        "http" => "80",
        "https" => "443",
        _ => return false,
    };
    let (host_ok, port) = if let Some(v6) = rest.strip_prefix('[') {
        let Some((inside, after)) = v6.split_once(']') else {
            return false;
        };
        let port = match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(port) => Some(port),
                None => return false,
            },
        };
        (is_ipv6(inside), port)
    } else {
        match rest.split_once(':') {
            Some((host, port)) => (is_domain(host), Some(port)),
            None => (is_domain(rest), None),
        }
    };
    host_ok && port.is_none_or(|p| is_port(p) && p != default_port)
}

/// Whether `origin` is an origin and exactly one of `allowed`.
///
/// A malformed `origin` is refused even if an entry equals it, so `null`
/// (sandboxed frames, `file:`) or `*` in an allowlist grant nothing.
pub fn is_allowed<I, S>(origin: &str, allowed: I) -> bool
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    is_origin(origin) && allowed.into_iter().any(|a| a.as_ref() == origin)
}

/// Dot-separated labels of lowercase letters, digits and `-`; no empty label,
/// which also refuses a trailing dot (browsers keep it, sites never list it).
fn is_domain(host: &str) -> bool {
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// The inside of `[...]`: browsers print IPv6 in lowercase hex.
fn is_ipv6(inside: &str) -> bool {
    inside.contains(':')
        && inside
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'a'..=b'f' | b':' | b'.'))
}

/// 1-65535 without leading zeros, as browsers print it.
fn is_port(port: &str) -> bool {
    !port.starts_with('0')
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok_and(|p| p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_origins_are_origins() {
        for ok in [
            "https://shop.example",
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "https://xn--bcher-kva.example",
            "http://[::1]:8080",
            "https://[2001:db8::1]",
        ] {
            assert!(is_origin(ok), "{ok}");
        }
    }

    #[test]
    fn anything_else_is_not() {
        for bad in [
            "",
            "*",
            "null",
            "https://",
            "https://:8080",
            "javascript:alert(1)",
            "javascript://x",
            "ftp://shop.example",
            "HTTPS://shop.example",
            "https://SHOP.example",
            "https://shop.example.",
            "https://shop..example",
            "https://shop.example/",
            "https://shop.example/path",
            "https://shop.example?q",
            "https://shop.example#f",
            "https://user@shop.example",
            "https://shop.example; script-src *",
            "https://*.shop.example",
            "https://shop.example:",
            "https://shop.example:0",
            "https://shop.example:080",
            "https://shop.example:65536",
            "https://shop.example:443",
            "http://shop.example:80",
            "https://shop.example:8080.evil.example",
            "http://[::1",
            "http://[::1]x",
            "http://[zz::1]",
            " https://shop.example",
        ] {
            assert!(!is_origin(bad), "{bad:?}");
        }
        // A non-default port is kept, so it is part of the origin.
        assert!(is_origin("http://shop.example:443"));
        assert!(is_origin("https://shop.example:80"));
    }

    #[test]
    fn allowed_means_exactly_listed() {
        let list = ["https://shop.example", "http://localhost:8080"];
        assert!(is_allowed("https://shop.example", list));
        assert!(is_allowed("http://localhost:8080", list));
        for bad in [
            "http://shop.example",            // scheme
            "https://shop.example:444",       // port
            "https://shop.example/",          // trailing slash
            "https://SHOP.example",           // case
            "https://shop.example.",          // trailing dot
            "https://shop.example.evil.com",  // suffix
            "https://evil-shop.example",      // lookalike
            "https://www.shop.example",       // subdomain
            "http://localhost:8080.evil.com", // port suffix
            "null",
            "",
        ] {
            assert!(!is_allowed(bad, list), "{bad:?}");
        }
    }

    #[test]
    fn wildcards_and_null_in_a_list_grant_nothing() {
        assert!(!is_allowed("*", ["*"]));
        assert!(!is_allowed("null", ["null"]));
        assert!(!is_allowed("https://shop.example", ["*"]));
        assert!(!is_allowed("https://shop.example", ["https://*.example"]));
        assert!(!is_allowed("https://shop.example", Vec::<String>::new()));
    }

    #[test]
    fn accepts_owned_borrowed_and_optional_lists() {
        let owned = vec![String::from("https://shop.example")];
        assert!(is_allowed("https://shop.example", &owned));
        assert!(is_allowed(
            "https://shop.example",
            Some("https://shop.example")
        ));
        assert!(!is_allowed("https://shop.example", None::<&str>));
    }
}
