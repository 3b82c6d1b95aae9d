//! Several real `switchboard` processes on one private Redis, for fault
//! tests: a node can be killed with SIGKILL (a crash: no goodbye, no
//! cleanup), stopped with SIGTERM (a rolling restart) and started again on
//! the same port. In-process relays cannot crash like that, hence processes.
//!
//! The binary is built (or found fresh) once per test process with
//! `cargo build -p relay --bin switchboard` into the target directory this
//! test runs from: a no-op under `cargo test --workspace`, which builds it
//! for relay's own tests, and correct under `cargo test -p e2e` on a fresh
//! clone, which does not.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use relay::store::redis::RedisStore;
use tempfile::TempDir;

use crate::http_get;
use crate::redis_ha::RedisAccess;
use crate::redis_server::{unique_prefix, RedisServer};

/// The first admin every cluster creates.
pub const ADMIN_EMAIL: &str = "admin@cluster.test";
pub const ADMIN_PASSWORD: &str = "cluster-admin-pw";
/// How long a node may take to answer `/readyz` after starting.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// One relay process (or the place one was, while it is down).
#[derive(Debug)]
struct Node {
    addr: SocketAddr,
    child: Option<Child>,
}

/// Relay processes sharing one Redis and one key prefix.
#[derive(Debug)]
pub struct Cluster {
    /// The Redis (with Sentinel: the first master) a test stops.
    pub redis: RedisServer,
    pub prefix: String,
    /// How the nodes reach Redis (see `redis_ha` for Sentinel, Cluster).
    access: RedisAccess,
    public_url: Option<String>,
    nodes: Vec<Node>,
    /// Logs (`node-N.log`, appended across restarts) and data dirs.
    dir: TempDir,
}

impl Cluster {
    /// Starts Redis (with AOF `always` if `aof`) and `nodes` relays, one
    /// after the other so the first creates the admin and the demo site.
    pub async fn start(name: &str, nodes: usize, aof: bool) -> anyhow::Result<Self> {
        Self::start_with(name, nodes, aof, None).await
    }

    /// Like [`Cluster::start`], with every node reached at `public_url`
    /// (a load balancer in front: the demo site then allows that origin).
    pub async fn start_with(
        name: &str,
        nodes: usize,
        aof: bool,
        public_url: Option<String>,
    ) -> anyhow::Result<Self> {
        let redis = if aof {
            RedisServer::start_with_aof()?
        } else {
            RedisServer::start()?
        };
        let access = RedisAccess::server(redis.url(), unique_prefix(name));
        Self::launch(nodes, redis, access, public_url).await
    }

    /// `nodes` relays reaching Redis through `access` (Sentinel, a
    /// cluster); `redis` is the server the test may stop.
    pub async fn start_on(
        nodes: usize,
        redis: RedisServer,
        access: RedisAccess,
    ) -> anyhow::Result<Self> {
        Self::launch(nodes, redis, access, None).await
    }

    async fn launch(
        nodes: usize,
        redis: RedisServer,
        access: RedisAccess,
        public_url: Option<String>,
    ) -> anyhow::Result<Self> {
        let mut cluster = Self {
            redis,
            prefix: access.prefix.clone(),
            access,
            public_url,
            nodes: Vec::new(),
            dir: tempfile::tempdir()?,
        };
        for _ in 0..nodes {
            let addr = free_addr()?;
            cluster.nodes.push(Node { addr, child: None });
            cluster.spawn(cluster.nodes.len() - 1).await?;
        }
        Ok(cluster)
    }

    pub fn addr(&self, node: usize) -> SocketAddr {
        self.nodes[node].addr
    }

    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.nodes.iter().map(|n| n.addr).collect()
    }

    /// The Origin visitors send: the demo site allows node 0's address,
    /// as a real site allows its own origin whichever node serves it.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr(0).port())
    }

    /// The cluster's store, read and written as another system would.
    pub async fn store(&self) -> anyhow::Result<RedisStore> {
        Ok(RedisStore::connect_to(&self.access.target, &self.prefix, 0).await?)
    }

    /// SIGKILL: the node dies holding its sockets and presence leases.
    pub fn kill(&mut self, node: usize) {
        if let Some(mut child) = self.nodes[node].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM and wait: the node tells its sockets to reconnect and exits.
    pub async fn terminate(&mut self, node: usize) -> anyhow::Result<()> {
        let Some(mut child) = self.nodes[node].child.take() else {
            return Ok(());
        };
        terminate(&mut child)
            .await
            .with_context(|| format!("node {node}"))
    }

    /// Starts a stopped node again on its old port.
    pub async fn restart(&mut self, node: usize) -> anyhow::Result<()> {
        self.kill(node);
        self.spawn(node).await
    }

    /// The log of node `node`, for failure messages.
    pub fn log(&self, node: usize) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("node-{node}.log")))
            .unwrap_or_default()
    }

    async fn spawn(&mut self, node: usize) -> anyhow::Result<()> {
        let addr = self.nodes[node].addr;
        let log_path = self.dir.path().join(format!("node-{node}.log"));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)?;
        let mut command = relay_command(addr, &self.dir.path().join(format!("data-{node}")))?;
        if let Some(url) = &self.public_url {
            command.env("SWITCHBOARD_PUBLIC_URL", url);
        }
        command.envs(self.access.env.iter().map(|(k, v)| (k, v)));
        let child = command
            .env("SWITCHBOARD_REDIS_PREFIX", &self.prefix)
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting switchboard")?;
        let log_file = self.dir.path().join(format!("node-{node}.log"));
        let log = move || std::fs::read_to_string(&log_file).unwrap_or_default();
        let mut child = child;
        let ready = wait_ready(addr, &mut child, log).await;
        self.nodes[node].child = Some(child);
        ready.with_context(|| format!("node {node}"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for node in 0..self.nodes.len() {
            self.kill(node);
        }
    }
}

/// `switchboard serve` on `addr` with its data in `data`, the test admin,
/// and the per-address limits lifted (every test client comes from one
/// loopback address); the caller adds the backend and the log.
pub fn relay_command(addr: SocketAddr, data: &Path) -> anyhow::Result<Command> {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/web");
    let mut command = Command::new(binary()?);
    command
        .arg("serve")
        .env("SWITCHBOARD_ASSETS", assets)
        .env("SWITCHBOARD_ADDR", addr.to_string())
        .env("SWITCHBOARD_DATA", data)
        .env("SWITCHBOARD_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("SWITCHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD)
        // Fault tests chat at 10 messages/s per visitor.
        .env("SWITCHBOARD_VISITOR_MSG_BURST", "50")
        .env("SWITCHBOARD_VISITOR_MSG_RATE", "50")
        .env("SWITCHBOARD_NEW_VISITORS_PER_ADDRESS", "1000000")
        .env("SWITCHBOARD_STARTS_PER_ADDRESS", "1000000")
        .env("SWITCHBOARD_NEW_VISITORS_PER_SITE", "1000000")
        .env("SWITCHBOARD_STARTS_PER_SITE", "1000000")
        // Routing tests widen and reassign within seconds.
        .env("SWITCHBOARD_ROUTING_SWEEP_MS", "300")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    Ok(command)
}

/// SIGTERM, as a service manager stops a relay, and waits for it to exit
/// (killing it if it has not within 20 s).
pub async fn terminate(child: &mut Child) -> anyhow::Result<()> {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            bail!("the relay did not exit after SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Waits until the relay at `addr` answers `/readyz`, or `child` exits.
pub async fn wait_ready(
    addr: SocketAddr,
    child: &mut Child,
    log: impl Fn() -> String,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        if let Ok((200, _)) = http_get::get(addr, "/readyz").await {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            bail!("the relay exited at start ({status}): {}", log());
        }
        if Instant::now() > deadline {
            bail!("the relay was not ready in time: {}", log());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `switchboard` binary of this build (see [`binary`]).
pub fn switchboard_binary() -> anyhow::Result<PathBuf> {
    binary()
}

/// A loopback address that was free a moment ago.
pub fn free_addr() -> anyhow::Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// The `switchboard` binary of this build, built once per test process.
fn binary() -> anyhow::Result<PathBuf> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| build().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(anyhow::Error::msg)
}

fn build() -> anyhow::Result<PathBuf> {
    // This test runs as TARGET/PROFILE/deps/NAME-HASH.
    let exe = std::env::current_exe()?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .context("test executable outside a target directory")?;
    let profile = profile_dir
        .file_name()
        .and_then(|n| n.to_str())
        .context("odd target directory")?;
    let target_dir = profile_dir.parent().context("odd target directory")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let profile_arg = if profile == "debug" { "dev" } else { profile };
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "relay", "--bin", "switchboard"])
        .arg("--profile")
        .arg(profile_arg)
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .status()
        .context("running cargo build for the switchboard binary")?;
    if !status.success() {
        bail!("cargo build -p relay --bin switchboard failed ({status})");
    }
    let binary = profile_dir.join("switchboard");
    if !binary.exists() {
        bail!("{} missing after building it", binary.display());
    }
    Ok(binary)
}
