//! Flood limits on what costs the company something and outlives the
//! socket: new visitors (each a stored record) and started conversations
//! (each a queue entry an agent sees), per address and per site, on this
//! node. Per-connection limits cannot stop these: every flood
//! connection is new.

use std::net::IpAddr;

use shared::SiteId;

use super::{ServiceError, ServiceResult};
use crate::config::Limits;
use crate::ratelimit::KeyedAllowance;

/// This node's allowances of new visitors and starts.
#[derive(Debug)]
pub(super) struct Floods {
    visitors_by_address: KeyedAllowance<IpAddr>,
    visitors_by_site: KeyedAllowance<SiteId>,
    starts_by_address: KeyedAllowance<IpAddr>,
    starts_by_site: KeyedAllowance<SiteId>,
}

impl Floods {
    pub(super) fn new(limits: &Limits) -> Self {
        Self {
            visitors_by_address: per_minute(limits.new_visitors_per_address),
            visitors_by_site: per_minute(limits.new_visitors_per_site),
            starts_by_address: per_minute(limits.starts_per_address),
            starts_by_site: per_minute(limits.starts_per_site),
        }
    }

    /// One more new visitor of `site` from `peer`, or how long to wait.
    pub(super) fn new_visitor(&self, site: &SiteId, peer: Option<IpAddr>) -> ServiceResult<()> {
        take(
            "new visitors",
            &self.visitors_by_address,
            &self.visitors_by_site,
            site,
            peer,
        )
    }

    /// One more started conversation on `site` from `peer`.
    pub(super) fn start(&self, site: &SiteId, peer: Option<IpAddr>) -> ServiceResult<()> {
        take(
            "new conversations",
            &self.starts_by_address,
            &self.starts_by_site,
            site,
            peer,
        )
    }
}

/// `n` at once, and `n` a minute.
fn per_minute<K: std::hash::Hash + Eq + Clone>(n: u32) -> KeyedAllowance<K> {
    KeyedAllowance::per_minute(n, n)
}

fn take(
    what: &'static str,
    by_address: &KeyedAllowance<IpAddr>,
    by_site: &KeyedAllowance<SiteId>,
    site: &SiteId,
    peer: Option<IpAddr>,
) -> ServiceResult<()> {
    let refused = |wait: std::time::Duration| {
        tracing::warn!(site = %site, peer = ?peer, what, "flood limit reached");
        ServiceError::Flood {
            what,
            retry_after_ms: shared::limits::duration_ms(wait).max(1),
        }
    };
    if let Some(peer) = peer {
        by_address.try_take(&peer).map_err(refused)?;
    }
    by_site.try_take(site).map_err(refused)
}
