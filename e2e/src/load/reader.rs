//! One socket's receive loop for its whole life: during setup it reports
//! the conversations routed to its agent; while measuring it records the
//! delivery latency of every message from the other side, counted from the
//! message's *intended* send time (so a late send is charged, not hidden),
//! and checks exactly-once, in-order delivery per conversation.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures_util::StreamExt;
use hdrhistogram::Histogram;
use shared::{ConversationStatus, ServerFrame};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use super::conn::{Incoming, MsgId, Stream};

/// Latencies are recorded in µs, up to a minute, to 3 significant digits.
pub fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds")
}

/// What one or more sockets saw since the last [`ReaderShared::take`].
#[derive(Debug, Clone)]
pub struct Tally {
    /// Latency in µs of measured messages (those intended after warm-up).
    pub latency_us: Histogram<u64>,
    /// Messages from the other side, each counted once.
    pub received: u64,
    /// Messages seen again (a duplicate or out of order).
    pub duplicates: u64,
    /// Messages skipped over (a later one came first).
    pub gaps: u64,
    pub acks: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// Sockets that ended.
    pub closed: u64,
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            latency_us: new_histogram(),
            received: 0,
            duplicates: 0,
            gaps: 0,
            acks: 0,
            errors: 0,
            first_error: None,
            closed: 0,
        }
    }
}

impl Tally {
    pub fn merge(&mut self, other: &Tally) {
        let _ = self.latency_us.add(&other.latency_us);
        self.received += other.received;
        self.duplicates += other.duplicates;
        self.gaps += other.gaps;
        self.acks += other.acks;
        self.errors += other.errors;
        self.closed += other.closed;
        if self.first_error.is_none() {
            self.first_error.clone_from(&other.first_error);
        }
    }
}

/// What a reader task shares with the generator.
#[derive(Debug, Default)]
pub struct ReaderShared {
    tally: Mutex<Tally>,
    /// Highest message seq seen on this socket (for resume).
    pub last_seq: AtomicU64,
    /// Messages intended before this (µs after the epoch) are counted but
    /// not put in the histogram: the warm-up.
    pub record_from_us: AtomicU64,
}

impl ReaderShared {
    /// The tally so far, leaving a fresh one.
    pub fn take(&self) -> Tally {
        std::mem::take(&mut *self.lock())
    }

    /// Received messages and acks so far, without resetting.
    pub fn counts(&self) -> (u64, u64) {
        let t = self.lock();
        (t.received, t.acks)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.tally.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// For agent sockets on the relay: where to report conversations routed
/// to this agent, as (agent index, conversation id).
#[derive(Debug, Clone)]
pub struct Assignments {
    pub agent_index: usize,
    pub agent_id: String,
    pub tx: mpsc::UnboundedSender<(usize, String)>,
}

/// Spawns the receive loop; `is_agent` says which side's messages count.
pub fn spawn(
    mut stream: Stream,
    epoch: Instant,
    is_agent: bool,
    assignments: Option<Assignments>,
) -> (Arc<ReaderShared>, tokio::task::JoinHandle<()>) {
    let shared = Arc::new(ReaderShared::default());
    let mine = Arc::clone(&shared);
    let task = tokio::spawn(async move {
        // The next k expected per conversation index.
        let mut expected: HashMap<u32, u64> = HashMap::new();
        while let Some(Ok(message)) = stream.next().await {
            let Message::Text(text) = message else {
                continue; // pings are answered by tungstenite as we read
            };
            let Ok(frame) = serde_json::from_str::<Incoming>(&text) else {
                continue;
            };
            match frame.kind.as_str() {
                "message" | "send" => {
                    if let Some(seq) = frame.seq {
                        mine.last_seq.fetch_max(seq, Ordering::Relaxed);
                    }
                    let Some(id) = frame.client_msg_id.as_deref().and_then(MsgId::parse) else {
                        continue;
                    };
                    if id.from_visitor == is_agent {
                        let latency = micros_since(epoch).saturating_sub(id.intended_us);
                        let record = id.intended_us >= mine.record_from_us.load(Ordering::Relaxed);
                        let next = expected.entry(id.conv).or_insert(0);
                        let mut t = mine.lock();
                        if id.k < *next {
                            t.duplicates += 1;
                            continue;
                        }
                        t.gaps += id.k - *next;
                        *next = id.k + 1;
                        t.received += 1;
                        if record {
                            t.latency_us.saturating_record(latency.max(1));
                        }
                    }
                }
                "ack" => mine.lock().acks += 1,
                "error" => {
                    let mut t = mine.lock();
                    t.errors += 1;
                    if t.first_error.is_none() {
                        t.first_error = Some(text.chars().take(200).collect());
                    }
                }
                "conversation" => {
                    if let Some(a) = &assignments {
                        report_assignment(a, &text);
                    }
                }
                _ => {}
            }
        }
        mine.lock().closed += 1;
    });
    (shared, task)
}

fn report_assignment(a: &Assignments, text: &str) {
    if let Ok(ServerFrame::Conversation(c)) = serde_json::from_str::<ServerFrame>(text) {
        if c.status == ConversationStatus::Assigned
            && c.agent.as_ref().map(|id| id.as_str()) == Some(a.agent_id.as_str())
        {
            let _ = a.tx.send((a.agent_index, c.id.as_str().to_owned()));
        }
    }
}

/// µs since `epoch`.
pub fn micros_since(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
}
