//! Processes under measurement. The relay runs as its real release binary
//! in a child process, so the RSS and CPU time read from `/proc/<pid>` are
//! the relay's alone, not the generator's. Children are killed when their
//! guard drops (a panic included), so no run leaves a relay behind.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{bail, Context};

/// How long a child may take to print the address it listens on.
const START_WAIT: Duration = Duration::from_secs(60);

/// A child process that is killed and reaped on drop.
#[derive(Debug)]
pub struct ChildGuard {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl ChildGuard {
    /// Starts `command` (stdout piped) and waits for a stdout line holding
    /// `marker` followed by `http://ADDR` or `ADDR`.
    pub fn start(mut command: Command, marker: &str) -> anyhow::Result<Self> {
        command.stdout(Stdio::piped()).stdin(Stdio::null());
        let mut child = command.spawn().context("spawning child process")?;
        super::quiet::pin_target(child.id());
        let stdout = child.stdout.take().context("child stdout")?;
        let (tx, rx) = mpsc::channel();
        let wanted = marker.to_owned();
        // Reads every line for the child's whole life, so its stdout pipe
        // never fills up and blocks it.
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(addr) = addr_after(&line, &wanted) {
                        let _ = tx.send(addr);
                        sent = true;
                    }
                }
            }
        });
        let mut guard = Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        match rx.recv_timeout(START_WAIT) {
            Ok(addr) => guard.addr = addr,
            Err(_) => bail!("child did not print {marker:?} with its address in {START_WAIT:?}"),
        }
        Ok(guard)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// RSS and CPU time of the child now.
    pub fn sample(&self) -> anyhow::Result<ProcSample> {
        ProcSample::of(self.pid())
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn addr_after(line: &str, marker: &str) -> Option<SocketAddr> {
    let rest = &line[line.find(marker)? + marker.len()..];
    let rest = rest.trim_start().trim_start_matches("http://");
    rest.split_whitespace().next()?.parse().ok()
}

/// The relay binary `cargo build --release -p relay` makes.
pub fn default_relay_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/switchboard")
}

/// How to start one relay.
#[derive(Debug, Clone)]
pub struct RelaySpec {
    pub bin: PathBuf,
    /// Embedded store directory (ignored with `redis_url`).
    pub data: PathBuf,
    pub redis_url: Option<String>,
    pub redis_prefix: String,
    pub admin_email: String,
    pub admin_password: String,
}

impl RelaySpec {
    /// Starts the relay on a free port, with the per-connection rate limits
    /// raised so the generator's schedule, not the limiter, sets the rate.
    pub fn start(&self) -> anyhow::Result<ChildGuard> {
        if !self.bin.exists() {
            bail!(
                "{} is missing: run `cargo build --release -p relay` first",
                self.bin.display()
            );
        }
        let mut command = Command::new(&self.bin);
        command
            .arg("serve")
            .env("SWITCHBOARD_ADDR", "127.0.0.1:0")
            .env("SWITCHBOARD_DATA", &self.data)
            .env("SWITCHBOARD_REDIS_PREFIX", &self.redis_prefix)
            .env("SWITCHBOARD_ADMIN_EMAIL", &self.admin_email)
            .env("SWITCHBOARD_ADMIN_PASSWORD", &self.admin_password)
            .env("SWITCHBOARD_VISITOR_MSG_BURST", "1000")
            .env("SWITCHBOARD_VISITOR_MSG_RATE", "1000")
            .env("SWITCHBOARD_FRAME_BURST", "100000")
            .env("SWITCHBOARD_FRAME_RATE", "100000")
            // Every test client comes from one loopback address: lift the
            // per-address flood limits that protect a real deployment.
            .env("SWITCHBOARD_NEW_VISITORS_PER_ADDRESS", "1000000")
            .env("SWITCHBOARD_STARTS_PER_ADDRESS", "1000000")
            .env("SWITCHBOARD_NEW_VISITORS_PER_SITE", "1000000")
            .env("SWITCHBOARD_STARTS_PER_SITE", "1000000")
            .env("RUST_LOG", "warn")
            .env_remove("REDIS_URL")
            .stderr(Stdio::inherit());
        if let Some(url) = &self.redis_url {
            command.env("REDIS_URL", url);
        }
        ChildGuard::start(command, "is running on")
    }
}

/// Starts this executable's `forwarder` subcommand.
pub fn start_forwarder() -> anyhow::Result<ChildGuard> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("forwarder").stderr(Stdio::inherit());
    ChildGuard::start(command, "forwarder listening on")
}

/// A process's resident memory and CPU time (user + system).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcSample {
    pub rss_bytes: u64,
    pub cpu: Duration,
}

impl ProcSample {
    pub fn of(pid: u32) -> anyhow::Result<Self> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let rss_kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .context("VmRSS in /proc status")?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        // Fields after the parenthesised command name; utime and stime are
        // the 14th and 15th fields of the whole line.
        let after = &stat[stat.rfind(')').context("/proc stat")? + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
        Ok(Self {
            rss_bytes: rss_kb * 1024,
            cpu: Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64),
        })
    }

    /// This process.
    pub fn own() -> anyhow::Result<Self> {
        Self::of(std::process::id())
    }
}

/// `CLK_TCK`: the unit of `/proc/<pid>/stat` times (100 on Linux unless
/// the kernel says otherwise).
fn clock_ticks() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100)
    })
}

/// Raises this process's open-file limit (soft and, as root, hard) to at
/// least `want`; children inherit it. Returns the soft limit now in force.
pub fn raise_nofile(want: u64) -> u64 {
    use rlimit::Resource;
    let (soft, hard) = Resource::NOFILE.get().unwrap_or((1024, 1024));
    if soft >= want {
        return soft;
    }
    if Resource::NOFILE.set(want, want.max(hard)).is_ok() {
        return want;
    }
    rlimit::increase_nofile_limit(want).unwrap_or(soft)
}
