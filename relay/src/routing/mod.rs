//! Routing as pure functions of a snapshot: which waiting conversation goes
//! to which agent, and each visitor's place in the queue. No I/O here; the
//! queue assigner (`conversations::assignment`) applies decisions through
//! the store, which re-checks them atomically, so a decision made from a
//! stale snapshot is rejected, never applied twice.
//!
//! Policy: the live queue ([`live_queue`]) goes in order. Each conversation
//! first looks for an agent in its team who speaks its language and has
//! its skill; once it has waited its site's `widen_after`, for anyone in
//! its team; after twice that, for anyone. Among the agents who fit, the
//! one with the most free capacity gets it, then the one idle longest
//! (oldest `last_activity_ms`), then the smaller id, so the plan is
//! deterministic. A conversation nobody fits yet is skipped, not a wall:
//! the ones behind it may still fit other agents.
//!
//! - `order`: the queue's order and positions.
//! - `index`: the free agents, indexed by what conversations ask for.
//! - `find`: the best agent for one conversation, from the index.
//! - `wants`: a conversation's site, team, language and skill as numbers.
//! - `plan`: the walk down the queue.
//! - [`synthetic`]: a busy deployment's snapshot, for benches and loadgen.

mod find;
mod index;
mod order;
mod plan;
pub mod synthetic;
mod wants;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use shared::routing::{Match, Route, SiteRouting};
use shared::{AgentId, ConversationId, Presence, SiteId};

pub use order::{live_queue, queue_position};
pub use plan::plan_assignments;

/// One agent as routing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentLoad {
    pub id: AgentId,
    pub presence: Presence,
    pub max_concurrent: u32,
    /// Open conversations assigned to the agent now.
    pub load: u32,
    pub last_activity_ms: u64,
    /// Languages the agent answers in; empty: any.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
}

/// One waiting conversation as routing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub id: ConversationId,
    pub site: SiteId,
    pub route: Route,
    pub created_at_ms: u64,
}

impl AgentLoad {
    fn free(&self) -> u32 {
        self.max_concurrent.saturating_sub(self.load)
    }

    pub fn can_take(&self) -> bool {
        self.presence == Presence::Online && self.free() > 0
    }
}

impl Waiting {
    /// When widening started counting: the last time it entered the
    /// queue, or its creation for conversations stored before that was
    /// recorded.
    pub fn queued_at_ms(&self) -> u64 {
        match self.route.queued_at_ms {
            0 => self.created_at_ms,
            at => at,
        }
    }
}

/// Agents and the queue (in the store's queue order) at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingSnapshot {
    pub agents: Vec<AgentLoad>,
    pub waiting: Vec<Waiting>,
}

/// One planned assignment, and how far routing widened to make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub conversation: ConversationId,
    pub agent: AgentId,
    pub matched: Match,
}

/// Per site: team id -> members, and the widening delay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitePolicy {
    pub teams: HashMap<String, HashSet<AgentId>>,
    /// 0: never widen.
    pub widen_after_ms: u64,
}

impl SitePolicy {
    pub fn from_routing(routing: &SiteRouting) -> Self {
        Self {
            teams: routing
                .teams
                .iter()
                .map(|t| (t.id.clone(), t.members.iter().cloned().collect()))
                .collect(),
            widen_after_ms: u64::from(routing.widen_after_secs) * 1_000,
        }
    }
}

/// What routing needs of every site's settings, looked up per conversation.
/// A site without one has no teams and never widens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policies {
    sites: HashMap<SiteId, SitePolicy>,
}

impl Policies {
    pub fn from_sites<'a>(sites: impl IntoIterator<Item = (&'a SiteId, &'a SiteRouting)>) -> Self {
        Self {
            sites: sites
                .into_iter()
                .map(|(id, routing)| (id.clone(), SitePolicy::from_routing(routing)))
                .collect(),
        }
    }

    pub fn site(&self, id: &SiteId) -> Option<&SitePolicy> {
        self.sites.get(id)
    }

    pub fn insert(&mut self, site: SiteId, policy: SitePolicy) {
        self.sites.insert(site, policy);
    }
}

/// The agent that should get the next conversation among `agents`, all
/// of whom fit it, if any can take one.
pub fn choose_agent(agents: &[AgentLoad]) -> Option<&AgentLoad> {
    agents.iter().filter(|a| a.can_take()).min_by(|a, b| {
        b.free()
            .cmp(&a.free())
            .then(a.last_activity_ms.cmp(&b.last_activity_ms))
            .then(a.id.cmp(&b.id))
    })
}
