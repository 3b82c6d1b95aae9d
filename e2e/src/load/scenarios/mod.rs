//! The scenarios of issue 6 / BENCHMARKS.md. Each starts what it measures
//! (relay binaries, a private redis-server, the forwarder) as child
//! processes killed on drop, runs, and returns markdown: a table per
//! scenario, every figure in it from that one run.
//!
//! - here: the relay set-up shared by all, throughput (a) with saturation
//!   (e), cross-node (c), and the quick run.
//! - [`idle`]: (b) idle connections: RSS per connection, CPU at rest.
//! - [`storm`]: (d) a reconnect storm.
//! - [`startup`]: start-up time and memory with a long stored history.
//! - [`kb_search`]: the knowledge base's search index: indexing time,
//!   memory, query latency (in process, no relay).
//! - [`routing`]: the routing planner over a big synthetic queue (in
//!   process, no relay).
//! - [`reports`]: a 30-day report over a big history, on both stores (in
//!   process, no relay).

pub mod idle;
pub mod kb_search;
pub mod reports;
pub mod routing;
pub mod startup;
pub mod storm;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use tempfile::TempDir;

use super::drive::{run, RunResult, RunSpec};
use super::fleet::{Fleet, Target};
use super::memory::{self, Memory};
use super::procs::{start_forwarder, ChildGuard, RelaySpec};
use super::report::{self, RATIO_HEADER, RUN_HEADER};
use crate::redis_server::{unique_prefix, RedisServer};
use crate::relay_harness::Backend;

const ADMIN_EMAIL: &str = "admin@load.test";
const ADMIN_PASSWORD: &str = "load-admin-password";

/// How relays are launched: which binary, and where the embedded store's
/// data directories go (default: the system temp dir; e.g. `/dev/shm` to
/// take the disk's fsync latency out and see the relay's own cost).
#[derive(Debug, Clone)]
pub struct Launch {
    pub relay_bin: PathBuf,
    pub data_parent: Option<PathBuf>,
}

/// Relay nodes (one, or several on one Redis) and what they run on.
#[derive(Debug)]
pub struct Relays {
    pub nodes: Vec<ChildGuard>,
    pub redis: Option<RedisServer>,
    _data: TempDir,
}

impl Relays {
    /// Starts `nodes` relays on `backend` (several only on Redis).
    pub fn start(launch: &Launch, backend: Backend, nodes: usize) -> anyhow::Result<Self> {
        let data = match &launch.data_parent {
            Some(parent) => tempfile::tempdir_in(parent)?,
            None => tempfile::tempdir()?,
        };
        let redis = match backend {
            Backend::Embedded => None,
            Backend::Redis => Some(RedisServer::start()?),
        };
        let spec = RelaySpec {
            bin: launch.relay_bin.clone(),
            data: data.path().join("data"),
            redis_url: redis.as_ref().map(RedisServer::url),
            redis_prefix: unique_prefix("load"),
            admin_email: ADMIN_EMAIL.into(),
            admin_password: ADMIN_PASSWORD.into(),
        };
        // One after another: the first creates the admin, the rest find it.
        let nodes = (0..nodes.max(1))
            .map(|_| spec.start())
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self {
            nodes,
            redis,
            _data: data,
        })
    }

    /// Visitors on the first node, agents on the last.
    pub fn target(&self) -> Target {
        Target::Relay {
            visitors: self.nodes[0].addr,
            agents: self.nodes[self.nodes.len() - 1].addr,
            admin_email: ADMIN_EMAIL.into(),
            admin_password: ADMIN_PASSWORD.into(),
        }
    }

    pub fn pids(&self) -> Vec<u32> {
        self.nodes.iter().map(ChildGuard::pid).collect()
    }

    /// Round trips to Redis the relays counted so far
    /// (`switchboard_redis_round_trips_total`, every node together).
    pub async fn round_trips(&self) -> anyhow::Result<f64> {
        let mut total = 0.0;
        for node in &self.nodes {
            let (status, text) = crate::http_get::get(node.addr, "/metrics").await?;
            anyhow::ensure!(status == 200, "/metrics answered {status}");
            total += crate::metrics_text::Exposition::parse(&text)
                .value("switchboard_redis_round_trips_total")
                .unwrap_or(0.0);
        }
        Ok(total)
    }

    /// Redis commands executed so far (from `INFO commandstats`), not
    /// counting the INFO calls themselves.
    /// Commands Redis ran (`INFO commandstats`, `INFO` itself left out)
    /// and the CPU seconds it used (`INFO cpu`, user + system).
    pub fn redis_work(&self) -> anyhow::Result<(u64, f64)> {
        let Some(redis) = &self.redis else {
            return Ok((0, 0.0));
        };
        let info = redis.cli(&["INFO", "commandstats"])?;
        let calls = info
            .lines()
            .filter(|l| l.starts_with("cmdstat_") && !l.starts_with("cmdstat_info:"))
            .filter_map(|l| {
                l.split("calls=")
                    .nth(1)?
                    .split(',')
                    .next()?
                    .parse::<u64>()
                    .ok()
            })
            .sum();
        let cpu = redis.cli(&["INFO", "cpu"])?;
        let seconds = cpu
            .lines()
            .filter_map(|l| {
                let value = l
                    .strip_prefix("used_cpu_user:")
                    .or_else(|| l.strip_prefix("used_cpu_sys:"))?;
                value.trim().parse::<f64>().ok()
            })
            .sum();
        Ok((calls, seconds))
    }
}

/// Conversations per agent: enough for every visitor, with headroom, within
/// the relay's limit of 100 per agent.
fn capacity(visitors: usize, agents: usize) -> u32 {
    let per_agent = visitors.div_ceil(agents.max(1));
    u32::try_from((per_agent * 2).clamp(1, 100))
        .unwrap_or(100)
        .max(u32::try_from(per_agent).unwrap_or(100))
}

/// The shape of a throughput scenario.
#[derive(Debug, Clone)]
pub struct Shape {
    pub visitors: usize,
    pub agents: usize,
    pub rates: Vec<f64>,
    /// Offered rate for the saturation run; 0 skips it.
    pub saturation: f64,
    pub duration: Duration,
    pub warmup: Duration,
    /// Runs per rate; the table shows the median by p99 and the spread.
    pub repeats: usize,
}

impl Shape {
    fn capacity(&self) -> u32 {
        capacity(self.visitors, self.agents)
    }

    fn spec(&self, rate: f64) -> RunSpec {
        RunSpec {
            rate,
            duration: self.duration,
            warmup: self.warmup,
        }
    }
}

/// Runs `spec` `repeats` times on `fleet`; the run with the median p99,
/// carrying every run's p99.
async fn repeated(
    fleet: &mut Fleet,
    spec: RunSpec,
    pids: &[u32],
    repeats: usize,
) -> anyhow::Result<RunResult> {
    let mut all = Vec::new();
    for _ in 0..repeats.max(1) {
        all.push(run(fleet, spec, pids).await?);
    }
    all.sort_by_key(report::p99_us);
    let p99s: Vec<u64> = all.iter().map(report::p99_us).collect();
    let mut median = all.swap_remove(all.len() / 2);
    median.p99_runs_us = p99s;
    Ok(median)
}

/// Runs every rate of `shape` (and the saturation rate) on one fleet.
/// Returns the runs and, on Redis, commands and round trips per stored
/// message at saturation.
/// What Redis did per stored message in a saturation run.
struct PerMessage {
    commands: f64,
    round_trips: f64,
    redis_cpu_us: f64,
}

/// What one sweep over a fleet measured.
struct Sweep {
    runs: Vec<RunResult>,
    /// Redis's work per stored message, from the saturation run on Redis.
    per_message: Option<PerMessage>,
    memory: Memory,
}

async fn sweep(
    target: &Target,
    pids: &[u32],
    shape: &Shape,
    relays: Option<&Relays>,
) -> anyhow::Result<Sweep> {
    let fresh = memory::rss(pids);
    let mut fleet = Fleet::open(target, shape.visitors, shape.agents, shape.capacity()).await?;
    let connected = memory::rss(pids);
    let mut runs = Vec::new();
    for rate in &shape.rates {
        runs.push(repeated(&mut fleet, shape.spec(*rate), pids, shape.repeats).await?);
    }
    let mut per_message = None;
    if shape.saturation > 0.0 {
        let redis = relays.filter(|r| r.redis.is_some());
        let before = match redis {
            Some(relays) => Some((relays.redis_work()?, relays.round_trips().await?)),
            None => None,
        };
        let r = run(&mut fleet, shape.spec(shape.saturation), pids).await?;
        if let (Some(((commands0, cpu0), trips0)), Some(relays)) = (before, redis) {
            let stored = r.visitor_to_agent.acks + r.agent_to_visitor.acks;
            let stored = stored.max(1) as f64;
            let (commands, cpu) = relays.redis_work()?;
            let trips = relays.round_trips().await? - trips0;
            per_message = Some(PerMessage {
                commands: commands.saturating_sub(commands0) as f64 / stored,
                round_trips: trips / stored,
                redis_cpu_us: (cpu - cpu0) * 1e6 / stored,
            });
        }
        runs.push(r);
    }
    tokio::time::sleep(memory::REST).await;
    let memory = Memory {
        fresh,
        connected,
        under_load: runs.iter().map(|r| r.target_rss_bytes).max().unwrap_or(0),
        at_rest: memory::rss(pids),
        sockets: shape.visitors + shape.agents,
    };
    Ok(Sweep {
        runs,
        per_message,
        memory,
    })
}

/// (a) + (e): the relay on each backend and the bare forwarder, same
/// fleet shape and rates; then the ratios.
pub async fn throughput(
    launch: &Launch,
    backends: &[Backend],
    shape: &Shape,
) -> anyhow::Result<String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Throughput and latency: {} visitors + {} agents, {} s per rate ({} s warm-up)\n",
        shape.visitors,
        shape.agents,
        shape.duration.as_secs(),
        shape.warmup.as_secs()
    );
    let bare = {
        let forwarder = start_forwarder()?;
        let target = Target::Forwarder(forwarder.addr);
        sweep(&target, &[forwarder.pid()], shape, None).await?
    };
    let mut memory = format!("{}\n", memory::header());
    let mut table = format!("{RUN_HEADER}\n");
    let mut ratios = format!("{RATIO_HEADER}\n");
    let mut notes = String::new();
    for backend in backends {
        let relays = Relays::start(launch, *backend, 1)?;
        let Sweep {
            runs,
            per_message,
            memory: used,
        } = sweep(&relays.target(), &relays.pids(), shape, Some(&relays)).await?;
        let label = format!("relay, {}", backend_name(*backend));
        memory.push_str(&used.row(&label));
        memory.push('\n');
        for (r, b) in runs.iter().zip(&bare.runs) {
            table.push_str(&report::run_row(&label, r));
            table.push('\n');
            ratios.push_str(&report::ratio_row(&label, r, b));
            ratios.push('\n');
            if r.missing() > 0 && r.errors() == 0 {
                let _ = writeln!(
                    notes,
                    "- {label} at {:.0}/s: {} messages not delivered {:.1} s after the last send",
                    r.spec.rate,
                    r.missing(),
                    r.drained_in.as_secs_f64()
                );
            }
            if let Some(e) = report::first_error(r) {
                let _ = writeln!(
                    notes,
                    "- {label} at {:.0}/s, first error: `{e}`",
                    r.spec.rate
                );
            }
        }
        notes.push_str(&super::stages::table(&label, relays.nodes[0].addr).await?);
        if let Some(PerMessage {
            commands,
            round_trips,
            redis_cpu_us,
        }) = per_message
        {
            let _ = writeln!(
                notes,
                "- {label}, saturation run: {commands:.2} Redis commands, {round_trips:.2} round trips and {redis_cpu_us:.1} µs of Redis CPU per stored message (INFO commandstats and cpu, and the relay's `switchboard_redis_round_trips_total`: everything the relay sent during the run — routing, presence and reads included — divided by acked messages)"
            );
        }
    }
    for r in &bare.runs {
        table.push_str(&report::run_row("bare forwarder", r));
        table.push('\n');
    }
    memory.push_str(&bare.memory.row("bare forwarder"));
    memory.push('\n');
    let _ = write!(out, "{table}\n{ratios}\n{memory}\n{notes}");
    Ok(out)
}

/// (c): two relays on one Redis; visitors on one, agents on the other.
pub async fn cross_node(launch: &Launch, shape: &Shape) -> anyhow::Result<String> {
    let relays = Relays::start(launch, Backend::Redis, 2)?;
    let runs = sweep(&relays.target(), &relays.pids(), shape, Some(&relays))
        .await?
        .runs;
    let mut out = format!(
        "### Cross-node: two relays on one Redis, {} visitors on node 1, {} agents on node 2\n\n{RUN_HEADER}\n",
        shape.visitors, shape.agents
    );
    for r in &runs {
        out.push_str(&report::run_row("2 nodes, Redis", r));
        out.push('\n');
    }
    out.push_str(
        "\n(target CPU and RSS are both nodes together; Redis's own CPU is not included)\n",
    );
    Ok(out)
}

/// The quick run (under two minutes): a small fleet on the embedded
/// store and the forwarder, then a small idle-connection measurement.
pub async fn quick(launch: &Launch) -> anyhow::Result<String> {
    let shape = Shape {
        visitors: 200,
        agents: 10,
        rates: vec![1_000.0, 2_000.0],
        saturation: 0.0,
        duration: Duration::from_secs(6),
        warmup: Duration::from_secs(1),
        repeats: 1,
    };
    let mut out = throughput(launch, &[Backend::Embedded], &shape).await?;
    out.push('\n');
    out.push_str(&idle::idle(launch, 2_000, Duration::from_secs(5)).await?);
    Ok(out)
}

pub fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Embedded => "embedded",
        Backend::Redis => "Redis",
    }
}
