//! This node's share of agent presence: which agents have sockets here,
//! kept as leases in the store so presence is right across nodes (see
//! `store::redis::presence`). A node that dies stops renewing, and its
//! agents go offline when the leases run out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use shared::AgentId;

use crate::store::Store;

/// How long a node's claim on an agent's presence lasts unrenewed: after a
/// node dies, its agents go offline within this (plus one sweep).
pub const PRESENCE_LEASE: Duration = Duration::from_secs(15);
/// How often a node renews its leases (well inside [`PRESENCE_LEASE`], so
/// a slow renewal or two do not drop anyone).
pub const PRESENCE_RENEW: Duration = Duration::from_secs(5);

/// The agents with sockets on this node, and their leases.
#[derive(Debug)]
pub struct PresenceLeases {
    store: Arc<dyn Store>,
    /// This process's id among the nodes sharing a store.
    node: String,
    /// Sockets per agent on this node; the last one closing lets go of
    /// the agent's lease.
    sockets: Mutex<HashMap<AgentId, usize>>,
    /// When each agent last sent a frame on any of its sockets here: an
    /// agent typing in one tab is not idle in another.
    active: Mutex<HashMap<AgentId, Instant>>,
}

impl PresenceLeases {
    pub fn new(store: Arc<dyn Store>, node: String) -> Self {
        Self {
            store,
            node,
            sockets: Mutex::new(HashMap::new()),
            active: Mutex::new(HashMap::new()),
        }
    }

    /// The agent did something on this node (sent a frame).
    pub fn active(&self, agent: &AgentId) {
        self.active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(agent.clone(), Instant::now());
    }

    /// How long since the agent last did something on this node.
    pub fn idle_for(&self, agent: &AgentId) -> Duration {
        self.active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(agent)
            .map_or(Duration::ZERO, Instant::elapsed)
    }

    fn sockets(&self) -> MutexGuard<'_, HashMap<AgentId, usize>> {
        // A panic elsewhere while counting cannot leave the map half
        // written; the counts stay usable.
        self.sockets.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts the socket; the first one on this node takes a lease at
    /// once (in the background: the caller is not async), so an agent
    /// reconnecting after its node died is not swept offline.
    pub fn connected(self: &Arc<Self>, agent: &AgentId) {
        let first = {
            let mut sockets = self.sockets();
            let count = sockets.entry(agent.clone()).or_default();
            *count += 1;
            *count == 1
        };
        if first {
            let leases = Arc::clone(self);
            let agents = vec![agent.clone()];
            tokio::spawn(async move { leases.hold(&agents).await });
        }
    }

    /// Renews this node's leases of every agent with a socket here.
    pub async fn renew(&self) {
        let agents: Vec<AgentId> = self.sockets().keys().cloned().collect();
        self.hold(&agents).await;
    }

    async fn hold(&self, agents: &[AgentId]) {
        let until = crate::now_ms().saturating_add(shared::limits::duration_ms(PRESENCE_LEASE));
        if let Err(e) = self.store.hold_presence(&self.node, agents, until).await {
            tracing::warn!(error = %e, "could not renew presence leases; retrying next round");
        }
    }

    /// When the agent's last socket on this node closes, lets go of its
    /// lease; the store sets it offline if no other node holds one, so
    /// routing stops sending it conversations it cannot see. On shutdown
    /// (`keep_lease`) the lease is kept: the agent reconnects to another
    /// node (which takes its own lease) or the lease runs out.
    pub async fn disconnected(&self, agent: &AgentId, keep_lease: bool) {
        let last = {
            let mut sockets = self.sockets();
            let count = sockets.entry(agent.clone()).or_default();
            *count = count.saturating_sub(1);
            let last = *count == 0;
            if last {
                sockets.remove(agent);
                self.active
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(agent);
            }
            last
        };
        if !last || keep_lease {
            return;
        }
        match self
            .store
            .release_presence(&self.node, agent, crate::now_ms())
            .await
        {
            Ok(true) => tracing::info!(agent = %agent, "agent offline: no sockets on any node"),
            Ok(false) => {}
            Err(e) => tracing::warn!(agent = %agent, error = %e, "could not release presence"),
        }
    }

    /// Sets offline the agents whose nodes died holding their leases.
    pub async fn expire_dead(&self) {
        match self.store.expire_presence(crate::now_ms()).await {
            Ok(gone) if !gone.is_empty() => {
                tracing::info!(agents = ?gone, "presence leases ran out; agents offline");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not expire presence leases"),
        }
    }
}
