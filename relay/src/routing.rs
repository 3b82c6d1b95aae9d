//! Routing v1 as pure functions of a snapshot: which waiting conversation
//! goes to which agent, and each visitor's queue position. No I/O here; the
//! queue assigner (`conversations::assignment`) applies decisions through `Store::assign`, which re-checks
//! them atomically, so a decision made from a stale snapshot is rejected,
//! never applied twice.
//!
//! Policy: the oldest waiting conversation goes first, to the online agent
//! with the most free capacity; ties go to the agent idle longest (oldest
//! `last_activity_ms`), then to the smaller id so the result is deterministic.

use serde::{Deserialize, Serialize};
use shared::{AgentId, ConversationId, Presence};

/// One agent as routing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentLoad {
    pub id: AgentId,
    pub presence: Presence,
    pub max_concurrent: u32,
    /// Open conversations assigned to the agent now.
    pub load: u32,
    pub last_activity_ms: u64,
}

impl AgentLoad {
    fn free(&self) -> u32 {
        self.max_concurrent.saturating_sub(self.load)
    }

    fn can_take(&self) -> bool {
        self.presence == Presence::Online && self.free() > 0
    }
}

/// Agents and the queue (oldest first) at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingSnapshot {
    pub agents: Vec<AgentLoad>,
    pub waiting: Vec<ConversationId>,
}

/// The agent that should get the next conversation, if any can take one.
pub fn choose_agent(agents: &[AgentLoad]) -> Option<&AgentLoad> {
    agents.iter().filter(|a| a.can_take()).min_by(|a, b| {
        b.free()
            .cmp(&a.free())
            .then(a.last_activity_ms.cmp(&b.last_activity_ms))
            .then(a.id.cmp(&b.id))
    })
}

/// Assignments for as much of the queue as capacity allows, in queue order.
/// Each decision counts toward the chosen agent's load (and activity) before
/// the next one is made, as if the earlier ones had been applied.
pub fn plan_assignments(snapshot: &RoutingSnapshot, now_ms: u64) -> Vec<(ConversationId, AgentId)> {
    let mut agents = snapshot.agents.clone();
    let mut plan = Vec::new();
    for conversation in &snapshot.waiting {
        let Some(chosen) = choose_agent(&agents).map(|a| a.id.clone()) else {
            break;
        };
        if let Some(agent) = agents.iter_mut().find(|a| a.id == chosen) {
            agent.load += 1;
            agent.last_activity_ms = now_ms;
        }
        plan.push((conversation.clone(), chosen));
    }
    plan
}

/// 1-based queue position of `conversation`, if it is waiting.
pub fn queue_position(waiting: &[ConversationId], conversation: &ConversationId) -> Option<u32> {
    waiting
        .iter()
        .position(|c| c == conversation)
        .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str, presence: Presence, max: u32, load: u32, idle_since: u64) -> AgentLoad {
        AgentLoad {
            id: AgentId::from(id),
            presence,
            max_concurrent: max,
            load,
            last_activity_ms: idle_since,
        }
    }

    fn convs(ids: &[&str]) -> Vec<ConversationId> {
        ids.iter().map(|c| ConversationId::from(*c)).collect()
    }

    #[test]
    fn most_free_capacity_wins() {
        let agents = [
            agent("a", Presence::Online, 3, 2, 0),
            agent("b", Presence::Online, 5, 1, 100),
        ];
        assert_eq!(choose_agent(&agents).unwrap().id.as_str(), "b");
    }

    #[test]
    fn tie_goes_to_the_agent_idle_longest() {
        let agents = [
            agent("a", Presence::Online, 2, 0, 500),
            agent("b", Presence::Online, 2, 0, 100),
            agent("c", Presence::Online, 2, 0, 300),
        ];
        assert_eq!(choose_agent(&agents).unwrap().id.as_str(), "b");
    }

    #[test]
    fn full_tie_is_broken_by_id() {
        let agents = [
            agent("z", Presence::Online, 2, 0, 1),
            agent("m", Presence::Online, 2, 0, 1),
        ];
        assert_eq!(choose_agent(&agents).unwrap().id.as_str(), "m");
    }

    #[test]
    fn away_offline_and_full_agents_get_nothing() {
        let agents = [
            agent("away", Presence::Away, 9, 0, 0),
            agent("off", Presence::Offline, 9, 0, 0),
            agent("full", Presence::Online, 2, 2, 0),
            agent("over", Presence::Online, 1, 3, 0),
        ];
        assert!(choose_agent(&agents).is_none());
    }

    #[test]
    fn plan_follows_queue_order_and_spreads_load() {
        let snapshot = RoutingSnapshot {
            agents: vec![
                agent("a", Presence::Online, 2, 0, 10),
                agent("b", Presence::Online, 2, 0, 20),
            ],
            waiting: convs(&["c1", "c2", "c3", "c4", "c5"]),
        };
        let plan = plan_assignments(&snapshot, 1_000);
        let got: Vec<(&str, &str)> = plan.iter().map(|(c, a)| (c.as_str(), a.as_str())).collect();
        // a idle longest takes c1; then b has more free; then a (idle since 10
        // was replaced by 1000, b's by 1000 too: tie on time -> id a).
        assert_eq!(
            got,
            vec![("c1", "a"), ("c2", "b"), ("c3", "a"), ("c4", "b")]
        );
    }

    #[test]
    fn plan_is_empty_without_capacity_or_queue() {
        let no_agents = RoutingSnapshot {
            agents: vec![],
            waiting: convs(&["c1"]),
        };
        assert!(plan_assignments(&no_agents, 0).is_empty());
        let no_queue = RoutingSnapshot {
            agents: vec![agent("a", Presence::Online, 2, 0, 0)],
            waiting: vec![],
        };
        assert!(plan_assignments(&no_queue, 0).is_empty());
    }

    #[test]
    fn queue_positions_are_one_based() {
        let waiting = convs(&["c1", "c2", "c3"]);
        assert_eq!(
            queue_position(&waiting, &ConversationId::from("c1")),
            Some(1)
        );
        assert_eq!(
            queue_position(&waiting, &ConversationId::from("c3")),
            Some(3)
        );
        assert_eq!(queue_position(&waiting, &ConversationId::from("zz")), None);
    }
}
