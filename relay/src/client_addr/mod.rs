//! Which address a request counts against in the per-address limits (new
//! visitors, starts, failed sign-ins and their hashing turns): the TCP
//! peer, unless that peer is a reverse proxy the operator trusts
//! (`SWITCHBOARD_TRUSTED_PROXIES`); then the client the proxy names in
//! `X-Forwarded-For`. Behind a proxy every peer is the proxy, so without
//! this one visitor's flood would lock out everyone; believing the header
//! from anyone else would let a client dodge its limits or frame another
//! address, so an untrusted peer's header is never read.
//!
//! The header lists hops left to right, each proxy appending the address
//! it received the request from. Only the right end is written by proxies
//! we trust, so the client is the right-most address that is not itself a
//! trusted proxy; anything to its left is whatever the client sent.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::http::HeaderMap;

/// The header proxies name the client in.
const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client address of one request, as `http_server` resolved it; the
/// socket handlers take it as an extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// One address or CIDR block, e.g. `10.0.0.7`, `10.0.0.0/8`, `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(ip).into(), 32, self.prefix) == u32::from(net).into()
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(ip), 128, self.prefix) == u128::from(net)
            }
            _ => false,
        }
    }
}

/// `bits` (an address of `width` bits) with all but the first `prefix` cleared.
fn masked(bits: u128, width: u8, prefix: u8) -> u128 {
    let host_bits = u32::from(width - prefix);
    bits.checked_shr(host_bits)
        .and_then(|n| n.checked_shl(host_bits))
        .unwrap_or(0)
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("an empty entry (to trust no proxy, leave the setting unset)".into());
        }
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or CIDR block"))?;
        let address = address.to_canonical();
        let width = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("{text:?}: the prefix length must be 0 to {width}"))?,
        };
        // Host bits are cleared, so `10.1.2.3/8` means the block `10.0.0.0/8`.
        let network = match address {
            IpAddr::V4(v4) => {
                let bits = masked(u32::from(v4).into(), 32, prefix);
                IpAddr::V4(u32::try_from(bits).unwrap_or(0).into())
            }
            IpAddr::V6(v6) => IpAddr::V6(masked(u128::from(v6), 128, prefix).into()),
        };
        Ok(Self { network, prefix })
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<[IpRange]>);

impl TrustedProxies {
    pub fn new(ranges: &[IpRange]) -> Self {
        Self(ranges.into())
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }

    /// The client behind `peer`, reading the request's `X-Forwarded-For`
    /// lines (in order; a repeated header is one list) only if `peer` is
    /// trusted.
    pub fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.ip().to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let lines: Vec<&str> = headers
            .get_all(X_FORWARDED_FOR)
            .iter()
            // A line that is not text names no one: it stops the walk.
            .map(|value| value.to_str().unwrap_or(""))
            .collect();
        self.pick(peer, lines.iter().flat_map(|line| line.split(',')))
    }

    /// Walks the hops from the right: a trusted one passes the question to
    /// its left, the first untrusted one is the client. A hop that is not
    /// an address stops the walk at the last address a trusted proxy
    /// vouched for; if every hop is trusted, the left-most is the client.
    fn pick<'a>(&self, peer: IpAddr, hops: impl DoubleEndedIterator<Item = &'a str>) -> IpAddr {
        let mut client = peer;
        for hop in hops.rev() {
            let Some(ip) = parse_hop(hop) else {
                return client;
            };
            client = ip;
            if !self.trusts(ip) {
                return client;
            }
        }
        client
    }
}

/// One hop: an address, optionally with a port (`1.2.3.4:5`, `[::1]:5`)
/// or brackets (`[::1]`), as some proxies write them.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim_matches([' ', '\t']);
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            hop.strip_prefix('[')?
                .strip_suffix(']')?
                .parse::<IpAddr>()
                .ok()
        })?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests;
