//! Harness for tests from the outside: real Redis, a real relay on a free
//! port, real sockets.
//!
//! - [`redis_server`]: a private `redis-server` per test, never port 6379.
//! - [`redis_ha`]: Sentinel (master, replicas, sentinels) and a Redis Cluster.
//! - [`relay_harness`]: a relay on port 0 over either backend, restartable.
//! - [`client`]: a tokio-tungstenite client speaking the protocol.
//! - [`http_get`]: a minimal HTTP/1.1 GET for the plain endpoints.
//! - [`metrics_text`]: `/metrics` read back as families and samples.
//! - [`browser`]: headless Chromium sessions through chromedriver.
//! - [`proxy`]: a loopback TCP proxy a test can cut, like a dropped network.
//! - [`nginx`]: a real nginx running the README's configuration.
//! - [`wss`]: a `wss://` protocol socket from a chosen loopback address.
//! - [`packages`]: installing a Debian package a test needs.
//! - [`cluster`]: several relay processes on one Redis, killable.
//! - [`cluster_clients`]: a visitor and an agent placed on given nodes.
//! - [`chatter`]: a client that resends, fails over and resumes, for fault tests.
//! - [`fault_chat`]: the two-sided chat fault tests run, and its figures.
//! - [`fault_report`]: sent/delivered/duplicated/lost figures of a fault test.
//! - [`ui`]: the widget and console, found by their accessible names.
//! - [`load`]: the load generator and bare forwarder of BENCHMARKS.md.
//! - [`stage`]: relay, proxy and two browsers for one browser scenario.
//! - [`store_subject`]: a store under test on each backend, reopenable.
//! - [`records`]: customer-record values to write into a store.
//! - [`routing_setup`]: routing settings, speaking agents, visitors in a language.
//! - [`embedded_process`]: one relay process on the embedded store (kill -9, backup).
//! - [`report_script`]: conversations at scripted times, for the report tests.

pub mod browser;
pub mod chatter;
pub mod client;
pub mod cluster;
pub mod cluster_clients;
pub mod embedded_process;
pub mod fault_chat;
pub mod fault_report;
pub mod http_get;
pub mod kb;
pub mod load;
pub mod metrics_text;
pub mod nginx;
pub mod packages;
pub mod proxy;
pub mod records;
pub mod redis_ha;
pub mod redis_server;
pub mod relay_harness;
pub mod report_script;
pub mod routing_setup;
pub mod smtp_sink;
pub mod stage;
pub mod store_subject;
pub mod ui;
pub mod wss;

/// Runs each listed `async fn name(backend: Backend)` scenario as two tests,
/// `embedded::name` and `redis::name`.
#[macro_export]
macro_rules! both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod embedded {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() -> anyhow::Result<()> {
                super::$scenario($crate::relay_harness::Backend::Embedded).await
            })*
        }
        mod redis {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() -> anyhow::Result<()> {
                super::$scenario($crate::relay_harness::Backend::Redis).await
            })*
        }
    };
}
