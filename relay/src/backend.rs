//! The one place that picks the backend: Redis (store and bus) when Redis
//! is configured (one server, Sentinel or a cluster; see
//! [`RedisTarget`]), otherwise the embedded store and the in-process bus.

use std::sync::Arc;

use prometheus_client::metrics::counter::Counter;
use tokio_util::sync::CancellationToken;

use crate::bus::local::LocalBus;
use crate::bus::redis::{events_channel, RedisBus};
use crate::bus::Bus;
use crate::hub::Hub;
use crate::redis_conn::RedisTarget;
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

/// Where the settings say Redis is; `None` for the embedded store.
pub fn redis_target(config: &Config) -> anyhow::Result<Option<RedisTarget>> {
    RedisTarget::from_settings(
        config.redis_url.as_deref(),
        &config.redis_sentinels,
        config.redis_master.as_deref(),
        config.redis_cluster,
    )
}

/// Opens the configured store only (for CLI subcommands that need no bus).
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match redis_target(config)? {
        Some(target) => Arc::new(
            RedisStore::connect_to(&target, &config.redis_prefix, config.redis_wait_replicas)
                .await?,
        ),
        None => Arc::new(SqliteStore::open(&config.data, config.store_cache_mb)?),
    })
}

/// Opens the configured store and bus; the bus delivers into `hub`, and
/// both count their round trips to Redis (if any) in `round_trips`.
pub async fn open(
    config: &Config,
    hub: Arc<Hub>,
    shutdown: CancellationToken,
    round_trips: Counter,
) -> anyhow::Result<Backends> {
    Ok(match redis_target(config)? {
        Some(target) => Backends {
            store: Arc::new(
                RedisStore::connect_counted(
                    &target,
                    &config.redis_prefix,
                    config.redis_wait_replicas,
                    round_trips.clone(),
                )
                .await?
                // The bus below is this Redis: a new message is published
                // by the script that stores it.
                .publishing_messages_on(events_channel(&config.redis_prefix)),
            ),
            bus: Arc::new(
                RedisBus::connect(&target, &config.redis_prefix, hub, shutdown, round_trips)
                    .await?,
            ),
            description: format!(
                "redis, {} (prefix {:?}, writes wait for {} replicas)",
                target.describe(),
                config.redis_prefix,
                config.redis_wait_replicas
            ),
        },
        None => Backends {
            store: open_store(config).await?,
            bus: Arc::new(LocalBus::new(hub)),
            description: format!("embedded ({})", config.data.display()),
        },
    })
}
