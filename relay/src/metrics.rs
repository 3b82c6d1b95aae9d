//! Prometheus metrics for `/metrics`. One registry per relay instance (not a
//! process-global recorder), so several relays in one test process keep
//! separate counts.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, &'static str)>;

/// The relay's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Open sockets by role.
    pub connections: Family<Labels, Gauge>,
    /// Messages stored, by author role.
    pub messages: Family<Labels, Counter>,
    /// Frames refused with an error, by error code.
    pub rejected_frames: Family<Labels, Counter>,
    /// Conversations waiting for an agent.
    pub queue_length: Gauge,
    /// Store operations that failed in the backend.
    pub store_errors: Counter,
    /// Seconds from a message being stored to it being written to a socket.
    pub delivery_latency: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("switchboard");
        let connections = Family::<Labels, Gauge>::default();
        let messages = Family::<Labels, Counter>::default();
        let rejected_frames = Family::<Labels, Counter>::default();
        let queue_length = Gauge::default();
        let store_errors = Counter::default();
        // 0.5 ms .. ~4 s
        let delivery_latency = Histogram::new(exponential_buckets(0.0005, 2.0, 14));
        registry.register(
            "connections",
            "Open WebSocket connections",
            connections.clone(),
        );
        registry.register("messages", "Chat messages stored", messages.clone());
        registry.register(
            "rejected_frames",
            "Client frames refused with a typed error",
            rejected_frames.clone(),
        );
        registry.register(
            "queue_length",
            "Conversations waiting for an agent",
            queue_length.clone(),
        );
        registry.register(
            "store_errors",
            "Store operations that failed in the backend",
            store_errors.clone(),
        );
        registry.register(
            "delivery_latency_seconds",
            "Time from a message being stored to being sent on a socket",
            delivery_latency.clone(),
        );
        Self {
            registry,
            connections,
            messages,
            rejected_frames,
            queue_length,
            store_errors,
            delivery_latency,
        }
    }
}

impl Metrics {
    pub fn role(role: &'static str) -> Labels {
        vec![("role", role)]
    }

    pub fn code(code: shared::ErrorCode) -> Labels {
        vec![("code", code.as_str())]
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            tracing::error!("metrics encoding failed");
        }
        out
    }
}
