//! One multiplexed Redis connection that heals itself, shared by the Redis
//! store and the Redis bus's publisher. (redis-rs's `ConnectionManager`
//! would do this, but it sits behind the `connection-manager` feature,
//! which this workspace does not enable.)
//!
//! A command that fails with an I/O error (Redis restarted, `CLIENT KILL`,
//! a timeout) drops the connection and the next command opens a fresh one.
//! Writes are never retried here: after an I/O error nobody knows whether
//! Redis applied them, and the callers own that decision (clients resend
//! with the same client message id, which the store deduplicates). Reads
//! are retried once when they failed on a connection that had gone stale
//! (Redis restarted while it sat idle), so `/readyz` and lookups do not
//! fail once after every Redis restart.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, RedisError, RedisResult};
use tokio::sync::Mutex;

/// Long enough for a loaded Redis, short enough that `/readyz` and a
/// visitor's send fail visibly instead of hanging.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Default)]
struct Slot {
    /// Bumped on every connect, so a failure seen on an old connection
    /// cannot throw away a newer one.
    generation: u64,
    conn: Option<MultiplexedConnection>,
}

/// A cheap-to-clone handle; clones share the connection.
#[derive(Clone)]
pub(crate) struct Connection {
    client: Client,
    slot: Arc<Mutex<Slot>>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: never print it.
        f.debug_struct("Connection").finish_non_exhaustive()
    }
}

impl Connection {
    /// Parses the URL; connects on first use.
    pub(crate) fn open(url: &str) -> RedisResult<Self> {
        Ok(Self {
            client: Client::open(url)?,
            slot: Arc::new(Mutex::new(Slot::default())),
        })
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// The live connection, connecting if there is none. The lock is held
    /// while connecting so that, when Redis comes back, one connection is
    /// opened and everyone waiting shares it.
    async fn current(&self) -> RedisResult<(u64, MultiplexedConnection)> {
        let mut slot = self.slot.lock().await;
        if let Some(conn) = &slot.conn {
            return Ok((slot.generation, conn.clone()));
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT));
        let conn = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        slot.generation += 1;
        slot.conn = Some(conn.clone());
        if slot.generation > 1 {
            tracing::info!("reconnected to redis");
        }
        Ok((slot.generation, conn))
    }

    /// Runs `f` once on the connection; an I/O-level failure discards it.
    pub(crate) async fn run<T, F, Fut>(&self, f: F) -> RedisResult<T>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        self.attempt(f).await.map_err(|(e, _)| e)
    }

    /// Like [`Connection::run`], but tries again on a fresh connection if
    /// the first attempt failed on a stale one. Only for commands that
    /// change nothing.
    pub(crate) async fn read<T, F, Fut>(&self, f: F) -> RedisResult<T>
    where
        F: Fn(MultiplexedConnection) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        match self.attempt(&f).await {
            Ok(value) => Ok(value),
            Err((_, true)) => self.run(&f).await,
            Err((e, false)) => Err(e),
        }
    }

    /// The error comes with whether it was the connection that failed (as
    /// opposed to connecting, or the command itself).
    async fn attempt<T, F, Fut>(&self, f: F) -> Result<T, (RedisError, bool)>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        let (generation, conn) = self.current().await.map_err(|e| (e, false))?;
        let e = match f(conn).await {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        if !needs_reconnect(&e) {
            return Err((e, false));
        }
        let mut slot = self.slot.lock().await;
        if slot.generation == generation && slot.conn.take().is_some() {
            tracing::warn!(error = %e, "redis connection lost; reconnecting");
        }
        Err((e, true))
    }
}

fn needs_reconnect(e: &RedisError) -> bool {
    e.is_io_error() || e.is_unrecoverable_error()
}
