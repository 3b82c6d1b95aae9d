//! Redis as production runs it when one server is not enough, for the
//! high-availability tests: a master with two replicas watched by three
//! Sentinels, and a Redis Cluster of three masters. Every process is a
//! private [`RedisServer`] on a free loopback port, gone when dropped;
//! Debian's `redis-server` runs as Sentinel too (`--sentinel`), so nothing
//! more is installed.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use relay::redis_conn::RedisTarget;

use crate::redis_server::{unique_prefix, RedisServer};

/// The name the sentinels know the master by.
pub const MASTER_NAME: &str = "sbmaster";
/// A node with `cluster-enabled yes`, not yet in a cluster; it declares a
/// silent peer failed after 2 s, not the default 15 s.
const CLUSTER_NODE: [&str; 4] = ["--cluster-enabled", "yes", "--cluster-node-timeout", "2000"];
/// How long a topology may take to settle (replicas synced, sentinels
/// acquainted, cluster slots agreed) or to fail over.
const SETTLE: Duration = Duration::from_secs(30);

/// How relay processes, and a test's own store, reach a Redis.
#[derive(Debug, Clone)]
pub struct RedisAccess {
    pub target: RedisTarget,
    /// The settings a relay process gets for it (besides the prefix).
    pub env: Vec<(&'static str, String)>,
    pub prefix: String,
}

impl RedisAccess {
    /// One server at `url`, as most tests use.
    pub fn server(url: String, prefix: String) -> Self {
        Self {
            target: RedisTarget::Server(url.clone()),
            env: vec![("REDIS_URL", url)],
            prefix,
        }
    }
}

/// A key prefix no other test uses, with a hash tag (`{...}:`), as a
/// cluster needs.
pub fn tagged_prefix(test_name: &str) -> String {
    format!("{{{}}}:", unique_prefix(test_name).trim_end_matches(':'))
}

/// The replicas and sentinels around a master (which the caller holds, to
/// kill it).
#[derive(Debug)]
pub struct SentinelSet {
    pub replicas: Vec<RedisServer>,
    pub sentinels: Vec<RedisServer>,
}

impl SentinelSet {
    /// A master, two replicas in sync with it, and three sentinels that
    /// know them all and each other: ready to fail over within about a
    /// second of the master dying (quorum 2).
    pub fn start() -> anyhow::Result<(RedisServer, SentinelSet)> {
        let master = RedisServer::start()?;
        let replicas = (0..2)
            .map(|_| {
                let port = master.port().to_string();
                RedisServer::start_with(&["--replicaof", "127.0.0.1", &port], None)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        poll("the replicas to sync", || {
            let info = master.cli(&["INFO", "replication"])?;
            Ok(info.matches("state=online").count() == 2)
        })?;
        let config = format!(
            "sentinel monitor {MASTER_NAME} 127.0.0.1 {port} 2\n\
             sentinel down-after-milliseconds {MASTER_NAME} 1000\n\
             sentinel failover-timeout {MASTER_NAME} 10000\n",
            port = master.port()
        );
        let sentinels = (0..3)
            .map(|_| RedisServer::start_with(&[], Some(&config)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let set = SentinelSet {
            replicas,
            sentinels,
        };
        // A failover needs a majority that has heard of the others.
        poll("the sentinels to meet", || {
            for sentinel in &set.sentinels {
                let info = sentinel.cli(&["INFO", "sentinel"])?;
                if !info.contains("slaves=2,sentinels=3") {
                    return Ok(false);
                }
            }
            Ok(true)
        })?;
        Ok((master, set))
    }

    /// How relays reach the master: through the sentinels.
    pub fn access(&self, prefix: String) -> RedisAccess {
        let sentinels: Vec<String> = self
            .sentinels
            .iter()
            .map(|s| format!("127.0.0.1:{}", s.port()))
            .collect();
        RedisAccess {
            env: vec![
                ("REDIS_SENTINELS", sentinels.join(",")),
                ("SWITCHBOARD_REDIS_MASTER", MASTER_NAME.into()),
            ],
            target: RedisTarget::Sentinel {
                sentinels,
                master: MASTER_NAME.into(),
            },
            prefix,
        }
    }

    /// The master's port as the first sentinel sees it now.
    pub fn master_port(&self) -> anyhow::Result<u16> {
        let reply = self.sentinels[0].cli(&["SENTINEL", "get-master-addr-by-name", MASTER_NAME])?;
        reply
            .lines()
            .nth(1)
            .and_then(|port| port.trim().parse().ok())
            .with_context(|| format!("odd get-master-addr-by-name reply {reply:?}"))
    }

    /// The replica that is master now, once every sentinel names one other
    /// than `old_port`.
    pub fn promoted(&self, old_port: u16) -> anyhow::Result<&RedisServer> {
        poll("the sentinels to fail over", || {
            Ok(self.master_port()? != old_port)
        })?;
        let port = self.master_port()?;
        self.replicas
            .iter()
            .find(|r| r.port() == port)
            .context("the sentinels promoted a server that is not one of the replicas")
    }
}

/// A Redis Cluster of three masters (no replicas), slots spread over them.
#[derive(Debug)]
pub struct RedisCluster {
    pub nodes: Vec<RedisServer>,
}

impl RedisCluster {
    /// Starts the nodes, joins them with `redis-cli --cluster create` and
    /// waits until every node says the cluster is ok.
    pub fn start() -> anyhow::Result<Self> {
        let nodes = (0..3)
            .map(|_| RedisServer::start_with(&CLUSTER_NODE, None))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let cluster = RedisCluster { nodes };
        let mut args = vec!["--cluster".to_owned(), "create".to_owned()];
        args.extend(
            cluster
                .nodes
                .iter()
                .map(|n| format!("127.0.0.1:{}", n.port())),
        );
        args.extend(["--cluster-replicas", "0", "--cluster-yes"].map(String::from));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cluster.nodes[0]
            .cli(&args)
            .context("redis-cli --cluster create")?;
        poll("the cluster to agree on its slots", || {
            for node in &cluster.nodes {
                let info = node.cli(&["CLUSTER", "INFO"])?;
                if !info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:3") {
                    return Ok(false);
                }
            }
            Ok(true)
        })?;
        Ok(cluster)
    }

    /// How relays reach the cluster: every node a seed.
    pub fn access(&self, prefix: String) -> RedisAccess {
        let seeds: Vec<String> = self.nodes.iter().map(RedisServer::url).collect();
        RedisAccess {
            env: vec![
                ("REDIS_URL", seeds.join(",")),
                ("SWITCHBOARD_REDIS_CLUSTER", "true".into()),
            ],
            target: RedisTarget::Cluster { seeds },
            prefix,
        }
    }
}

/// Polls `ready` every 50 ms until it says yes, for at most [`SETTLE`].
fn poll(what: &str, mut ready: impl FnMut() -> anyhow::Result<bool>) -> anyhow::Result<()> {
    let deadline = Instant::now() + SETTLE;
    let mut last = None;
    while Instant::now() < deadline {
        match ready() {
            Ok(true) => return Ok(()),
            Ok(false) => last = None,
            Err(e) => last = Some(e),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    match last {
        Some(e) => Err(e.context(format!("waiting for {what}"))),
        None => bail!("gave up waiting for {what} after {SETTLE:?}"),
    }
}
