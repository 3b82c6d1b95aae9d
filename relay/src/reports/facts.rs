//! What reports are made of: a [`Fact`] is one thing that happened to a
//! conversation or an ingested item (opened, waited, answered, resolved,
//! rated, …), recorded once under its idempotency key, and turned into
//! roll-up row increments (`rollup`). Stores only add them up; what the
//! counters mean is this module's, `rollup`'s and `layout`'s.

use shared::contacts::Channel;
use shared::{AgentId, ConversationId, SiteId};

/// One thing that happened, with when, where and who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// Recorded at most once: `"{conversation}:{kind}"` for once-per-
    /// conversation facts, `"item:{id}"` for ingested items (see
    /// [`Fact::key_for`]). Empty for a message, which the store counts
    /// with its append instead (`store::MessageReport`).
    pub key: String,
    pub site: SiteId,
    /// When it happened (Unix ms).
    pub at_ms: u64,
    /// The agent it is credited to, if any.
    pub agent: Option<AgentId>,
    pub channel: Channel,
    pub measure: Measure,
}

/// What is measured. Durations are whole milliseconds; `business_ms`
/// counts only the time inside the site's opening hours (all of it when
/// the site has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Measure {
    /// A conversation started or an item came in (volume, heat map).
    Opened,
    /// First assignment after waiting this long.
    Waited {
        ms: u64,
        business_ms: u64,
    },
    /// First visitor message to first agent reply.
    FirstResponse {
        ms: u64,
        business_ms: u64,
    },
    /// Closed: from opening (`resolution`) and from the closing agent's
    /// assignment (`handling`).
    Resolved {
        resolution_ms: u64,
        business_resolution_ms: u64,
        handling_ms: u64,
        business_handling_ms: u64,
    },
    Transferred,
    Reopened,
    /// A message from the customer.
    MessageIn,
    /// A message from an agent.
    MessageOut,
    /// A satisfaction rating, 1–5.
    Rated {
        rating: u8,
    },
    /// A knowledge-base article answered the visitor's question.
    Deflected,
}

impl Fact {
    /// The idempotency key of a once-per-conversation fact.
    pub fn key_for(conversation: &ConversationId, kind: &str) -> String {
        format!("{conversation}:{kind}")
    }
}

/// Milliseconds in an hour: the hourly volume's buckets are UTC hours.
pub const HOUR_MS: u64 = 3_600_000;

/// The start of the UTC hour holding `at_ms`.
pub fn hour_of(at_ms: u64) -> u64 {
    at_ms - at_ms % HOUR_MS
}
