//! The safety net under a lossy bus. Redis pub/sub drops events silently
//! while a subscriber reconnects; a later message of the same conversation
//! reveals the gap (sessions fill it from the store), but when the *last*
//! message's event is lost nothing follows to reveal it. So this node
//! remembers the highest seq the bus delivered per conversation
//! ([`DeliveryLog`]) and, every few seconds and at once after a
//! resubscribe, compares it with the store for every conversation a local
//! socket watches. Where the store is ahead, it hands the latest message to
//! the hub as if the bus had delivered it; each session's delivery sees the
//! gap and fills it from the store, in order, exactly once.
//!
//! After a resubscribe it also re-announces what else may have been missed:
//! the watched conversations' state (assigned, closed) and the queue. The
//! sessions treat these as idempotent updates.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{stream, StreamExt};
use shared::{ConversationId, Seq};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::Event;
use crate::hub::Hub;
use crate::store::Store;

/// How often watched conversations are checked against the store when no
/// loss was noticed.
pub const CATCH_UP_EVERY: Duration = Duration::from_secs(5);
/// Store reads in flight at once during a pass.
const PARALLEL_READS: usize = 32;

/// What a lossy bus delivered on this node, and whether it may have lost some.
#[derive(Debug, Default)]
pub struct DeliveryLog {
    seen: Mutex<HashMap<ConversationId, Seq>>,
    lost: Notify,
}

impl DeliveryLog {
    /// Notes an event the bus delivered to the hub.
    pub fn record(&self, event: &Event) {
        if let Event::Message { message } = event {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            let at = seen.entry(message.conversation.clone()).or_default();
            *at = (*at).max(message.seq);
        }
    }

    /// Events may have been lost (the subscription was down): catch up now.
    pub fn may_have_lost(&self) {
        self.lost.notify_one();
    }

    fn seen(&self, conversation: &ConversationId) -> Seq {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(conversation).copied().unwrap_or(0)
    }

    /// Forgets conversations no local socket watches any more.
    fn keep_only(&self, watched: &HashSet<ConversationId>) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.retain(|c, _| watched.contains(c));
    }
}

/// Runs catch-up passes until `stop`: every [`CATCH_UP_EVERY`], and a full
/// one whenever the bus reports a possible loss.
pub async fn run(
    log: Arc<DeliveryLog>,
    store: Arc<dyn Store>,
    hub: Arc<Hub>,
    stop: CancellationToken,
) {
    let mut every = tokio::time::interval(CATCH_UP_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let full = tokio::select! {
            () = stop.cancelled() => return,
            () = log.lost.notified() => true,
            _ = every.tick() => false,
        };
        pass(&log, store.as_ref(), &hub, full).await;
    }
}

/// One pass; `full` also re-announces conversation states and the queue.
async fn pass(log: &DeliveryLog, store: &dyn Store, hub: &Hub, full: bool) {
    let (conversations, agents) = hub.watched();
    log.keep_only(&conversations.iter().cloned().collect());
    let mut reads = stream::iter(conversations)
        .map(|id| async move { store.conversation(&id).await })
        .buffer_unordered(PARALLEL_READS);
    let mut filled = 0usize;
    while let Some(read) = reads.next().await {
        let conversation = match read {
            Ok(Some(conversation)) => conversation,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "catch-up: store unreachable; next pass retries");
                return;
            }
        };
        let id = &conversation.id;
        if conversation.last_seq > log.seen(id) {
            match store.messages_after(id, conversation.last_seq - 1, 1).await {
                Ok(latest) => {
                    for message in latest {
                        let event = Event::Message { message };
                        log.record(&event);
                        hub.fan_out(Arc::new(event));
                        filled += 1;
                    }
                }
                Err(e) => tracing::warn!(error = %e, "catch-up: could not read a message"),
            }
        }
        if full {
            hub.fan_out(Arc::new(Event::changed(&conversation, None)));
        }
    }
    if full {
        announce_agents_and_queue(store, hub, &agents).await;
    }
    if filled > 0 {
        tracing::info!(conversations = filled, "catch-up found events the bus lost");
    }
}

/// Re-announces each watched agent's conversations (an assignment may have
/// been missed) and the queue.
async fn announce_agents_and_queue(store: &dyn Store, hub: &Hub, agents: &[shared::AgentId]) {
    for agent in agents {
        match store.agent_conversations(agent).await {
            Ok(list) => {
                for conversation in list {
                    hub.fan_out(Arc::new(Event::changed(&conversation, None)));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "catch-up: could not read an agent's conversations")
            }
        }
    }
    match store.waiting().await {
        Ok(waiting) => hub.fan_out(Arc::new(Event::QueueChanged {
            waiting: waiting.iter().map(|c| c.summary()).collect(),
        })),
        Err(e) => tracing::warn!(error = %e, "catch-up: could not read the queue"),
    }
}
