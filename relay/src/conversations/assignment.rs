//! Assigning the queue to agents: snapshot, plan with the pure
//! [`crate::routing`] functions, apply each decision through
//! [`Store::assign`] (which re-checks it atomically, so racing nodes can
//! only lose a race, never double-assign), publish what changed. Runs
//! after every step that may free capacity or fill the queue, and on a
//! periodic sweep as a safety net for triggers lost across nodes.

use std::sync::Arc;

use super::events::Publisher;
use crate::routing::plan_assignments;
use crate::store::{Conversation, Store, StoreError, StoreResult};
use crate::wait_estimate::WaitEstimate;

/// Snapshot-plan-apply rounds before giving up until the next trigger.
const MAX_ROUNDS: usize = 8;

/// Runs assignment passes, one at a time on this node.
#[derive(Debug)]
pub struct QueueAssigner {
    store: Arc<dyn Store>,
    /// One pass at a time on this node; nodes race only each other.
    one_at_a_time: tokio::sync::Mutex<()>,
    /// How long assigned conversations waited (the visitor's expected wait).
    pub waits: WaitEstimate,
}

impl QueueAssigner {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            one_at_a_time: tokio::sync::Mutex::new(()),
            waits: WaitEstimate::default(),
        }
    }

    /// Assigns as much of the queue as capacity allows and publishes each
    /// assignment, then the queue if it changed. `queue_changed` says the
    /// caller changed the queue itself, so it is published even if nothing
    /// gets assigned.
    pub async fn assign_waiting(
        &self,
        publisher: &Publisher,
        queue_changed: bool,
    ) -> StoreResult<()> {
        let _one_at_a_time = self.one_at_a_time.lock().await;
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
                        self.assigned(publisher, &assigned).await;
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
            publisher.queue().await?;
        }
        Ok(())
    }

    async fn assigned(&self, publisher: &Publisher, assigned: &Conversation) {
        self.waits
            .record(crate::now_ms().saturating_sub(assigned.created_at_ms));
        tracing::info!(conversation = %assigned.id, agent = ?assigned.agent, "assigned");
        publisher.changed(assigned, None).await;
    }
}
