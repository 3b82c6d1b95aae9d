//! A store under test for the store-level suites (`store_conformance.rs`,
//! `contact_store.rs`, `redis_layout.rs`): each case runs once against the
//! embedded store (SQLite) in a temporary directory and once against the Redis
//! store on a private redis-server with a unique key prefix, and can
//! reopen the same data as a restarted relay would.

use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use relay::store::redis::RedisStore;
use relay::store::sqlite::SqliteStore;
use relay::store::Store;

use crate::redis_ha::{tagged_prefix, RedisAccess, RedisCluster};
use crate::redis_server::{unique_prefix, RedisServer};

type Reopen = Box<dyn Fn() -> BoxFuture<'static, Arc<dyn Store>> + Send + Sync>;

/// A store, a way to reopen its data, and whatever keeps it alive.
pub struct Subject {
    pub store: Arc<dyn Store>,
    reopen: Reopen,
    /// The Redis server and key prefix, for reading keys with `redis-cli`.
    pub redis: Option<(Arc<RedisServer>, String)>,
    /// The embedded store's data directory, for reading its files.
    data_dir: Option<std::path::PathBuf>,
    _keep: Box<dyn std::any::Any + Send + Sync>,
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subject")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Subject {
    /// The same data through a fresh store, as after a restart
    /// (embedded: replayed from the journal once every handle on the old
    /// store is gone, so callers must hold no clone of `store`).
    pub async fn reopen(self) -> Subject {
        let Subject {
            store,
            reopen,
            redis,
            data_dir,
            _keep,
        } = self;
        drop(store);
        Subject {
            store: reopen().await,
            reopen,
            redis,
            data_dir,
            _keep,
        }
    }

    /// Every key under the Redis prefix with its whole value (`None` for
    /// the embedded store): what a test searches for data that must be gone.
    pub fn redis_dump(&self) -> Option<String> {
        let (server, prefix) = self.redis.as_ref()?;
        let keys = server
            .cli(&["--scan", "--pattern", &format!("{prefix}*")])
            .expect("redis-cli --scan");
        let mut all = keys.clone();
        for key in keys.lines().filter(|k| !k.is_empty()) {
            let read: &[&str] = match server.cli(&["TYPE", key]).expect("TYPE").trim() {
                "hash" => &["HGETALL"],
                "set" => &["SMEMBERS"],
                "list" => &["LRANGE", "0", "-1"],
                "zset" => &["ZRANGE", "0", "-1"],
                _ => &["GET"],
            };
            let mut args = vec![read[0], key];
            args.extend_from_slice(&read[1..]);
            all.push_str(&server.cli(&args).expect("reading a key"));
        }
        Some(all)
    }

    /// The embedded store's data directory (`None` for Redis).
    pub fn data_dir(&self) -> Option<&std::path::Path> {
        self.data_dir.as_deref()
    }

    /// The embedded store (SQLite) in a temporary directory.
    pub async fn embedded() -> Subject {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().to_owned();
        let open = |path: &std::path::Path| -> Arc<dyn Store> {
            Arc::new(SqliteStore::open(path, 16).expect("open store"))
        };
        let store = open(&path);
        let held = Arc::new(Mutex::new(Some(Arc::clone(&store))));
        let held2 = Arc::clone(&held);
        Subject {
            store,
            reopen: Box::new(move || {
                let (path, held) = (path.clone(), Arc::clone(&held2));
                Box::pin(async move {
                    // The directory lock is released only when the old store is gone.
                    held.lock().expect("lock").take();
                    open(&path)
                })
            }),
            redis: None,
            data_dir: Some(dir.path().to_owned()),
            _keep: Box::new((dir, held)),
        }
    }

    /// The Redis store on its own redis-server.
    pub async fn redis(name: &str) -> Subject {
        let server = Arc::new(RedisServer::start().expect("redis-server"));
        let (url, prefix) = (server.url(), unique_prefix(name));
        let connect = move |url: String, prefix: String| async move {
            let store: Arc<dyn Store> =
                Arc::new(RedisStore::connect(&url, &prefix).await.expect("connect"));
            store
        };
        let store = connect(url.clone(), prefix.clone()).await;
        let p = prefix.clone();
        Subject {
            store,
            reopen: Box::new(move || Box::pin(connect(url.clone(), p.clone()))),
            redis: Some((Arc::clone(&server), prefix)),
            data_dir: None,
            _keep: Box::new(server),
        }
    }

    /// The Redis store on a shared Redis Cluster, under its own
    /// hash-tagged prefix.
    pub async fn redis_cluster(cluster: &Arc<RedisCluster>, name: &str) -> Subject {
        let access = cluster.access(tagged_prefix(name));
        let connect = |access: RedisAccess| async move {
            let store: Arc<dyn Store> = Arc::new(
                RedisStore::connect_to(&access.target, &access.prefix, 0)
                    .await
                    .expect("connect to the cluster"),
            );
            store
        };
        let store = connect(access.clone()).await;
        Subject {
            store,
            reopen: Box::new(move || Box::pin(connect(access.clone()))),
            redis: None,
            data_dir: None,
            _keep: Box::new(Arc::clone(cluster)),
        }
    }
}

/// Runs each listed `async fn case(s: Subject)` as two tests,
/// `embedded_store::case` and `redis_store::case`. Listed after
/// `on_a_cluster_too:`, they also run one after the other on one Redis
/// Cluster as `redis_cluster_store::every_case` (a cluster per case would
/// crowd CI), each under its own hash-tagged prefix.
#[macro_export]
macro_rules! store_cases {
    (on_a_cluster_too: $($case:ident),* $(,)?) => {
        $crate::store_cases!($($case),*);
        mod redis_cluster_store {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn every_case() {
                let cluster = std::sync::Arc::new(
                    $crate::redis_ha::RedisCluster::start().expect("a redis cluster"),
                );
                $(
                    eprintln!("case {}", stringify!($case));
                    let subject = $crate::store_subject::Subject::redis_cluster(
                        &cluster,
                        stringify!($case),
                    );
                    super::$case(subject.await).await;
                )*
            }
        }
    };
    ($($case:ident),* $(,)?) => {
        mod embedded_store {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                super::$case($crate::store_subject::Subject::embedded().await).await;
            })*
        }
        mod redis_store {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                super::$case($crate::store_subject::Subject::redis(stringify!($case)).await).await;
            })*
        }
    };
}
