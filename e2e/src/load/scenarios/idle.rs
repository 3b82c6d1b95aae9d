//! (b) Idle connections: N visitors connected and greeted (each has a
//! visitor record, as a real widget would), doing nothing while the relay
//! pings them every 25 s. Reports the relay's RSS per connection (growth
//! over the freshly started relay, divided by N) and its CPU at rest.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::{Launch, Relays};
use crate::load::fleet::{bounded, peer, visitor_hello, Target};
use crate::load::procs::ProcSample;
use crate::load::report::mib;
use crate::relay_harness::Backend;

/// Sockets opened at once.
const CONCURRENCY: usize = 512;

pub async fn idle(launch: &Launch, visitors: usize, rest: Duration) -> anyhow::Result<String> {
    let relays = Relays::start(launch, Backend::Embedded, 1)?;
    let Target::Relay { visitors: addr, .. } = relays.target() else {
        unreachable!("relays are relays")
    };
    let pid = relays.pids()[0];
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = ProcSample::of(pid)?;
    let epoch = Instant::now();
    let opened = Instant::now();
    let peers = bounded(visitors, CONCURRENCY, |i| async move {
        let (ws, _) = visitor_hello(addr, i, None, vec![]).await?;
        Ok(peer(ws, epoch, false, None, Vec::new(), String::new()))
    })
    .await?;
    let open_secs = opened.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let connected = ProcSample::of(pid)?;
    let own = ProcSample::own()?;
    tokio::time::sleep(rest).await;
    let rested = ProcSample::of(pid)?;
    let closed: u64 = peers.iter().map(|p| p.reader.take().closed).sum();
    let cpu = rested.cpu.saturating_sub(connected.cpu).as_secs_f64() / rest.as_secs_f64();
    let per_conn = connected.rss_bytes.saturating_sub(before.rss_bytes) as f64 / visitors as f64;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Idle connections: {visitors} visitors (hello, then nothing), embedded store\n"
    );
    let _ = writeln!(out, "| visitors | opened in s | relay RSS before MiB | relay RSS connected MiB | RSS per connection KiB | relay CPU at rest over {} s (cores) | RSS after rest MiB | sockets closed by the relay | generator RSS MiB |", rest.as_secs());
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    let _ = writeln!(
        out,
        "| {visitors} | {open_secs:.1} | {} | {} | {:.1} | {cpu:.4} | {} | {closed} | {} |",
        mib(before.rss_bytes),
        mib(connected.rss_bytes),
        per_conn / 1024.0,
        mib(rested.rss_bytes),
        mib(own.rss_bytes),
    );
    drop(peers);
    Ok(out)
}
