//! Opening connections to a [`RedisTarget`]: the healing connection asks
//! here on every (re)connect, so with Sentinel each reconnect asks the
//! sentinels for the current master and a failover is followed without
//! restarting the relay.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::cluster::{ClusterClient, ClusterClientBuilder};
use redis::cluster_async::ClusterConnection;
use redis::sentinel::{SentinelClient, SentinelServerType};
use redis::{AsyncConnectionConfig, Client, Cmd, Pipeline, RedisFuture, RedisResult, Value};
use tokio::sync::Mutex;

use super::target::{sentinel_url, RedisTarget};

/// A connection to one server or to a whole cluster; both speak
/// [`ConnectionLike`], so the store sends commands the same way to either.
#[derive(Clone)]
pub(crate) enum Conn {
    Server(MultiplexedConnection),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Server(c) => c.req_packed_command(cmd),
            Self::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Server(c) => c.req_packed_commands(pipeline, offset, count),
            Self::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Server(c) => c.get_db(),
            Self::Cluster(c) => c.get_db(),
        }
    }
}

/// A [`RedisTarget`] ready to connect to.
pub(super) enum Source {
    Server(Client),
    /// Behind a lock: redis-rs's lookup caches its sentinel connections.
    Sentinel(Mutex<SentinelClient>),
    Cluster {
        client: ClusterClient,
        /// Where pub/sub subscribes (any node hears every `PUBLISH`),
        /// taken in turn so a dead node is left for the next.
        seeds: Vec<Client>,
        next_seed: AtomicUsize,
    },
}

impl Source {
    /// Parses the URLs; connects nothing yet.
    pub(super) fn open(
        target: &RedisTarget,
        connect_timeout: Duration,
        response_timeout: Duration,
    ) -> RedisResult<Self> {
        Ok(match target {
            RedisTarget::Server(url) => Self::Server(Client::open(url.as_str())?),
            RedisTarget::Sentinel { sentinels, master } => {
                let urls = sentinels.iter().map(|s| sentinel_url(s)).collect();
                Self::Sentinel(Mutex::new(SentinelClient::build(
                    urls,
                    master.clone(),
                    None,
                    SentinelServerType::Master,
                )?))
            }
            RedisTarget::Cluster { seeds } => Self::Cluster {
                client: ClusterClientBuilder::new(seeds.iter().map(String::as_str))
                    .connection_timeout(connect_timeout)
                    .response_timeout(response_timeout)
                    .build()?,
                seeds: seeds
                    .iter()
                    .map(|s| Client::open(s.as_str()))
                    .collect::<RedisResult<_>>()?,
                next_seed: AtomicUsize::new(0),
            },
        })
    }

    /// A fresh connection: to the server, to the master the sentinels name
    /// now, or to the cluster.
    pub(super) async fn connect(&self, config: &AsyncConnectionConfig) -> RedisResult<Conn> {
        Ok(match self {
            Self::Server(client) => Conn::Server(
                client
                    .get_multiplexed_async_connection_with_config(config)
                    .await?,
            ),
            Self::Sentinel(_) => Conn::Server(
                self.pubsub_client()
                    .await?
                    .get_multiplexed_async_connection_with_config(config)
                    .await?,
            ),
            Self::Cluster { client, .. } => Conn::Cluster(client.get_async_connection().await?),
        })
    }

    /// A client for a pub/sub subscription: the server, the current
    /// master, or the next cluster node.
    pub(super) async fn pubsub_client(&self) -> RedisResult<Client> {
        match self {
            Self::Server(client) => Ok(client.clone()),
            Self::Sentinel(sentinel) => sentinel.lock().await.async_get_client().await,
            Self::Cluster {
                seeds, next_seed, ..
            } => {
                let at = next_seed.fetch_add(1, Ordering::Relaxed) % seeds.len();
                Ok(seeds[at].clone())
            }
        }
    }
}
