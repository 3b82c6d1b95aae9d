//! A private redis-server per test: a free port on 127.0.0.1 (never 6379),
//! its own temporary directory, killed when dropped. Tests that need Redis
//! start one; nothing is shared with other tests or with a system Redis.
//!
//! Why a process per test rather than one shared server: tests then need no
//! ordering, can kill and restart "their" Redis for fault tests, and a crash
//! in one cannot leak keys into another. Starting redis-server takes a few
//! milliseconds. Key prefixes from [`unique_prefix`] keep data apart anyway,
//! in case a test points several relays at one server.
//!
//! The port is found by binding port 0 and releasing it, so another process
//! can take it before redis binds it. Two guards close that race: a server
//! that exits at start-up is noticed at once and retried on a new port, and
//! the readiness check asks the server for its `process_id`, so a PONG from
//! somebody else's Redis on the same port is never mistaken for ours.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tempfile::TempDir;

/// How long a server may take to answer PING (AOF replay included).
const READY_TIMEOUT: Duration = Duration::from_secs(10);
/// Fresh ports tried before giving up when redis cannot bind.
const START_ATTEMPTS: usize = 5;

/// A running redis-server owned by a test.
#[derive(Debug)]
pub struct RedisServer {
    port: u16,
    /// Options after the common ones (persistence, replication, cluster).
    options: Vec<String>,
    /// Runs as Sentinel with this configuration (see `redis_ha`).
    sentinel: Option<String>,
    dir: TempDir,
    /// Behind a lock so a test holding an `Arc<RedisServer>` can still
    /// [`stop`](Self::stop) it to simulate an outage.
    child: Mutex<Option<Child>>,
}

impl RedisServer {
    /// No persistence: fastest, for most tests.
    pub fn start() -> anyhow::Result<Self> {
        Self::start_with(&["--appendonly", "no"], None)
    }

    /// AOF with fsync on every write, for durability tests: data written
    /// before a kill is there after [`restart`](Self::restart).
    pub fn start_with_aof() -> anyhow::Result<Self> {
        Self::start_with(&["--appendonly", "yes", "--appendfsync", "always"], None)
    }

    /// A server with extra `options`; with `sentinel`, Redis Sentinel
    /// (`--sentinel`) on that configuration.
    pub(crate) fn start_with(options: &[&str], sentinel: Option<&str>) -> anyhow::Result<Self> {
        let mut last_error = None;
        for _ in 0..START_ATTEMPTS {
            let mut server = Self {
                port: free_port()?,
                options: options.iter().map(|o| o.to_string()).collect(),
                sentinel: sentinel.map(str::to_owned),
                dir: tempfile::tempdir().context("creating redis-server's temp dir")?,
                child: Mutex::new(None),
            };
            match server.spawn() {
                Ok(()) => return Ok(server),
                Err(e) if e.downcast_ref::<NotInstalled>().is_some() => return Err(e),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow::anyhow!("redis-server did not start")))
    }

    fn spawn(&mut self) -> anyhow::Result<()> {
        let log_path = self.dir.path().join("redis.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)?;
        let mut command = Command::new("redis-server");
        if let Some(config) = &self.sentinel {
            // Sentinel insists on a config file of its own to rewrite.
            let path = self.dir.path().join("sentinel.conf");
            if !path.exists() {
                std::fs::write(&path, config)?;
            }
            command.arg(path).arg("--sentinel");
        }
        command
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", ""])
            .arg("--dir")
            .arg(self.dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .args(&self.options);
        let child = command.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => anyhow::Error::new(NotInstalled),
            _ => anyhow::Error::new(e).context("spawning redis-server"),
        })?;
        let pid = child.id();
        *self.lock_child() = Some(child);

        let deadline = Instant::now() + READY_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.exited() {
                self.stop();
                bail!(
                    "redis-server on port {} exited at start ({status}): {}",
                    self.port,
                    log_tail(&log_path)
                );
            }
            if self.answers_as(pid) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stop();
        bail!(
            "redis-server on port {} did not answer PING within {READY_TIMEOUT:?}: {}",
            self.port,
            log_tail(&log_path)
        )
    }

    fn lock_child(&self) -> std::sync::MutexGuard<'_, Option<Child>> {
        self.child.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The exit status if our child has already exited.
    fn exited(&self) -> Option<std::process::ExitStatus> {
        self.lock_child()
            .as_mut()
            .and_then(|child| child.try_wait().ok().flatten())
    }

    /// True when the server on our port answers PING with PONG (so it has
    /// finished loading) and reports `pid` as its process id.
    fn answers_as(&self, pid: u32) -> bool {
        let Ok(stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        let Ok(mut writer) = stream.try_clone() else {
            return false;
        };
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        if writer.write_all(b"PING\r\n").is_err()
            || reader.read_line(&mut line).is_err()
            || line != "+PONG\r\n"
        {
            return false;
        }
        // INFO's reply is one bulk string: `$LEN\r\n` then LEN bytes and CRLF.
        line.clear();
        if writer.write_all(b"INFO server\r\n").is_err() || reader.read_line(&mut line).is_err() {
            return false;
        }
        let Some(len) = line
            .strip_prefix('$')
            .and_then(|n| n.trim_end().parse::<usize>().ok())
        else {
            return false;
        };
        let mut body = vec![0u8; len];
        if reader.read_exact(&mut body).is_err() {
            return false;
        }
        let expected = format!("process_id:{pid}");
        String::from_utf8_lossy(&body)
            .lines()
            .any(|l| l.trim_end() == expected)
    }

    /// The TCP port on 127.0.0.1 (never 6379).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The connection URL, `redis://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The server's working directory (AOF files, `redis.log`).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Kills the server (SIGKILL, as a crash would) and reaps it;
    /// [`restart`](Self::restart) brings it back. Does nothing if stopped.
    pub fn stop(&self) {
        if let Some(mut child) = self.lock_child().take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server and starts it again on the same port and directory.
    /// With [`start_with_aof`](Self::start_with_aof) the data survives;
    /// without persistence the new server starts empty.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.stop();
        self.spawn().context("restarting redis-server")
    }

    /// Runs `redis-cli -p PORT ARGS...` and returns its standard output
    /// (for `GET k` that is `v\n`; redis-cli prints raw replies when its
    /// output is not a terminal).
    pub fn cli(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = Command::new("redis-cli")
            .arg("-p")
            .arg(self.port.to_string())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => anyhow::anyhow!(
                    "redis-cli not found: run `cargo xtask test`, which installs redis-server (and redis-tools)"
                ),
                _ => anyhow::Error::new(e).context("running redis-cli"),
            })?;
        if !out.status.success() {
            bail!(
                "redis-cli {args:?} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The error for a missing `redis-server`; its message says how to fix it.
#[derive(Debug)]
struct NotInstalled;

impl std::fmt::Display for NotInstalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("redis-server not found: run `cargo xtask test`, which installs it")
    }
}

impl std::error::Error for NotInstalled {}

/// A port that was free a moment ago (never 6379, the system Redis's).
fn free_port() -> anyhow::Result<u16> {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .context("finding a free port")?
            .port();
        if port != 6379 {
            return Ok(port);
        }
    }
}

/// The last lines of redis's log, for error messages.
fn log_tail(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(5)..].join(" | ");
    if tail.is_empty() {
        format!("(empty log {})", path.display())
    } else {
        tail
    }
}

/// A key prefix no other test, process or run uses:
/// `t:NAME:PID-NANOS-N:` with the numbers in hex (process id, wall-clock
/// nanoseconds, and a per-process counter).
pub fn unique_prefix(test_name: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("t:{test_name}:{:x}-{nanos:x}-{n:x}:", std::process::id())
}
