//! What reports are made of: a [`Fact`] is one thing that happened to a
//! conversation or an ingested item (opened, waited, answered, resolved,
//! rated, …), recorded once under its idempotency key, and turned into
//! roll-up [`Cell`] increments per hour, agent and channel. Stores only
//! add cells up; what the fields mean is this module's and `rollup`'s.

use shared::contacts::Channel;
use shared::{AgentId, ConversationId, SiteId};

/// One thing that happened, with when, where and who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// Recorded at most once: `"{conversation}:{kind}"` for once-per-
    /// conversation facts, `"{conversation}:msg:{seq}"` for messages,
    /// `"item:{id}"` for ingested items (see [`Fact::key_for`]).
    pub key: String,
    pub site: SiteId,
    /// When it happened (Unix ms): the roll-up hour it lands in.
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
    /// Closed: from opening (`resolution`) and from first assignment
    /// (`handling`).
    Resolved {
        resolution_ms: u64,
        business_resolution_ms: u64,
        handling_ms: u64,
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

/// One roll-up counter increment: `field` of the (`hour_ms`, `agent`,
/// `channel`) bucket grows by `value`. `agent` is "" when none; `channel`
/// is the channel's snake_case name. Stores keep the sums per site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    /// Start of the UTC hour (Unix ms, a multiple of 3,600,000).
    pub hour_ms: u64,
    pub agent: String,
    pub channel: String,
    pub field: String,
    pub value: u64,
}

/// Milliseconds in an hour: roll-up buckets are UTC hours.
pub const HOUR_MS: u64 = 3_600_000;

/// The start of the UTC hour holding `at_ms`.
pub fn hour_of(at_ms: u64) -> u64 {
    at_ms - at_ms % HOUR_MS
}
