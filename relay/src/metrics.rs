//! Prometheus metrics for `/metrics`. One registry per relay instance (not a
//! process-global recorder), so several relays in one test process keep
//! separate counts.
//!
//! Besides the end-to-end delivery latency, each stage of a message's path
//! (ARCHITECTURE.md, "The path of a message") has its own histogram, so a
//! slow p99 points at the store, the bus, the hub or a socket. Each stage
//! is timed in the one place it happens, with a pair of `Instant::now()`.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, &'static str)>;

/// Upper bounds, in seconds, of the per-stage histograms: 100 µs (an
/// in-memory step) to 5 s (a store or socket at its deadline), 1-2.5-5
/// per decade so quantiles stay readable across the whole range.
const STAGE_BUCKETS: [f64; 15] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The stages of a new message, each one series of
/// `switchboard_message_stage_seconds{stage}`. Handles into the family,
/// taken once, so observing takes no label lookup.
#[derive(Debug, Clone)]
pub struct MessageStages {
    /// Decoding a client's text frame (`ws::codec`; every frame, a
    /// message's `send` among them).
    pub decode: Histogram,
    /// `Store::append_message` (`conversations::messages::post`).
    pub store: Histogram,
    /// Publishing `Event::Message` on the bus; on the embedded backend
    /// this includes this node's fan-out (the bus hands it over in-process).
    pub publish: Histogram,
    /// From `Hub::fan_out` receiving the event to it queued on every
    /// watching socket of this node (the hub's lock included).
    pub fan_out: Histogram,
    /// Writing one message frame to a socket (`ws::connection`).
    pub socket_write: Histogram,
}

impl MessageStages {
    fn register(registry: &mut Registry) -> Self {
        let family = Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(|| {
            Histogram::new(STAGE_BUCKETS)
        });
        registry.register(
            "message_stage_seconds",
            "Time a new message spends in each stage: decode (every client frame), store, publish, fan_out, socket_write",
            family.clone(),
        );
        // A clone shares the series' state: the handle and the registry's
        // copy are the same histogram.
        let stage = |name: &'static str| family.get_or_create(&vec![("stage", name)]).clone();
        Self {
            decode: stage("decode"),
            store: stage("store"),
            publish: stage("publish"),
            fan_out: stage("fan_out"),
            socket_write: stage("socket_write"),
        }
    }
}

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
    /// Requests to Redis answered in one go (store and bus together).
    pub redis_round_trips: Counter,
    /// Events a connection's full queue could not take (its reader
    /// resyncs from the store instead: `hub::mailbox`).
    pub coalesced_events: Counter,
    /// Seconds from a message being stored to it being written to a socket.
    pub delivery_latency: Histogram,
    /// Seconds a new message spends in each stage of its path.
    pub stages: MessageStages,
    /// What visitors said after reading an article, by `feedback`.
    pub kb_feedback: Family<Labels, Counter>,
    /// Knowledge-base searches, by who searched (`visitor`, `agent`, `api`, `help_center`).
    pub kb_searches: Family<Labels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("switchboard");
        let connections = Family::<Labels, Gauge>::default();
        let messages = Family::<Labels, Counter>::default();
        let rejected_frames = Family::<Labels, Counter>::default();
        let queue_length = Gauge::default();
        let store_errors = Counter::default();
        let redis_round_trips = Counter::default();
        let coalesced_events = Counter::default();
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
            "redis_round_trips",
            "Requests to Redis answered in one go: a command, a pipeline or a script, and the WAIT after a write (store and bus; 0 on the embedded store)",
            redis_round_trips.clone(),
        );
        registry.register(
            "coalesced_events",
            "Events dropped because a connection's queue was full; its session reads the state again from the store once it has caught up",
            coalesced_events.clone(),
        );
        registry.register(
            "delivery_latency_seconds",
            "Time from a message being stored to being sent on a socket",
            delivery_latency.clone(),
        );
        let stages = MessageStages::register(&mut registry);
        let kb_feedback = Family::<Labels, Counter>::default();
        registry.register(
            "kb_feedback",
            "Visitors' answers after reading an article (answered, need_help)",
            kb_feedback.clone(),
        );
        let kb_searches = Family::<Labels, Counter>::default();
        registry.register(
            "kb_searches",
            "Knowledge-base searches, by who searched",
            kb_searches.clone(),
        );
        Self {
            kb_feedback,
            kb_searches,
            registry,
            connections,
            messages,
            rejected_frames,
            queue_length,
            store_errors,
            redis_round_trips,
            coalesced_events,
            delivery_latency,
            stages,
        }
    }
}

impl Metrics {
    /// Counts one visitor's answer after reading an article.
    pub fn record_kb_feedback(&self, feedback: shared::knowledge::Feedback) {
        self.kb_feedback
            .get_or_create(&vec![("feedback", feedback.as_str())])
            .inc();
    }

    /// Counts one knowledge-base search.
    pub fn record_kb_search(&self, by: &'static str) {
        self.kb_searches.get_or_create(&vec![("by", by)]).inc();
    }

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
