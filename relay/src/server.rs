//! Starting and stopping a relay. [`Relay::start`] binds, opens the
//! backends, bootstraps, and serves in the background; the returned
//! [`RelayHandle`] stops it gracefully: stop accepting, tell every socket to
//! reconnect (frame `reconnect`, close 1012), wait for sessions to finish
//! their current work, and return. Stores are durable per write, so there
//! is nothing left to flush after that.
//!
//! Beside the server run the node's background duties: the routing sweep,
//! presence leases (renewing this node's, expiring dead nodes'), the
//! retention sweep when a retention is set (`retention`), and, on a bus
//! that can lose events, the catch-up pass (`bus::catchup`).

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::{TcpListener, TcpSocket};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::app::App;
use crate::auth::Authenticator;
use crate::bootstrap::{ensure_demo_site, ensure_first_admin, FirstAdmin};
use crate::bus::catchup;
use crate::client_addr::TrustedProxies;
use crate::conversations::Resources;
use crate::hub::Hub;
use crate::knowledge::{keeper, Library};
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::presence::PRESENCE_RENEW;
use crate::{backend, http, http_server, retention, Config};

/// Starts relays.
#[derive(Debug)]
pub struct Relay;

/// A running relay.
#[derive(Debug)]
pub struct RelayHandle {
    /// The address actually bound (useful with port 0).
    pub addr: SocketAddr,
    pub app: Arc<App>,
    /// Set when this start created the first admin.
    pub first_admin: Option<FirstAdmin>,
    pub backend: String,
    server: JoinHandle<std::io::Result<()>>,
    duties: Vec<JoinHandle<()>>,
}

impl Relay {
    pub async fn start(config: Config) -> anyhow::Result<RelayHandle> {
        let listener = listen(config.addr)?;
        let addr = listener.local_addr()?;
        let public_url = config.public_url_for(addr);
        let metrics = Arc::new(Metrics::default());
        let hub = Hub::new(
            metrics.stages.fan_out.clone(),
            metrics.coalesced_events.clone(),
        );
        let shutdown = CancellationToken::new();
        let backends = backend::open(
            &config,
            Arc::clone(&hub),
            shutdown.clone(),
            metrics.redis_round_trips.clone(),
        )
        .await?;
        if config.demo {
            ensure_demo_site(backends.store.as_ref(), &public_url, addr).await?;
        }
        let first_admin = ensure_first_admin(backends.store.as_ref(), &config).await?;
        let library = Arc::new(Library::new()?);
        let indexed = library.resync(backends.store.as_ref()).await?;
        tracing::info!(articles = indexed, "search index built");
        let article_changes = hub.article_changes();
        let config_smtp = config.smtp.clone();
        let app = Arc::new(App::new(
            config,
            public_url,
            backends.store,
            backends.bus,
            hub,
            Authenticator::new()?,
            metrics,
            Resources {
                library,
                mailer: Mailer::from_config(&config_smtp)?.map(Arc::new),
            },
            shutdown.clone(),
        ));
        // Conversations may have waited through a restart.
        if let Err(e) = app.conversations.assign_waiting(true).await {
            tracing::warn!(error = %e, "initial routing failed; the sweep will retry");
        }
        let router = http::router(Arc::clone(&app));
        let server = tokio::spawn(http_server::serve(
            listener,
            router,
            shutdown.clone(),
            app.config.limits.header_read_timeout,
            TrustedProxies::new(&app.config.trusted_proxies),
        ));
        let mut duties = vec![
            tokio::spawn(routing_sweep(Arc::clone(&app))),
            tokio::spawn(presence_leases(Arc::clone(&app))),
            tokio::spawn(abandoned_sweep(Arc::clone(&app))),
            tokio::spawn(keeper::run(Arc::clone(&app), article_changes)),
            tokio::spawn(retention::run(
                Arc::clone(&app.store),
                app.config.retention.clone(),
                shutdown.clone(),
            )),
        ];
        if let Some(log) = app.bus.delivery_log() {
            duties.push(tokio::spawn(catchup::run(
                log,
                Arc::clone(&app.store),
                Arc::clone(&app.hub),
                shutdown.clone(),
            )));
        }
        tracing::info!(%addr, backend = %backends.description, "relay started");
        Ok(RelayHandle {
            addr,
            app,
            first_admin,
            backend: backends.description,
            server,
            duties,
        })
    }
}

/// Re-runs routing now and then: for triggers lost between nodes, to
/// widen what waited too long, and to take back what was not answered
/// in time or whose agent is gone.
async fn routing_sweep(app: Arc<App>) {
    let mut every = tokio::time::interval(app.config.limits.routing_sweep);
    loop {
        tokio::select! {
            () = app.shutdown.cancelled() => return,
            _ = every.tick() => {
                if let Err(e) = app.conversations.assign_waiting(false).await {
                    tracing::warn!(error = %e, "routing sweep failed");
                }
                if let Err(e) = app.conversations.reassign_overdue().await {
                    tracing::warn!(error = %e, "reassignment sweep failed");
                }
            }
        }
    }
}

/// Notes this node's visitors and closes waiting conversations whose
/// visitor is gone everywhere.
async fn abandoned_sweep(app: Arc<App>) {
    let limits = &app.config.limits;
    let after_ms = limits.abandon_after_secs.saturating_mul(1000);
    let mut every = tokio::time::interval(limits.visitor_sweep);
    loop {
        tokio::select! {
            () = app.shutdown.cancelled() => return,
            _ = every.tick() => {
                let here = app.visitors_online.conversations();
                if let Err(e) = app.conversations.expire_abandoned(&here, after_ms).await {
                    tracing::warn!(error = %e, "abandoned-conversation sweep failed");
                }
            }
        }
    }
}

/// Renews this node's presence leases and sets offline the agents whose
/// nodes died holding them (see `store::redis::presence`).
async fn presence_leases(app: Arc<App>) {
    let mut every = tokio::time::interval(PRESENCE_RENEW);
    loop {
        tokio::select! {
            () = app.shutdown.cancelled() => return,
            _ = every.tick() => {
                app.presence.renew().await;
                app.presence.expire_dead().await;
            }
        }
    }
}

impl RelayHandle {
    /// `http://ADDR` of this relay.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Graceful shutdown (see the module docs).
    pub async fn shutdown(self) {
        tracing::info!("shutting down: closing sockets with 'reconnect'");
        self.app.shutdown.cancel();
        match self.server.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "server ended with an error"),
            Err(e) => tracing::warn!(error = %e, "server task failed"),
        }
        self.app.sessions.close();
        let grace = self.app.config.limits.shutdown_grace;
        if tokio::time::timeout(grace, self.app.sessions.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                remaining = self.app.sessions.len(),
                "sessions still open after the grace period"
            );
        }
        for duty in self.duties {
            let _ = duty.await;
        }
        tracing::info!("relay stopped");
    }
}

/// Connections the kernel holds for `accept` (tokio's default is 1,024).
/// A reconnect storm (a node restarting under thousands of visitors) fills
/// a short queue at once, and every overflow costs its client a SYN retry
/// of 1 s, then 3 s; the kernel caps this at `net.core.somaxconn`.
const LISTEN_BACKLOG: u32 = 4096;

fn listen(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // A restarted relay may rebind while old connections sit in TIME_WAIT.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}
