//! The Redis bus: every node publishes events as JSON on one pub/sub
//! channel, `{prefix}events`, and every node (the publisher included)
//! subscribes to it and hands what arrives to its [`Hub`]. A node's own
//! events make the same trip, so local and remote connections see events in
//! the same order and nothing is delivered twice.
//!
//! Pub/sub is fire-and-forget: events published while a subscriber is
//! reconnecting are lost to it. That is the bus contract (events are hints;
//! sessions fill seq gaps from the store), so the subscriber only has to
//! come back quickly: it resubscribes with a backoff capped at one second,
//! and pings its connection so a silently dead one is noticed too. Every
//! delivered event is noted in a [`DeliveryLog`], and every resubscribe
//! tells it events may have been lost, so the catch-up pass (see
//! [`super::catchup`]) fills what no later event would reveal.
//!
//! Each (re)subscribe asks the [`RedisTarget`] where to go: with Sentinel
//! the current master, on a cluster the next node (a cluster passes every
//! `PUBLISH` to all its nodes, so any one will do).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use prometheus_client::metrics::counter::Counter;
use redis::aio::PubSub;
use redis::Msg;
use tokio_util::sync::{CancellationToken, DropGuard};

use super::catchup::DeliveryLog;
use super::{Bus, BusError, Event};
use crate::hub::Hub;
use crate::redis_conn::{Connection, RedisTarget};

const BACKOFF_START: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_secs(1);
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(2);
/// How often an idle subscription is checked, and how long a check may take.
const HEARTBEAT: Duration = Duration::from_secs(10);
const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(3);

/// Publishes to, and listens on, the shared channel. Cheap to clone; the
/// listener stops when the last clone is dropped or `shutdown` is cancelled.
#[derive(Clone)]
pub struct RedisBus {
    conn: Connection,
    channel: Arc<str>,
    log: Arc<DeliveryLog>,
    _stop: Arc<DropGuard>,
}

impl std::fmt::Debug for RedisBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBus")
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl RedisBus {
    /// Subscribes before returning, so a bad URL fails at startup and every
    /// event published after this returns reaches `hub`.
    pub async fn connect(
        target: &RedisTarget,
        prefix: &str,
        hub: Arc<Hub>,
        shutdown: CancellationToken,
        round_trips: Counter,
    ) -> Result<RedisBus, BusError> {
        // Events are not stored: publishing waits for no replica.
        let conn = Connection::open(target, 0, round_trips).map_err(|e| BusError(e.to_string()))?;
        let channel = events_channel(prefix);
        let pubsub = subscribe(&conn, &channel).await.map_err(BusError)?;
        let stop = shutdown.child_token();
        let log = Arc::new(DeliveryLog::default());
        let target = Target {
            hub,
            log: Arc::clone(&log),
        };
        tokio::spawn(listen_forever(
            conn.clone(),
            channel.clone(),
            target,
            stop.clone(),
            pubsub,
        ));
        tracing::info!(%channel, "redis bus subscribed");
        Ok(RedisBus {
            conn,
            channel: channel.into(),
            log,
            _stop: Arc::new(stop.drop_guard()),
        })
    }
}

#[async_trait]
impl Bus for RedisBus {
    async fn publish(&self, event: &Event) -> Result<(), BusError> {
        let json = serde_json::to_string(event).map_err(|e| BusError(e.to_string()))?;
        let channel = &*self.channel;
        self.conn
            .send(|mut c| async move {
                let mut cmd = redis::cmd("PUBLISH");
                cmd.arg(channel).arg(json);
                cmd.query_async::<i64>(&mut c).await
            })
            .await
            .map(drop)
            .map_err(|e| BusError(e.to_string()))
    }

    fn delivery_log(&self) -> Option<Arc<DeliveryLog>> {
        Some(Arc::clone(&self.log))
    }
}

/// Where received events go: the hub, noted in the log.
struct Target {
    hub: Arc<Hub>,
    log: Arc<DeliveryLog>,
}

async fn subscribe(conn: &Connection, channel: &str) -> Result<PubSub, String> {
    let attempt = async {
        let mut pubsub = conn.pubsub_client().await?.get_async_pubsub().await?;
        pubsub.subscribe(channel).await?;
        Ok::<_, redis::RedisError>(pubsub)
    };
    match tokio::time::timeout(SUBSCRIBE_TIMEOUT, attempt).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err("subscribe timed out".into()),
    }
}

/// Listens until stopped, resubscribing whenever the subscription is lost.
async fn listen_forever(
    conn: Connection,
    channel: String,
    target: Target,
    stop: CancellationToken,
    first: PubSub,
) {
    let mut pubsub = Some(first);
    let mut backoff = BACKOFF_START;
    loop {
        if let Some(live) = pubsub.take() {
            backoff = BACKOFF_START;
            let reason = tokio::select! {
                _ = stop.cancelled() => break,
                reason = listen(live, &target) => reason,
            };
            tracing::warn!(%reason, %channel, "redis bus subscription lost; resubscribing");
        }
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = tokio::time::sleep(backoff) => {}
        }
        let attempt = tokio::select! {
            _ = stop.cancelled() => break,
            attempt = subscribe(&conn, &channel) => attempt,
        };
        match attempt {
            Ok(live) => {
                tracing::info!(%channel, "redis bus resubscribed");
                target.log.may_have_lost();
                pubsub = Some(live);
            }
            Err(error) => {
                backoff = (backoff * 2).min(BACKOFF_MAX);
                tracing::warn!(%error, retry_in = ?backoff, "redis bus resubscribe failed");
            }
        }
    }
    tracing::debug!(%channel, "redis bus listener stopped");
}

/// Delivers messages until the subscription fails; returns why it did.
async fn listen(pubsub: PubSub, target: &Target) -> String {
    let (mut sink, mut stream) = pubsub.split();
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    heartbeat.tick().await;
    loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(message) => deliver(&message, target),
                None => return "connection closed".into(),
            },
            _ = heartbeat.tick() => {
                match tokio::time::timeout(HEARTBEAT_TIMEOUT, sink.ping::<redis::Value>()).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => return format!("heartbeat failed: {e}"),
                    Err(_) => return "heartbeat timed out".into(),
                }
            }
        }
    }
}

/// A message that does not decode (another version, another writer) is
/// skipped: one bad event must not stop the bus.
fn deliver(message: &Msg, target: &Target) {
    let payload = message.get_payload_bytes();
    match serde_json::from_slice::<Event>(payload) {
        Ok(event) => {
            target.log.record(&event);
            target.hub.fan_out(Arc::new(event));
        }
        Err(error) => {
            tracing::warn!(%error, bytes = payload.len(), "undecodable bus event skipped");
        }
    }
}

/// The one pub/sub channel the bus uses, under the deployment's key prefix.
/// The channel every node publishes and listens on.
pub fn events_channel(prefix: &str) -> String {
    format!("{prefix}events")
}
