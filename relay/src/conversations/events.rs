//! Publishing what changed. Every domain step writes the store first and
//! then publishes through [`Publisher`]; a lost event costs latency, not
//! data (sessions fill gaps from the store), so a failed publish is logged
//! and the step still succeeds.

use std::sync::Arc;

use shared::routing::queue_order;
use shared::AgentId;

use crate::bus::{Bus, Event};
use crate::metrics::Metrics;
use crate::store::{Conversation, Store, StoreResult};

/// Publishes events to every node's hub.
#[derive(Debug)]
pub struct Publisher {
    store: Arc<dyn Store>,
    bus: Arc<dyn Bus>,
    metrics: Arc<Metrics>,
}

impl Publisher {
    pub fn new(store: Arc<dyn Store>, bus: Arc<dyn Bus>, metrics: Arc<Metrics>) -> Self {
        Self {
            store,
            bus,
            metrics,
        }
    }

    /// Publishes an event; a lost one is logged, not fatal.
    pub async fn publish(&self, event: Event) {
        if let Err(e) = self.bus.publish(&event).await {
            tracing::warn!(error = %e, "event not published");
        }
    }

    /// Publishes a conversation's new snapshot (with its version, so
    /// sessions can drop snapshots older than what they hold).
    pub async fn changed(&self, conversation: &Conversation, previous_agent: Option<AgentId>) {
        self.publish(Event::changed(conversation, previous_agent))
            .await;
    }

    /// Publishes the current queue in routing order, offline messages
    /// last (agents list it; visitors derive their position from its live
    /// part).
    pub async fn queue(&self) -> StoreResult<()> {
        let waiting = queue_order(self.store.waiting().await?, |c| &c.route);
        let live = waiting.iter().filter(|c| !c.route.offline).count();
        self.metrics
            .queue_length
            .set(i64::try_from(live).unwrap_or(i64::MAX));
        self.publish(Event::QueueChanged {
            waiting: waiting.iter().map(Conversation::summary).collect(),
        })
        .await;
        Ok(())
    }
}
