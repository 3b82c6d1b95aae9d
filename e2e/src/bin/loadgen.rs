//! `loadgen`: the benchmark driver of BENCHMARKS.md. A thin command line
//! over `e2e::load`; every scenario prints markdown tables to stdout,
//! headed by the load average before the run and what was pinned where
//! (`e2e::load::quiet`: a busy machine is refused unless `--busy-ok`).
//! Build the relay first: `cargo build --release -p relay`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use e2e::load::procs::{default_relay_bin, raise_nofile};
use e2e::load::quiet;
use e2e::load::scenarios::{self, idle, storm, Launch, Shape};
use e2e::relay_harness::Backend;

#[derive(Debug, Parser)]
#[command(about = "Switchboard load generator (loopback only)")]
struct Cli {
    /// The relay binary to start (as a child process, one per node).
    #[arg(long, global = true, default_value_os_t = default_relay_bin())]
    relay_bin: PathBuf,
    /// Parent directory of the embedded store's data (default: the temp
    /// dir); `/dev/shm` takes the disk's fsync latency out of the figures.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Seconds to wait for the 1-minute load average to fall to 0.5
    /// before measuring.
    #[arg(long, global = true, default_value_t = 180)]
    wait_quiet: u64,
    /// Measure even on a busy machine (the tables say so); without it a
    /// busy machine is refused.
    #[arg(long, global = true)]
    busy_ok: bool,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// A small version of everything, well under two minutes.
    Quick,
    /// (a) + (e): latency at fixed rates and saturation, relay vs forwarder.
    Throughput {
        #[command(flatten)]
        shape: ShapeArgs,
        /// embedded, redis or both.
        #[arg(long, default_value = "both")]
        backend: String,
    },
    /// (b) idle visitors: RSS per connection, CPU at rest.
    Idle {
        #[arg(long, default_value_t = 20_000)]
        visitors: usize,
        /// Seconds of rest measured (a ping goes out every 25 s).
        #[arg(long, default_value_t = 30)]
        rest: u64,
    },
    /// (c) two relays on one Redis, visitors on one and agents on the other.
    CrossNode {
        #[command(flatten)]
        shape: ShapeArgs,
    },
    /// (d) reconnect storm.
    Storm {
        #[arg(long, default_value_t = 5_000)]
        visitors: usize,
        #[arg(long, default_value_t = 50)]
        agents: usize,
        /// embedded or redis.
        #[arg(long, default_value = "embedded")]
        backend: String,
    },
    /// Start-up time and RSS of the embedded store with a long history,
    /// the journal store (before) beside SQLite (after).
    Startup {
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
    },
    /// The knowledge base's search index: indexing time, RSS, query
    /// latency over synthetic articles (in process).
    KbSearch {
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
    },
    /// The routing planner over a synthetic queue and agent roster (in
    /// process): time per plan, and the full-house and one-freed cases.
    Routing {
        #[arg(long, default_value_t = 10_000)]
        waiting: usize,
        #[arg(long, default_value_t = 1_000)]
        agents: usize,
        /// Plans timed per case.
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// A report over a big synthetic history, on both stores (in
    /// process): time to read both periods' roll-ups and build the report.
    Reports {
        /// Conversations in the reported period (as many in the one before).
        #[arg(long, default_value_t = 1_000_000)]
        conversations: usize,
        #[arg(long, default_value_t = 30)]
        days: u64,
        #[arg(long, default_value_t = 200)]
        agents: usize,
        /// Reports timed per store.
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
    /// Opens one store and prints how long it took (run by `startup`).
    OpenStore {
        #[arg(long)]
        store: String,
        #[arg(long)]
        dir: PathBuf,
    },
    /// The bare forwarder (started by the scenarios as a child process).
    Forwarder,
}

#[derive(Debug, clap::Args)]
struct ShapeArgs {
    #[arg(long, default_value_t = 2_000)]
    visitors: usize,
    #[arg(long, default_value_t = 50)]
    agents: usize,
    /// Offered rates, messages per second both ways together.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000.0, 5_000.0, 10_000.0])]
    rates: Vec<f64>,
    /// Offered rate of the saturation run (0: none).
    #[arg(long, default_value_t = 0.0)]
    saturation: f64,
    #[arg(long, default_value_t = 10)]
    duration: u64,
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Runs per rate: the tables show the median by p99 and its spread.
    #[arg(long, default_value_t = 3)]
    repeats: usize,
}

impl From<ShapeArgs> for Shape {
    fn from(a: ShapeArgs) -> Self {
        Self {
            visitors: a.visitors,
            agents: a.agents,
            rates: a.rates,
            saturation: a.saturation,
            duration: Duration::from_secs(a.duration),
            warmup: Duration::from_secs(a.warmup),
            repeats: a.repeats,
        }
    }
}

fn backends(name: &str) -> anyhow::Result<Vec<Backend>> {
    Ok(match name {
        "embedded" => vec![Backend::Embedded],
        "redis" => vec![Backend::Redis],
        "both" => vec![Backend::Embedded, Backend::Redis],
        other => anyhow::bail!("unknown backend {other:?} (embedded, redis, both)"),
    })
}

/// Waits for a quiet machine before a measuring command; refuses a busy
/// one unless `busy_ok` (or for the quick smoke run, which marks it).
/// Returns the lines a report starts with.
fn quiet_machine(cli: &Cli) -> anyhow::Result<String> {
    let load = quiet::settle(Duration::from_secs(cli.wait_quiet));
    let smoke = matches!(cli.command, Cmd::Quick);
    if load > quiet::QUIET_LOAD && !cli.busy_ok && !smoke {
        anyhow::bail!(
            "the machine is busy (1-minute load average {load:.2}, over {}): figures would be noise. \
             Let it settle, or pass --busy-ok to measure anyway (the tables will say so).",
            quiet::QUIET_LOAD
        );
    }
    let pinned = quiet::pin_generator();
    Ok(format!("{}\n{pinned}\n", quiet::load_line(load)))
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let measuring = !matches!(cli.command, Cmd::Forwarder | Cmd::OpenStore { .. });
    let header = if measuring {
        quiet_machine(&cli)?
    } else {
        String::new()
    };
    let limit = raise_nofile(200_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let launch = Launch {
            relay_bin: cli.relay_bin,
            data_parent: cli.data_dir,
        };
        let report = match cli.command {
            Cmd::Forwarder => {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                println!("forwarder listening on {}", listener.local_addr()?);
                return e2e::load::forwarder::serve(listener).await;
            }
            Cmd::OpenStore { store, dir } => {
                return scenarios::startup::open_and_report(&store, &dir).await;
            }
            Cmd::Startup { messages } => scenarios::startup::startup(&launch, messages).await?,
            Cmd::KbSearch { articles, queries } => {
                tokio::task::spawn_blocking(move || {
                    scenarios::kb_search::kb_search(articles, queries)
                })
                .await??
            }
            Cmd::Routing {
                waiting,
                agents,
                runs,
            } => {
                tokio::task::spawn_blocking(move || {
                    scenarios::routing::routing(waiting, agents, runs)
                })
                .await??
            }
            Cmd::Reports {
                conversations,
                days,
                agents,
                runs,
            } => {
                scenarios::reports::reports(scenarios::reports::Shape {
                    conversations,
                    days,
                    agents,
                    runs,
                })
                .await?
            }
            Cmd::Quick => scenarios::quick(&launch).await?,
            Cmd::Throughput { shape, backend } => {
                scenarios::throughput(&launch, &backends(&backend)?, &shape.into()).await?
            }
            Cmd::Idle { visitors, rest } => {
                idle::idle(&launch, visitors, Duration::from_secs(rest)).await?
            }
            Cmd::CrossNode { shape } => scenarios::cross_node(&launch, &shape.into()).await?,
            Cmd::Storm {
                visitors,
                agents,
                backend,
            } => {
                let backend = backends(&backend)?[0];
                storm::storm(&launch, backend, visitors, agents).await?
            }
        };
        println!("{header}\n{report}");
        eprintln!("(open-file limit {limit})");
        Ok(())
    })
}
