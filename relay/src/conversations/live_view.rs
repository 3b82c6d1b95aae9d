//! The live view for admins: who waits and for how long, who is there
//! and how loaded. Read from the store's routing snapshot (the same
//! consistent read routing decides from) plus the agents' names; nothing
//! is kept, so every node answers the same. Sockets push it to admins
//! who watch it (`ws::agent::live`).

use std::collections::HashMap;

use shared::reports::{LiveAgent, LiveView};
use shared::Presence;

use super::{ConversationService, ServiceError, ServiceResult};
use crate::routing::RoutingSnapshot;
use crate::store::AgentRecord;

impl ConversationService {
    /// The service right now. Admins only: it names every agent's load.
    pub async fn live_view(&self, asked_by: &AgentRecord) -> ServiceResult<LiveView> {
        if !asked_by.admin {
            return Err(ServiceError::Forbidden("only admins see the live view"));
        }
        let store = self.store.as_ref();
        let (agents, snapshot) = tokio::try_join!(store.agents(), store.routing_snapshot())?;
        Ok(live_view_of(&snapshot, &agents, self.clock.now_ms()))
    }
}

/// The live view of `snapshot` at `now_ms`: waits count from when each
/// conversation last entered the queue (as routing counts them); agents
/// not in the snapshot are offline; disabled agents are left out.
pub fn live_view_of(snapshot: &RoutingSnapshot, agents: &[AgentRecord], now_ms: u64) -> LiveView {
    let longest_wait_ms = snapshot
        .waiting
        .iter()
        .map(|w| now_ms.saturating_sub(w.queued_at_ms()))
        .max();
    let loads: HashMap<_, _> = snapshot.agents.iter().map(|a| (&a.id, a)).collect();
    let mut live: Vec<LiveAgent> = agents
        .iter()
        .filter(|a| !a.disabled)
        .map(|a| {
            let load = loads.get(&a.id);
            let presence = load.map_or(Presence::Offline, |l| l.presence);
            let open_conversations = load.map_or(0, |l| l.load);
            let capacity = load.map_or(a.max_concurrent, |l| l.max_concurrent);
            LiveAgent {
                agent: a.id.clone(),
                name: a.name.clone(),
                presence,
                busy: presence == Presence::Online && open_conversations >= capacity,
                open_conversations,
            }
        })
        .collect();
    // Busiest first, then by name: the rows a lead looks at on top.
    live.sort_by(|a, b| {
        b.open_conversations
            .cmp(&a.open_conversations)
            .then_with(|| a.name.cmp(&b.name))
    });
    let count = |pick: &dyn Fn(&LiveAgent) -> bool| {
        u32::try_from(live.iter().filter(|a| pick(a)).count()).unwrap_or(u32::MAX)
    };
    LiveView {
        at_ms: now_ms,
        waiting: u32::try_from(snapshot.waiting.len()).unwrap_or(u32::MAX),
        longest_wait_ms,
        agents_online: count(&|a| a.presence == Presence::Online && !a.busy),
        agents_busy: count(&|a| a.busy),
        agents_away: count(&|a| a.presence == Presence::Away),
        agents: live,
    }
}

#[cfg(test)]
mod tests {
    use shared::routing::Route;

    use super::*;
    use crate::routing::{AgentLoad, Waiting};

    fn agent(id: &str, name: &str, disabled: bool) -> AgentRecord {
        AgentRecord {
            id: id.into(),
            email: format!("{id}@example.com"),
            name: name.into(),
            password_hash: String::new(),
            admin: false,
            max_concurrent: 2,
            created_at_ms: 0,
            disabled,
            languages: vec![],
            skills: vec![],
        }
    }

    fn load(id: &str, presence: Presence, load: u32) -> AgentLoad {
        AgentLoad {
            id: id.into(),
            presence,
            max_concurrent: 2,
            load,
            last_activity_ms: 0,
            languages: vec![],
            skills: vec![],
        }
    }

    fn waiting(id: &str, created_at_ms: u64, queued_at_ms: u64) -> Waiting {
        Waiting {
            id: id.into(),
            site: "demo".into(),
            route: Route {
                queued_at_ms,
                ..Route::default()
            },
            created_at_ms,
        }
    }

    #[test]
    fn counts_waits_and_agents() {
        let snapshot = RoutingSnapshot {
            agents: vec![
                load("a_full", Presence::Online, 2),
                load("a_free", Presence::Online, 1),
                load("a_away", Presence::Away, 1),
            ],
            waiting: vec![waiting("c_1", 1_000, 0), waiting("c_2", 500, 4_000)],
        };
        let agents = [
            agent("a_full", "Full", false),
            agent("a_free", "Free", false),
            agent("a_away", "Away", false),
            agent("a_gone", "Gone", false),
            agent("a_off", "Disabled", true),
        ];
        let view = live_view_of(&snapshot, &agents, 10_000);
        assert_eq!(view.waiting, 2);
        // c_1 never re-entered the queue: it waits since it was created.
        assert_eq!(view.longest_wait_ms, Some(9_000));
        assert_eq!(
            (view.agents_online, view.agents_busy, view.agents_away),
            (1, 1, 1)
        );
        let names: Vec<&str> = view.agents.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Full", "Away", "Free", "Gone"]);
        assert!(view.agents[0].busy);
        assert_eq!(view.agents[3].presence, Presence::Offline);
    }

    #[test]
    fn nobody_waiting_has_no_longest_wait() {
        let view = live_view_of(&RoutingSnapshot::default(), &[], 5);
        assert_eq!(view.longest_wait_ms, None);
        assert_eq!(view.waiting, 0);
    }
}
