//! Applies routing decisions and publishes what changed. Runs whenever
//! capacity or the queue may have changed (a conversation starts or closes,
//! an agent comes online, a transfer) and on a periodic sweep as a safety
//! net for triggers lost across nodes. Decisions come from the pure
//! [`crate::routing`] functions; [`Store::assign`] re-checks each one
//! atomically, so racing nodes can only lose a race, never double-assign.

use std::sync::Arc;

use crate::bus::{Bus, Event};
use crate::metrics::Metrics;
use crate::routing::plan_assignments;
use crate::store::{Store, StoreError, StoreResult};
use crate::wait_estimate::WaitEstimate;

/// Snapshot-plan-apply rounds before giving up until the next trigger.
const MAX_ROUNDS: usize = 8;

/// Routes the queue and publishes events.
#[derive(Debug)]
pub struct Dispatcher {
    store: Arc<dyn Store>,
    bus: Arc<dyn Bus>,
    metrics: Arc<Metrics>,
    /// One routing pass at a time on this node; nodes race only each other.
    routing: tokio::sync::Mutex<()>,
    /// How long routed conversations waited (the visitor's expected wait).
    pub waits: WaitEstimate,
}

impl Dispatcher {
    pub fn new(store: Arc<dyn Store>, bus: Arc<dyn Bus>, metrics: Arc<Metrics>) -> Self {
        Self {
            store,
            bus,
            metrics,
            routing: tokio::sync::Mutex::new(()),
            waits: WaitEstimate::default(),
        }
    }

    /// Publishes an event. A lost event is logged, not fatal: the data is in
    /// the store and clients fill gaps from it.
    pub async fn publish(&self, event: Event) {
        if let Err(e) = self.bus.publish(&event).await {
            tracing::warn!(error = %e, "event not published");
        }
    }

    /// Assigns as much of the queue as capacity allows. `queue_changed`
    /// says the caller changed the queue itself, so it is published even if
    /// nothing gets assigned.
    pub async fn route(&self, queue_changed: bool) -> StoreResult<()> {
        let _one_at_a_time = self.routing.lock().await;
        let mut changed = queue_changed;
        for _ in 0..MAX_ROUNDS {
            let snapshot = self.store.routing_snapshot().await?;
            let plan = plan_assignments(&snapshot, crate::now_ms());
            if plan.is_empty() {
                break;
            }
            let mut raced = false;
            for (conversation, agent) in plan {
                match self
                    .store
                    .assign(&conversation, &agent, crate::now_ms())
                    .await
                {
                    Ok(assigned) => {
                        changed = true;
                        self.waits
                            .record(crate::now_ms().saturating_sub(assigned.created_at_ms));
                        tracing::info!(conversation = %conversation, agent = %agent, "assigned");
                        self.publish(Event::ConversationChanged {
                            conversation: assigned.summary(),
                            previous_agent: None,
                        })
                        .await;
                    }
                    // Another node (or a close, or a presence change) got
                    // there first: re-plan from a fresh snapshot.
                    Err(
                        StoreError::Conflict(_)
                        | StoreError::AgentUnavailable
                        | StoreError::NotFound,
                    ) => {
                        raced = true;
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
            if !raced {
                break;
            }
        }
        if changed {
            self.publish_queue().await?;
        }
        Ok(())
    }

    /// Publishes the current queue (agents list it; visitors derive their position).
    pub async fn publish_queue(&self) -> StoreResult<()> {
        let waiting = self.store.waiting().await?;
        self.metrics
            .queue_length
            .set(i64::try_from(waiting.len()).unwrap_or(i64::MAX));
        self.publish(Event::QueueChanged {
            waiting: waiting.iter().map(|c| c.summary()).collect(),
        })
        .await;
        Ok(())
    }
}
