//! The state every request and socket shares: configuration, backends, the
//! hub, the dispatcher, metrics, and the shutdown signal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use shared::{AgentId, Presence};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::Authenticator;
use crate::bus::Bus;
use crate::dispatcher::Dispatcher;
use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::Config;

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
    /// Sockets per agent on this node; the last one closing sets them offline.
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
            agent_sockets: Mutex::new(HashMap::new()),
        }
    }

    pub fn agent_connected(&self, agent: &AgentId) {
        let mut sockets = self.agent_sockets.lock().unwrap_or_else(|e| e.into_inner());
        *sockets.entry(agent.clone()).or_default() += 1;
    }

    /// Marks the agent offline when its last socket on this node closes, so
    /// routing stops sending it conversations it cannot see.
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
            if let Err(e) = self
                .store
                .set_presence(agent, Presence::Offline, crate::now_ms())
                .await
            {
                tracing::warn!(agent = %agent, error = %e, "could not set agent offline");
            }
        }
    }
}
