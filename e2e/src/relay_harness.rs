//! A relay for tests: port 0, a known first admin, and either a temporary
//! data directory (embedded store) or a private Redis with a unique key
//! prefix. `restart` stops it gracefully and starts it again on the same
//! data, which is how tests prove nothing acknowledged is lost.

use std::net::SocketAddr;
use std::sync::Arc;

use relay::store::Store;
use relay::{Config, Relay, RelayHandle};
use tempfile::TempDir;

use crate::redis_server::{unique_prefix, RedisServer};

/// The first admin every test relay has.
pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// Which store and bus a test relay runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Embedded,
    Redis,
}

/// A running relay and what it runs on.
#[derive(Debug)]
pub struct TestRelay {
    handle: Option<RelayHandle>,
    config: Config,
    _data: TempDir,
    /// The private Redis, for Redis-backed relays.
    pub redis: Option<Arc<RedisServer>>,
}

impl TestRelay {
    /// Starts a relay with default limits.
    pub async fn start(backend: Backend) -> anyhow::Result<Self> {
        Self::start_with(backend, |_| {}).await
    }

    /// Starts a relay after `adjust` has changed its config (e.g. limits).
    pub async fn start_with(
        backend: Backend,
        adjust: impl FnOnce(&mut Config),
    ) -> anyhow::Result<Self> {
        init_logging();
        let data = tempfile::tempdir()?;
        let mut config = Config::new("127.0.0.1:0".parse()?, data.path().join("data"));
        config.admin_email = Some(ADMIN_EMAIL.into());
        config.admin_password = Some(ADMIN_PASSWORD.into());
        // Every test client comes from one loopback address: lift the
        // flood limits (the flood tests lower them again).
        config.limits.new_visitors_per_address = 1_000_000;
        config.limits.new_visitors_per_site = 1_000_000;
        config.limits.starts_per_address = 1_000_000;
        config.limits.starts_per_site = 1_000_000;
        config.assets = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/web");
        let redis = match backend {
            Backend::Embedded => None,
            Backend::Redis => {
                let server = Arc::new(RedisServer::start()?);
                config.redis_url = Some(server.url());
                config.redis_prefix = unique_prefix("relay");
                Some(server)
            }
        };
        adjust(&mut config);
        let handle = Relay::start(config.clone()).await?;
        Ok(Self {
            handle: Some(handle),
            config,
            _data: data,
            redis,
        })
    }

    fn handle(&self) -> &RelayHandle {
        self.handle.as_ref().expect("relay is running")
    }

    pub fn addr(&self) -> SocketAddr {
        self.handle().addr
    }

    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.handle().app.store)
    }

    /// The relay's shared state, for tests that publish on its bus the
    /// way a racing publisher would.
    pub fn app(&self) -> Arc<relay::app::App> {
        Arc::clone(&self.handle().app)
    }

    pub fn redis_prefix(&self) -> &str {
        &self.config.redis_prefix
    }

    /// Graceful shutdown, then a fresh start on the same data (new port).
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        if let Some(handle) = self.handle.take() {
            handle.shutdown().await;
        }
        self.handle = Some(Relay::start(self.config.clone()).await?);
        Ok(())
    }

    /// Graceful shutdown.
    pub async fn stop(mut self) {
        if let Some(handle) = self.handle.take() {
            handle.shutdown().await;
        }
    }
}

/// Relay logs go to the test's captured output; `RUST_LOG` picks the level.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}
