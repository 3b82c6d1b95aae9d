//! The state every request and socket shares: configuration, backends, the
//! hub, the conversation service, this node's presence leases, metrics,
//! and the shutdown signal.

use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::Authenticator;
use crate::bus::Bus;
use crate::conversations::{ConversationService, Resources};
use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::presence::PresenceLeases;
use crate::secrets::new_id;
use crate::store::Store;
use crate::visitors_online::VisitorsOnline;
use crate::Config;

/// Shared relay state; handlers get it as `Arc<App>`.
#[derive(Debug)]
pub struct App {
    pub config: Config,
    pub public_url: String,
    pub store: Arc<dyn Store>,
    pub bus: Arc<dyn Bus>,
    pub hub: Arc<Hub>,
    /// Every domain step; sockets and the REST API go through it.
    pub conversations: ConversationService,
    /// This node's agent presence leases.
    pub presence: Arc<PresenceLeases>,
    /// Conversations whose visitor has a socket on this node.
    pub visitors_online: VisitorsOnline,
    pub metrics: Arc<Metrics>,
    /// Cancelled when the relay shuts down; sessions tell clients to reconnect.
    pub shutdown: CancellationToken,
    /// Socket sessions, so shutdown can wait for them to say goodbye.
    pub sessions: TaskTracker,
    /// Open WebSockets on this node (capped by `limits.max_connections`).
    pub open_sockets: AtomicUsize,
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
        resources: Resources,
        shutdown: CancellationToken,
    ) -> Self {
        let conversations = ConversationService::new(
            Arc::clone(&store),
            Arc::clone(&bus),
            auth,
            Arc::clone(&metrics),
            resources,
            config.limits.clone(),
            config.demo,
        );
        // This process's id among the nodes sharing a store (random per start).
        let node = new_id("n").as_str().to_owned();
        Self {
            presence: Arc::new(PresenceLeases::new(Arc::clone(&store), node)),
            visitors_online: VisitorsOnline::default(),
            config,
            public_url,
            store,
            bus,
            hub,
            conversations,
            metrics,
            shutdown,
            sessions: TaskTracker::new(),
            open_sockets: AtomicUsize::new(0),
        }
    }
}
