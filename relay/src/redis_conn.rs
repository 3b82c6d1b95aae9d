//! One multiplexed Redis connection that heals itself, shared by the Redis
//! store and the Redis bus's publisher. (redis-rs's `ConnectionManager`
//! would do this, but it sits behind the `connection-manager` feature,
//! which this workspace does not enable.)
//!
//! A command that fails with an I/O error (Redis restarted, `CLIENT KILL`,
//! a timeout) or is refused as `READONLY` (the server was demoted by a
//! failover) drops the connection and the next command opens a fresh one,
//! to wherever the [`RedisTarget`] points now (with Sentinel: the master
//! the sentinels name at that moment).
//! Writes are never retried here: after an I/O error nobody knows whether
//! Redis applied them, and the callers own that decision (clients resend
//! with the same client message id, which the store deduplicates). Reads
//! are retried once when they failed on a connection that had gone stale
//! (Redis restarted while it sat idle), so `/readyz` and lookups do not
//! fail once after every Redis restart.
//!
//! Replication is asynchronous, so a write the master acknowledged can be
//! lost when a replica is promoted. With `wait_replicas` set, every write
//! is followed by `WAIT` and counts as done only once that many replicas
//! hold it; otherwise it fails like an outage (the caller may resend).

mod source;
mod target;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use redis::{AsyncConnectionConfig, Client, ErrorKind, RedisError, RedisResult, ServerErrorKind};
use tokio::sync::Mutex;

pub(crate) use self::source::Conn;
use self::source::Source;
pub use self::target::{has_hash_tag, RedisTarget};

/// Long enough for a loaded Redis, short enough that `/readyz` and a
/// visitor's send fail visibly instead of hanging.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a write waits for its replicas: well inside the response
/// timeout, so a missing replica is reported as such, not as a dead link.
const WAIT_MS: u64 = 1_000;

#[derive(Default)]
struct Slot {
    /// Bumped on every connect, so a failure seen on an old connection
    /// cannot throw away a newer one.
    generation: u64,
    conn: Option<Conn>,
}

/// A cheap-to-clone handle; clones share the connection.
#[derive(Clone)]
pub(crate) struct Connection {
    source: Arc<Source>,
    slot: Arc<Mutex<Slot>>,
    /// Replicas each write must reach (`WAIT`); 0 waits for none.
    wait_replicas: u32,
    /// Counts every request sent and answered in one go: a command, a
    /// pipeline or a script, and the `WAIT` after a write.
    round_trips: Counter,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: never print it.
        f.debug_struct("Connection").finish_non_exhaustive()
    }
}

impl Connection {
    /// Parses the target; connects on first use. Its round trips count
    /// in `round_trips` (`switchboard_redis_round_trips_total`).
    pub(crate) fn open(
        target: &RedisTarget,
        wait_replicas: u32,
        round_trips: Counter,
    ) -> RedisResult<Self> {
        Ok(Self {
            source: Arc::new(Source::open(target, CONNECT_TIMEOUT, RESPONSE_TIMEOUT)?),
            slot: Arc::new(Mutex::new(Slot::default())),
            wait_replicas,
            round_trips,
        })
    }

    /// Whether each write waits for replicas (`WAIT`) before it counts as done.
    pub(crate) fn waits_for_replicas(&self) -> bool {
        self.wait_replicas > 0
    }

    /// A client for a pub/sub subscription, asked afresh each time (with
    /// Sentinel: the current master).
    pub(crate) async fn pubsub_client(&self) -> RedisResult<Client> {
        self.source.pubsub_client().await
    }

    /// The live connection, connecting if there is none. The lock is held
    /// while connecting so that, when Redis comes back, one connection is
    /// opened and everyone waiting shares it.
    async fn current(&self) -> RedisResult<(u64, Conn)> {
        let mut slot = self.slot.lock().await;
        if let Some(conn) = &slot.conn {
            return Ok((slot.generation, conn.clone()));
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT));
        // A sentinel lookup has no deadline of its own.
        let conn = tokio::time::timeout(2 * CONNECT_TIMEOUT, self.source.connect(&config))
            .await
            .map_err(|_| RedisError::from(std::io::Error::from(std::io::ErrorKind::TimedOut)))??;
        slot.generation += 1;
        slot.conn = Some(conn.clone());
        if slot.generation > 1 {
            tracing::info!("reconnected to redis");
        }
        Ok((slot.generation, conn))
    }

    /// Runs `f` once on the connection (a write: with `wait_replicas`, done
    /// only once replicated); an I/O-level failure discards the connection.
    pub(crate) async fn run<T, F, Fut>(&self, f: F) -> RedisResult<T>
    where
        F: FnOnce(Conn) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        self.attempt(f, self.wait_replicas)
            .await
            .map_err(|(e, _)| e)
    }

    /// Like [`Connection::run`] without waiting for replicas: for what is
    /// not stored (pub/sub).
    pub(crate) async fn send<T, F, Fut>(&self, f: F) -> RedisResult<T>
    where
        F: FnOnce(Conn) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        self.attempt(f, 0).await.map_err(|(e, _)| e)
    }

    /// Like [`Connection::run`], but tries again on a fresh connection if
    /// the first attempt failed on a stale one. Only for commands that
    /// change nothing.
    pub(crate) async fn read<T, F, Fut>(&self, f: F) -> RedisResult<T>
    where
        F: Fn(Conn) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        match self.attempt(&f, 0).await {
            Ok(value) => Ok(value),
            Err((_, true)) => self.attempt(&f, 0).await.map_err(|(e, _)| e),
            Err((e, false)) => Err(e),
        }
    }

    /// The error comes with whether it was the connection that failed (as
    /// opposed to connecting, or the command itself).
    async fn attempt<T, F, Fut>(&self, f: F, replicas: u32) -> Result<T, (RedisError, bool)>
    where
        F: FnOnce(Conn) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        let (generation, conn) = self.current().await.map_err(|e| (e, false))?;
        self.round_trips.inc();
        let result = match f(conn.clone()).await {
            Ok(value) if replicas > 0 => {
                self.round_trips.inc();
                replicated(conn, replicas).await.map(|()| value)
            }
            other => other,
        };
        let e = match result {
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

/// `WAIT` on the connection that wrote: Redis answers once `replicas`
/// replicas have everything this connection wrote so far, or at the
/// timeout with how many do.
async fn replicated(mut conn: Conn, replicas: u32) -> RedisResult<()> {
    let reached: u32 = redis::cmd("WAIT")
        .arg(replicas)
        .arg(WAIT_MS)
        .query_async(&mut conn)
        .await?;
    if reached >= replicas {
        return Ok(());
    }
    tracing::warn!(
        reached,
        wanted = replicas,
        "a write reached too few redis replicas"
    );
    Err(RedisError::from((
        ErrorKind::Client,
        "the write reached too few replicas",
        format!("{reached} of {replicas} within {WAIT_MS} ms"),
    )))
}

fn needs_reconnect(e: &RedisError) -> bool {
    e.is_io_error()
        || e.is_unrecoverable_error()
        || e.kind() == ErrorKind::Server(ServerErrorKind::ReadOnly)
}
