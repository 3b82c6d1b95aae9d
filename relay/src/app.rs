//! The state every request and socket shares: configuration, backends, the
//! hub, the dispatcher, metrics, and the shutdown signal; and this node's
//! share of agent presence (which agents have sockets here, kept as leases
//! in the store so presence is right across nodes: see
//! `store::redis::presence`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use shared::AgentId;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::Authenticator;
use crate::bus::Bus;
use crate::dispatcher::Dispatcher;
use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::secrets::new_id;
use crate::store::Store;
use crate::Config;

/// How long a node's claim on an agent's presence lasts unrenewed: after a
/// node dies, its agents go offline within this (plus one sweep).
pub const PRESENCE_LEASE: Duration = Duration::from_secs(15);
/// How often a node renews its leases (well inside [`PRESENCE_LEASE`], so
/// a slow renewal or two do not drop anyone).
pub const PRESENCE_RENEW: Duration = Duration::from_secs(5);

/// Shared relay state; handlers get it as `Arc<App>`.
#[derive(Debug)]
pub struct App {
    pub config: Config,
    pub public_url: String,
    pub store: Arc<dyn Store>,
    pub bus: Arc<dyn Bus>,
    pub hub: Arc<Hub>,
    pub dispatcher: Dispatcher,
    pub auth: Authenticator,
    pub metrics: Arc<Metrics>,
    /// Cancelled when the relay shuts down; sessions tell clients to reconnect.
    pub shutdown: CancellationToken,
    /// Socket sessions, so shutdown can wait for them to say goodbye.
    pub sessions: TaskTracker,
    /// This process's id among the nodes sharing a store (random per start).
    pub node: String,
    /// Sockets per agent on this node; the last one closing lets go of the
    /// agent's presence lease.
    agent_sockets: Mutex<HashMap<AgentId, usize>>,
}

impl App {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        config: Config,
        public_url: String,
        store: Arc<dyn Store>,
        bus: Arc<dyn Bus>,
        hub: Arc<Hub>,
        auth: Authenticator,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
    ) -> Self {
        let dispatcher =
            Dispatcher::new(Arc::clone(&store), Arc::clone(&bus), Arc::clone(&metrics));
        Self {
            config,
            public_url,
            store,
            bus,
            hub,
            dispatcher,
            auth,
            metrics,
            shutdown,
            sessions: TaskTracker::new(),
            node: new_id("n").as_str().to_owned(),
            agent_sockets: Mutex::new(HashMap::new()),
        }
    }

    /// Counts the socket; the first one on this node takes a presence
    /// lease at once (in the background: the caller is not async), so an
    /// agent reconnecting after its node died is not swept offline.
    pub fn agent_connected(self: &Arc<Self>, agent: &AgentId) {
        let first = {
            let mut sockets = self.agent_sockets.lock().unwrap_or_else(|e| e.into_inner());
            let count = sockets.entry(agent.clone()).or_default();
            *count += 1;
            *count == 1
        };
        if first {
            let app = Arc::clone(self);
            let agents = vec![agent.clone()];
            tokio::spawn(async move { app.hold_presence(&agents).await });
        }
    }

    /// Renews this node's leases of every agent with a socket here.
    pub async fn renew_presence(&self) {
        let agents: Vec<AgentId> = {
            let sockets = self.agent_sockets.lock().unwrap_or_else(|e| e.into_inner());
            sockets.keys().cloned().collect()
        };
        self.hold_presence(&agents).await;
    }

    async fn hold_presence(&self, agents: &[AgentId]) {
        let until = crate::now_ms() + PRESENCE_LEASE.as_millis() as u64;
        if let Err(e) = self.store.hold_presence(&self.node, agents, until).await {
            tracing::warn!(error = %e, "could not renew presence leases; retrying next round");
        }
    }

    /// When the agent's last socket on this node closes, lets go of its
    /// lease; the store sets it offline if no other node holds one, so
    /// routing stops sending it conversations it cannot see. On shutdown
    /// the lease is kept: the agent reconnects to another node (which takes
    /// its own lease) or the lease runs out.
    pub async fn agent_disconnected(&self, agent: &AgentId) {
        let last = {
            let mut sockets = self.agent_sockets.lock().unwrap_or_else(|e| e.into_inner());
            let count = sockets.entry(agent.clone()).or_default();
            *count = count.saturating_sub(1);
            let last = *count == 0;
            if last {
                sockets.remove(agent);
            }
            last
        };
        if last && !self.shutdown.is_cancelled() {
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
    }
}
