//! One measured run: an open-loop, fixed-rate schedule in both directions.
//! Every message has an intended send time on a fixed grid; a sender that
//! falls behind (a full socket, a busy core) sends late and its lateness
//! counts in the latency, which is measured from the intended time: the
//! coordinated-omission trap of closed-loop load generators, avoided.
//!
//! Half the rate goes visitor → agent (each visitor sends on its own
//! grid, phases spread evenly), half agent → visitor (each agent cycles
//! through its conversations, so each conversation gets the same share).

use std::time::{Duration, Instant};

use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message;

use super::conn::{send_frame, MsgId, Sink};
use super::fleet::{ConvSlot, Fleet, Peer};
use super::procs::ProcSample;
use super::reader::{micros_since, Tally};

/// How long the generator waits for messages still in flight after the
/// last send.
const DRAIN: Duration = Duration::from_secs(10);

/// One run's shape.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec {
    /// Messages per second, both directions together.
    pub rate: f64,
    /// How long senders send (warm-up included).
    pub duration: Duration,
    /// The first part of the run, not in the histograms or the rates.
    pub warmup: Duration,
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub spec: RunSpec,
    pub visitor_to_agent: Tally,
    pub agent_to_visitor: Tally,
    /// Messages sent (both directions) and socket write failures.
    pub sent: u64,
    pub send_failures: u64,
    /// Delivered messages per second after warm-up, both directions.
    pub delivered_per_sec: f64,
    /// Acknowledged (stored) messages per second after warm-up.
    pub acked_per_sec: f64,
    /// CPU cores the target used after warm-up, and its RSS at the end.
    pub target_cpu_cores: f64,
    pub target_rss_bytes: u64,
    /// CPU cores this generator used after warm-up.
    pub generator_cpu_cores: f64,
    /// How long the generator waited after the last send for messages in
    /// flight (at most 10 s; `missing` counts what had not come by then).
    pub drained_in: Duration,
    /// The machine's 1-minute load average at the end (other work on the
    /// machine shows here: its two cores are shared).
    pub load_average: f64,
    /// The p99 (both ways, µs) of every repeat of this rate, lowest first,
    /// when the rate was run several times: this run is their median.
    pub p99_runs_us: Vec<u64>,
}

impl RunResult {
    /// Sent but never received, both directions.
    pub fn missing(&self) -> u64 {
        self.sent
            .saturating_sub(self.visitor_to_agent.received + self.agent_to_visitor.received)
    }

    pub fn errors(&self) -> u64 {
        self.visitor_to_agent.errors + self.agent_to_visitor.errors + self.send_failures
    }
}

/// Runs `spec` on `fleet`; `target_pids` are the processes whose CPU and
/// RSS are reported (summed: two relay nodes count together).
pub async fn run(
    fleet: &mut Fleet,
    spec: RunSpec,
    target_pids: &[u32],
) -> anyhow::Result<RunResult> {
    let epoch = fleet.epoch;
    let start_us = micros_since(epoch) + 200_000; // every sender armed first
    let warm_us = start_us + as_us(spec.warmup);
    let end_us = start_us + as_us(spec.duration);
    let conversations: usize = fleet.visitors.len();
    let per_conv = spec.rate / 2.0 / conversations.max(1) as f64;
    for peer in fleet.visitors.iter().chain(&fleet.agents) {
        peer.reader.take();
        peer.reader
            .record_from_us
            .store(warm_us, std::sync::atomic::Ordering::Relaxed);
    }
    let mut senders = Vec::new();
    let peers = fleet.visitors.len() + fleet.agents.len();
    let sides = [(true, &mut fleet.visitors), (false, &mut fleet.agents)];
    let mut n = 0;
    for (from_visitor, side) in sides {
        for (index, peer) in side.iter_mut().enumerate() {
            n += 1;
            if peer.slots.is_empty() {
                continue;
            }
            let period_us = 1e6 / (per_conv * peer.slots.len() as f64);
            let phase = n as f64 / peers as f64;
            let grid = Grid {
                epoch,
                start_us,
                end_us,
                period_us,
                phase,
            };
            let sink = peer.sink.take().expect("sink is home between runs");
            let slots = std::mem::take(&mut peer.slots);
            let task = tokio::spawn(send_on_grid(sink, slots, from_visitor, grid));
            senders.push((from_visitor, index, task));
        }
    }

    let counts = |fleet: &Fleet| {
        let (mut received, mut acks) = (0, 0);
        for p in fleet.visitors.iter().chain(&fleet.agents) {
            let (r, a) = p.reader.counts();
            received += r;
            acks += a;
        }
        (received, acks)
    };
    tokio::time::sleep_until((epoch + Duration::from_micros(warm_us)).into()).await;
    let (received0, acks0) = counts(fleet);
    let (target0, own0, t0) = (sample_all(target_pids), ProcSample::own()?, Instant::now());
    tokio::time::sleep_until((epoch + Duration::from_micros(end_us)).into()).await;
    let (received1, acks1) = counts(fleet);
    let (target1, own1) = (sample_all(target_pids), ProcSample::own()?);
    let window = t0.elapsed().as_secs_f64();

    let (mut sent, mut send_failures) = (0, 0);
    for (from_visitor, index, task) in senders {
        let done = task.await?;
        sent += done.sent;
        send_failures += done.failures;
        let home: &mut Peer = if from_visitor {
            &mut fleet.visitors[index]
        } else {
            &mut fleet.agents[index]
        };
        home.sink = Some(done.sink);
        home.slots = done.slots;
    }
    let drain_until = Instant::now() + DRAIN;
    let drain_started = Instant::now();
    while counts(fleet).0 < sent && Instant::now() < drain_until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut result = RunResult {
        spec,
        visitor_to_agent: Tally::default(),
        agent_to_visitor: Tally::default(),
        sent,
        send_failures,
        delivered_per_sec: (received1 - received0) as f64 / window,
        acked_per_sec: (acks1 - acks0) as f64 / window,
        target_cpu_cores: (target1.cpu.saturating_sub(target0.cpu)).as_secs_f64() / window,
        target_rss_bytes: target1.rss_bytes,
        generator_cpu_cores: (own1.cpu.saturating_sub(own0.cpu)).as_secs_f64() / window,
        load_average: load_average(),
        p99_runs_us: Vec::new(),
        drained_in: drain_started.elapsed(),
    };
    for p in &fleet.agents {
        result.visitor_to_agent.merge(&p.reader.take());
    }
    for p in &fleet.visitors {
        result.agent_to_visitor.merge(&p.reader.take());
    }
    Ok(result)
}

fn sample_all(pids: &[u32]) -> ProcSample {
    let mut total = ProcSample::default();
    for pid in pids {
        if let Ok(s) = ProcSample::of(*pid) {
            total.cpu += s.cpu;
            total.rss_bytes += s.rss_bytes;
        }
    }
    total
}

/// The 1-minute load average from `/proc/loadavg` (0 if unreadable).
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

fn as_us(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// A sender's fixed schedule: the n-th send is due at
/// `start + (phase + n) * period`, until `end`.
#[derive(Debug, Clone, Copy)]
struct Grid {
    epoch: Instant,
    start_us: u64,
    end_us: u64,
    period_us: f64,
    phase: f64,
}

struct Sent {
    sink: Sink,
    slots: Vec<ConvSlot>,
    sent: u64,
    failures: u64,
}

async fn send_on_grid(
    mut sink: Sink,
    mut slots: Vec<ConvSlot>,
    from_visitor: bool,
    grid: Grid,
) -> Sent {
    let (mut sent, mut failures) = (0u64, 0u64);
    for n in 0u64.. {
        // f64 has ample precision for µs offsets of runs shorter than years.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let due_us = grid.start_us + ((grid.phase + n as f64) * grid.period_us) as u64;
        if due_us >= grid.end_us {
            break;
        }
        tokio::time::sleep_until((grid.epoch + Duration::from_micros(due_us)).into()).await;
        let len = slots.len();
        let slot = &mut slots[usize::try_from(n).unwrap_or(0) % len];
        let id = MsgId {
            from_visitor,
            conv: slot.index,
            k: slot.next_k,
            intended_us: due_us,
        };
        slot.next_k += 1;
        let frame = send_frame(&slot.id, &id);
        if sink.send(Message::Text(frame.into())).await.is_err() {
            failures += 1;
            break;
        }
        sent += 1;
    }
    Sent {
        sink,
        slots,
        sent,
        failures,
    }
}
