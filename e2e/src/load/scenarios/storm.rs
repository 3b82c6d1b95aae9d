//! (d) Reconnect storm: N visitors with conversations and messages drop
//! their sockets at once (no close handshake, as when a proxy or a
//! network goes) and reconnect at once with their token and their last
//! seq minus one. A visitor has resumed when it holds its `welcome` and the
//! one replayed message. Reports the time until all have resumed, the
//! spread of single resumes, and every failure.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use shared::{ResumePoint, ServerFrame};

use super::{Launch, Relays};
use crate::load::conn;
use crate::load::drive::{run, RunSpec};
use crate::load::fleet::{bounded, visitor_hello, Fleet, Target};
use crate::load::reader::new_histogram;
use crate::load::report::percentiles;
use crate::relay_harness::Backend;

pub async fn storm(
    launch: &Launch,
    backend: Backend,
    visitors: usize,
    agents: usize,
) -> anyhow::Result<String> {
    let relays = Relays::start(launch, backend, 1)?;
    let target = relays.target();
    let Target::Relay { visitors: addr, .. } = target else {
        unreachable!("relays are relays")
    };
    let capacity = super::capacity(visitors, agents);
    let mut fleet = Fleet::open(&target, visitors, agents, capacity).await?;
    // Give every conversation messages in both directions.
    let per_conv_rate = 1.0;
    let spec = RunSpec {
        rate: per_conv_rate * 2.0 * visitors as f64,
        duration: Duration::from_secs(3),
        warmup: Duration::ZERO,
    };
    run(&mut fleet, spec, &relays.pids()).await?;
    let resume: Vec<(String, String, u64)> = fleet
        .visitors
        .iter()
        .map(|p| {
            (
                p.token.clone(),
                p.slots[0].id.clone(),
                p.reader.last_seq.load(Ordering::Relaxed),
            )
        })
        .collect();
    // Drop every visitor socket without a close handshake.
    fleet.visitors.clear();
    let overflows_before = listen_overflows();
    let started = Instant::now();
    let outcomes = bounded(visitors, visitors, |i| {
        let (token, conversation, last_seq) = resume[i].clone();
        async move { Ok(reconnect(addr, i, token, conversation, last_seq).await) }
    })
    .await?;
    let total = started.elapsed();
    let overflows = listen_overflows().saturating_sub(overflows_before);
    let mut times: Histogram<u64> = new_histogram();
    let mut failures = 0;
    let mut first_failure = None;
    for outcome in outcomes {
        match outcome {
            Ok(took) => {
                times.saturating_record(u64::try_from(took.as_micros()).unwrap_or(u64::MAX).max(1))
            }
            Err(e) => {
                failures += 1;
                first_failure.get_or_insert_with(|| format!("{e:#}"));
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Reconnect storm: {visitors} visitors drop and reconnect at once ({} store)\n",
        super::backend_name(backend)
    );
    let _ = writeln!(out, "| visitors | all resumed in s | one resume ms p50 / p99 / p99.9 / max | resumed | failed | listen-queue overflows (machine-wide) |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    let _ = writeln!(
        out,
        "| {visitors} | {:.2} | {} | {} | {failures} | {overflows} |",
        total.as_secs_f64(),
        percentiles(&times),
        times.len()
    );
    if let Some(e) = first_failure {
        let _ = writeln!(out, "\nfirst failure: `{e}`");
    }
    Ok(out)
}

/// One visitor coming back: hello with its token and resume point, then
/// the replay of its last message. Returns how long that took.
async fn reconnect(
    addr: std::net::SocketAddr,
    i: usize,
    token: String,
    conversation: String,
    last_seq: u64,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let resume = vec![ResumePoint {
        conversation: conversation.as_str().into(),
        after_seq: last_seq.saturating_sub(1),
    }];
    let (mut ws, _) = visitor_hello(addr, i, Some(token), resume).await?;
    if last_seq > 0 {
        conn::recv_until(&mut ws, |f| match f {
            ServerFrame::Message(m) if m.seq == last_seq => Some(()),
            _ => None,
        })
        .await?;
    }
    Ok(started.elapsed())
}

/// The kernel's count of connections dropped because a listen queue was
/// full (`TcpExt: ListenOverflows` in `/proc/net/netstat`): a dropped
/// handshake is retried by the client's kernel after 1 s, 3 s, 7 s...
fn listen_overflows() -> u64 {
    let text = std::fs::read_to_string("/proc/net/netstat").unwrap_or_default();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("TcpExt:"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    let [names, values] = rows.as_slice() else {
        return 0;
    };
    names
        .iter()
        .position(|n| *n == "ListenOverflows")
        .and_then(|i| values.get(i)?.parse().ok())
        .unwrap_or(0)
}
