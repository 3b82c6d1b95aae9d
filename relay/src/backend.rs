//! The one place that picks the backend: Redis (store and bus) when a Redis
//! URL is configured, otherwise the embedded store and the in-process bus.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::bus::local::LocalBus;
use crate::bus::redis::RedisBus;
use crate::bus::Bus;
use crate::hub::Hub;
use crate::store::redis::RedisStore;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;
use crate::Config;

/// The store and bus a relay runs on.
#[derive(Debug, Clone)]
pub struct Backends {
    pub store: Arc<dyn Store>,
    pub bus: Arc<dyn Bus>,
    /// Human-readable, for the startup log.
    pub description: String,
}

/// Opens the configured store only (for CLI subcommands that need no bus).
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match &config.redis_url {
        Some(url) => Arc::new(RedisStore::connect(url, &config.redis_prefix).await?),
        None => Arc::new(SqliteStore::open(&config.data, config.store_cache_mb)?),
    })
}

/// Opens the configured store and bus; the bus delivers into `hub`.
pub async fn open(
    config: &Config,
    hub: Arc<Hub>,
    shutdown: CancellationToken,
) -> anyhow::Result<Backends> {
    let store = open_store(config).await?;
    Ok(match &config.redis_url {
        Some(url) => Backends {
            store,
            bus: Arc::new(RedisBus::connect(url, &config.redis_prefix, hub, shutdown).await?),
            description: format!("redis (prefix {:?})", config.redis_prefix),
        },
        None => Backends {
            store,
            bus: Arc::new(LocalBus::new(hub)),
            description: format!("embedded ({})", config.data.display()),
        },
    })
}
