//! What an operator watches: a chat message shows up in every stage
//! histogram; README's metrics table, `/metrics` and the Grafana
//! dashboard's queries name the same metrics, so none of the three can
//! drift from the others; and `SWITCHBOARD_LOG_FORMAT=json` makes every
//! line the binary logs a JSON object.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use e2e::both_backends;
use e2e::client::Client;
use e2e::cluster::{free_addr, relay_command, terminate, wait_ready};
use e2e::http_get::get;
use e2e::metrics_text::Exposition;
use e2e::nginx::repo_file;
use e2e::relay_harness::{Backend, TestRelay};
use regex::Regex;
use serde_json::Value;

const STAGES: [&str; 5] = ["decode", "store", "publish", "fan_out", "socket_write"];
const DASHBOARD: &str = "deploy/grafana/switchboard.json";
/// How long a fan-out after a Redis round trip may take before the test
/// gives up; never a measurement.
const PATIENCE: Duration = Duration::from_secs(20);

both_backends!(a_message_is_timed_in_every_stage_and_readme_lists_every_metric);

async fn a_message_is_timed_in_every_stage_and_readme_lists_every_metric(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    // On Redis the append script publishes the message itself: its
    // publish is part of the store stage, and the bus's own is not used.
    let stages: Vec<&str> = match backend {
        Backend::Redis => STAGES.into_iter().filter(|s| *s != "publish").collect(),
        Backend::Embedded => STAGES.to_vec(),
    };
    let exposition = after_a_chat(relay.addr(), &stages).await?;
    if backend == Backend::Redis {
        assert_eq!(
            exposition
                .value("switchboard_message_stage_seconds_count{stage=\"publish\"}")
                .unwrap_or(0.0),
            0.0,
            "a message on Redis is published by its append, not by the bus"
        );
    }
    let documented = readme_metrics()?;
    let exposed = exposition.metric_names();
    let only_documented: Vec<_> = documented
        .keys()
        .filter(|n| !exposed.contains_key(*n))
        .collect();
    let only_exposed: Vec<_> = exposed
        .keys()
        .filter(|n| !documented.contains_key(*n))
        .collect();
    assert!(
        only_documented.is_empty() && only_exposed.is_empty(),
        "README's metrics table names {only_documented:?} that /metrics lacks, \
         and lacks {only_exposed:?} that /metrics exposes"
    );
    assert_eq!(
        documented, exposed,
        "README's types (left) differ from /metrics'"
    );
    // The relay counts its own round trips to Redis: a chat costs some;
    // the embedded store makes none.
    let trips = exposition
        .value("switchboard_redis_round_trips_total")
        .unwrap_or(-1.0);
    match backend {
        Backend::Redis => assert!(trips > 0.0, "{trips}"),
        Backend::Embedded => assert_eq!(trips, 0.0),
    }
    relay.stop().await;
    Ok(())
}

/// `/metrics` after a visitor's message, a refused frame, a knowledge
/// search and a feedback (a labelled family is absent until it has a
/// series), once each stage histogram has counted the message: over
/// Redis the hub's fan-out follows the bus round trip, after the ack.
async fn after_a_chat(addr: SocketAddr, stages: &[&str]) -> anyhow::Result<Exposition> {
    let mut visitor = Client::demo_visitor(addr).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let conversation = visitor.start().await?.id;
    visitor.visitor_say(&conversation, "m1", "hello").await?;
    visitor.send_raw("{oops".into()).await?;
    visitor.recv_error().await?;
    // A search and a visitor's feedback on an article.
    let mut admin = e2e::kb::admin(addr).await?;
    let article = e2e::kb::save(
        &mut admin,
        e2e::kb::draft("demo", "en", "Returns", "Within 30 days."),
    )
    .await?;
    e2e::kb::visitor_search(&mut visitor, "returns", None).await?;
    let answer = e2e::kb::feedback(
        &mut visitor,
        &article.id,
        shared::knowledge::Feedback::Answered,
    )
    .await?;
    anyhow::ensure!(
        matches!(answer, shared::ServerFrame::FeedbackRecorded { .. }),
        "feedback refused: {answer:?}"
    );
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (status, text) = get(addr, "/metrics").await?;
        assert_eq!(status, 200);
        let exposition = Exposition::parse(&text);
        let uncounted: Vec<_> = stages
            .iter()
            .filter(|stage| {
                let series =
                    format!("switchboard_message_stage_seconds_count{{stage=\"{stage}\"}}");
                exposition.value(&series).unwrap_or(0.0) <= 0.0
            })
            .collect();
        if uncounted.is_empty() {
            return Ok(exposition);
        }
        if Instant::now() > deadline {
            bail!("stage(s) {uncounted:?} never counted the message:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// README's "### Metrics" table: metric name → type.
fn readme_metrics() -> anyhow::Result<BTreeMap<String, String>> {
    let readme = std::fs::read_to_string(repo_file("README.md"))?;
    let table: BTreeMap<String, String> = readme
        .lines()
        .skip_while(|line| *line != "### Metrics")
        .skip(1)
        .take_while(|line| !line.starts_with('#'))
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2].to_owned())
        })
        .collect();
    if table.is_empty() {
        bail!("README.md has no metrics table under \"### Metrics\"");
    }
    Ok(table)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_queries_only_metrics_the_relay_exposes() -> anyhow::Result<()> {
    let text = std::fs::read_to_string(repo_file(DASHBOARD))?;
    let dashboard: Value = serde_json::from_str(&text).context(DASHBOARD)?;
    assert_eq!(
        dashboard["__inputs"][0]["name"], "DS_PROMETHEUS",
        "an importable dashboard asks for its data source"
    );
    let mut queries = Vec::new();
    walk(&dashboard, &mut queries)?;
    assert!(!queries.is_empty(), "{DASHBOARD} has no queries");

    let relay = TestRelay::start(Backend::Embedded).await?;
    let exposition = after_a_chat(relay.addr(), &STAGES).await?;
    relay.stop().await;
    let mut charted = BTreeSet::new();
    for expr in &queries {
        let names = promql_metric_names(expr);
        assert!(!names.is_empty(), "{expr:?} queries no metric");
        for name in names {
            let family = exposition.family_of(&name);
            assert!(family.is_some(), "{expr:?}: /metrics has no {name}");
            charted.extend(family);
        }
    }
    for family in [
        "switchboard_message_stage_seconds",
        "switchboard_connections",
    ] {
        assert!(
            charted.contains(family),
            "the dashboard leaves out {family}"
        );
    }
    Ok(())
}

/// Collects every `expr` below `value`, and checks that each Prometheus
/// data source is the one the importer picks (`${DS_PROMETHEUS}`).
fn walk(value: &Value, queries: &mut Vec<String>) -> anyhow::Result<()> {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                match (key.as_str(), field) {
                    ("expr", Value::String(expr)) => queries.push(expr.clone()),
                    ("datasource", source) if source["type"] == "prometheus" => {
                        if source["uid"] != "${DS_PROMETHEUS}" {
                            bail!("a data source is not the imported one: {source}");
                        }
                    }
                    _ => walk(field, queries)?,
                }
            }
        }
        Value::Array(items) => items.iter().try_for_each(|item| walk(item, queries))?,
        _ => {}
    }
    Ok(())
}

/// The metric (series) names in a PromQL expression: identifiers that are
/// not functions, keywords, label names or label values.
fn promql_metric_names(expr: &str) -> Vec<String> {
    // Strings, label matchers, ranges and grouping clauses hold label
    // names, values and durations, never metric names.
    let noise = Regex::new(
        r#""[^"]*"|\{[^}]*\}|\[[^\]]*\]|\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"#,
    )
    .expect("a valid regex");
    let identifier = Regex::new(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?").expect("a valid regex");
    const KEYWORDS: [&str; 7] = ["and", "or", "unless", "bool", "offset", "inf", "nan"];
    let cleaned = noise.replace_all(expr, " ");
    identifier
        .captures_iter(&cleaned)
        .filter(|found| found.get(2).is_none())
        .map(|found| found[1].to_owned())
        .filter(|name| !KEYWORDS.contains(&name.to_ascii_lowercase().as_str()))
        .collect()
}

#[test]
fn promql_names_leave_out_functions_labels_and_durations() {
    assert_eq!(
        promql_metric_names(
            "histogram_quantile(0.99, sum by (le, stage) \
             (rate(a_seconds_bucket{stage=\"store\"}[$__rate_interval])))"
        ),
        ["a_seconds_bucket"]
    );
    assert_eq!(
        promql_metric_names("sum(rate(x_sum[5m])) / sum(rate(x_count[5m])) > bool 1e3"),
        ["x_sum", "x_count"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_per_line() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let addr = free_addr()?;
    let stderr = dir.path().join("stderr.log");
    let log = || std::fs::read_to_string(&stderr).unwrap_or_default();
    let mut relay = RelayProcess(Some(
        relay_command(addr, &dir.path().join("data"))?
            .env("SWITCHBOARD_LOG_FORMAT", "json")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr)?)
            .spawn()
            .context("starting switchboard")?,
    ));
    wait_ready(addr, relay.child(), log).await?;
    // A refusal logs fields of its own beside the message.
    let mut visitor = Client::demo_visitor(addr).await?;
    visitor.visitor_hello(None, vec![]).await?;
    visitor.send_raw("{oops".into()).await?;
    visitor.recv_error().await?;
    visitor.close().await;
    relay.terminate().await?;

    let text = log();
    let mut lines = Vec::new();
    for line in text.lines() {
        let object: Value = serde_json::from_str(line)
            .with_context(|| format!("a log line is not JSON: {line}"))?;
        for key in ["timestamp", "level", "message", "target"] {
            assert!(object[key].is_string(), "no {key} in {line}");
        }
        lines.push(object);
    }
    let said = |message: &str| lines.iter().find(|line| line["message"] == message);
    let started = said("relay started").context("no \"relay started\" line")?;
    assert_eq!(started["addr"], addr.to_string());
    let refused = said("frame refused").context("no \"frame refused\" line")?;
    assert_eq!(refused["level"], "INFO");
    assert_eq!(refused["code"], "malformed_json");
    assert_eq!(refused["role"], "visitor");
    Ok(())
}

/// A relay process, killed if the test ends before it has exited.
#[derive(Debug)]
struct RelayProcess(Option<Child>);

impl RelayProcess {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("the relay runs")
    }

    /// Stops it as a service manager would (the goodbye is logged too).
    async fn terminate(&mut self) -> anyhow::Result<()> {
        terminate(self.child()).await?;
        self.0 = None;
        Ok(())
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
