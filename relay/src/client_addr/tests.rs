//! Hostile and odd `X-Forwarded-For` headers: none may move a client's
//! address unless a trusted proxy wrote it.

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, HeaderValue};

use super::{IpRange, TrustedProxies};

fn ip(text: &str) -> IpAddr {
    text.parse().expect("a test address")
}

fn trusting(ranges: &[&str]) -> TrustedProxies {
    let ranges: Vec<IpRange> = ranges
        .iter()
        .map(|r| r.parse().expect("a test range"))
        .collect();
    TrustedProxies::new(&ranges)
}

/// The client `proxies` make of a request from `peer` with these header lines.
fn client(proxies: &TrustedProxies, peer: &str, lines: &[&[u8]]) -> IpAddr {
    let mut headers = HeaderMap::new();
    for line in lines {
        let value = HeaderValue::from_bytes(line).expect("a header value");
        headers.append("x-forwarded-for", value);
    }
    proxies.client(SocketAddr::new(ip(peer), 40_000), &headers)
}

#[test]
fn ranges_parse_single_addresses_and_cidr_blocks() {
    let parsed = |t: &str| t.parse::<IpRange>().map(|r| r.to_string());
    assert_eq!(parsed("10.0.0.7").as_deref(), Ok("10.0.0.7/32"));
    assert_eq!(parsed(" 10.1.2.3/8 ").as_deref(), Ok("10.0.0.0/8"));
    assert_eq!(parsed("0.0.0.0/0").as_deref(), Ok("0.0.0.0/0"));
    assert_eq!(parsed("::1").as_deref(), Ok("::1/128"));
    assert_eq!(parsed("fd00::1/8").as_deref(), Ok("fd00::/8"));
    assert_eq!(parsed("::/0").as_deref(), Ok("::/0"));
    assert_eq!(parsed("::ffff:10.0.0.7").as_deref(), Ok("10.0.0.7/32"));
    for bad in [
        "",
        "10.0.0",
        "10.0.0.0/33",
        "::/129",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "host",
        "10.0.0.0/8/8",
    ] {
        assert!(bad.parse::<IpRange>().is_err(), "{bad:?}");
    }
}

#[test]
fn ranges_contain_what_their_prefix_covers() {
    let block: IpRange = "10.0.0.0/8".parse().expect("range");
    assert!(block.contains(ip("10.255.0.1")));
    assert!(!block.contains(ip("11.0.0.1")));
    assert!(block.contains(ip("::ffff:10.0.0.1")), "v4-mapped is v4");
    assert!(!block.contains(ip("::1")));
    let v6: IpRange = "2001:db8::/32".parse().expect("range");
    assert!(v6.contains(ip("2001:db8:ffff::1")));
    assert!(!v6.contains(ip("2001:db9::1")));
    let everything: IpRange = "0.0.0.0/0".parse().expect("range");
    assert!(everything.contains(ip("203.0.113.9")));
}

#[test]
fn an_untrusted_peers_header_is_ignored() {
    let none = TrustedProxies::default();
    assert_eq!(
        client(&none, "198.51.100.7", &[b"203.0.113.1"]),
        ip("198.51.100.7")
    );
    let other = trusting(&["10.0.0.1"]);
    assert_eq!(
        client(&other, "198.51.100.7", &[b"203.0.113.1"]),
        ip("198.51.100.7")
    );
}

#[test]
fn a_trusted_proxy_names_the_client() {
    let proxies = trusting(&["127.0.0.1"]);
    assert_eq!(
        client(&proxies, "127.0.0.1", &[b"203.0.113.1"]),
        ip("203.0.113.1")
    );
    // No header: the proxy itself is all we know.
    assert_eq!(client(&proxies, "127.0.0.1", &[]), ip("127.0.0.1"));
}

#[test]
fn what_the_client_wrote_to_the_left_is_not_believed() {
    let proxies = trusting(&["127.0.0.1"]);
    // nginx appends the real peer to whatever the client sent.
    let forged: &[&[u8]] = &[b"10.9.9.9, 127.0.0.1, 203.0.113.1"];
    assert_eq!(client(&proxies, "127.0.0.1", forged), ip("203.0.113.1"));
}

#[test]
fn a_chain_of_trusted_proxies_is_walked() {
    let proxies = trusting(&["127.0.0.1", "10.0.0.0/8"]);
    let chain: &[&[u8]] = &[b"198.51.100.1, 203.0.113.1, 10.0.0.5, 10.0.0.6"];
    assert_eq!(client(&proxies, "127.0.0.1", chain), ip("203.0.113.1"));
    // Every hop trusted: the first one is where the request began.
    let inside: &[&[u8]] = &[b"10.0.0.4,10.0.0.5"];
    assert_eq!(client(&proxies, "127.0.0.1", inside), ip("10.0.0.4"));
}

#[test]
fn repeated_header_lines_are_one_list() {
    let proxies = trusting(&["127.0.0.1", "10.0.0.0/8"]);
    let lines: &[&[u8]] = &[b"198.51.100.1", b"203.0.113.1, 10.0.0.5"];
    assert_eq!(client(&proxies, "127.0.0.1", lines), ip("203.0.113.1"));
}

#[test]
fn garbage_stops_at_the_last_address_a_trusted_proxy_vouched_for() {
    let proxies = trusting(&["127.0.0.1", "10.0.0.0/8"]);
    let cases: &[(&[&[u8]], &str)] = &[
        (&[b"not-an-ip"], "127.0.0.1"),
        (&[b""], "127.0.0.1"),
        (&[b","], "127.0.0.1"),
        (&[b"203.0.113.1,"], "127.0.0.1"),
        (&[b"203.0.113.1, garbage, 10.0.0.5"], "10.0.0.5"),
        (&[b"203.0.113.1\xff"], "127.0.0.1"),
        (&[b"unknown, 203.0.113.1"], "203.0.113.1"),
        (&[b"999.0.0.1"], "127.0.0.1"),
        (&[b"203.0.113.1 203.0.113.2"], "127.0.0.1"),
    ];
    for (lines, expected) in cases {
        assert_eq!(
            client(&proxies, "127.0.0.1", lines),
            ip(expected),
            "{lines:?}"
        );
    }
}

#[test]
fn spaces_ports_brackets_and_ipv6_are_understood() {
    let proxies = trusting(&["127.0.0.1", "::1", "fd00::/8"]);
    let cases: &[(&[u8], &str)] = &[
        (b"  203.0.113.1  ", "203.0.113.1"),
        (b"\t203.0.113.1", "203.0.113.1"),
        (b"203.0.113.1:5555", "203.0.113.1"),
        (b"2001:db8::7", "2001:db8::7"),
        (b"[2001:db8::7]", "2001:db8::7"),
        (b"[2001:db8::7]:443", "2001:db8::7"),
        (b"2001:db8::7 , fd00::3", "2001:db8::7"),
        (b"::ffff:203.0.113.1", "203.0.113.1"),
    ];
    for (line, expected) in cases {
        assert_eq!(client(&proxies, "::1", &[line]), ip(expected), "{line:?}");
    }
    // A v4-mapped peer is the v4 proxy it is.
    assert_eq!(
        client(&proxies, "::ffff:127.0.0.1", &[b"203.0.113.1"]),
        ip("203.0.113.1")
    );
}

#[test]
fn many_forged_hops_change_nothing() {
    let proxies = trusting(&["127.0.0.1"]);
    let mut line = "10.0.0.1, ".repeat(5_000);
    line.push_str("203.0.113.1");
    assert_eq!(
        client(&proxies, "127.0.0.1", &[line.as_bytes()]),
        ip("203.0.113.1")
    );
    // Only trusted hops: the walk reaches the left end.
    let mut line = "127.0.0.1,".repeat(5_000);
    line.push_str("127.0.0.1");
    assert_eq!(
        client(&proxies, "127.0.0.1", &[line.as_bytes()]),
        ip("127.0.0.1")
    );
}
