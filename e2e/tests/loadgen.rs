//! The load generator measures what it claims: a short, tiny run against
//! an in-process relay (each backend) and against the bare forwarder must
//! deliver every message exactly once, in order, with no errors. Only
//! correctness is asserted here; speed belongs to BENCHMARKS.md, not to
//! tests on a shared machine.

use std::time::Duration;

use e2e::load::drive::{run, RunResult, RunSpec};
use e2e::load::fleet::{Fleet, Target};
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};

const VISITORS: usize = 12;
const AGENTS: usize = 3;

fn spec() -> RunSpec {
    RunSpec {
        rate: 120.0,
        duration: Duration::from_secs(2),
        warmup: Duration::from_millis(200),
    }
}

fn assert_exactly_once(r: &RunResult) {
    let (v, a) = (&r.visitor_to_agent, &r.agent_to_visitor);
    assert!(r.sent > 100, "the schedule sent only {} messages", r.sent);
    assert_eq!(v.received + a.received, r.sent, "every message arrives");
    assert_eq!((v.duplicates, a.duplicates, v.gaps, a.gaps), (0, 0, 0, 0));
    assert_eq!(
        r.errors(),
        0,
        "first error: {:?}",
        v.first_error.as_ref().or(a.first_error.as_ref())
    );
    assert!(!v.latency_us.is_empty() && !a.latency_us.is_empty());
}

async fn against_relay(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.visitor_msg_burst = 1_000;
        c.limits.visitor_msg_per_sec = 1_000;
        c.limits.frame_burst = 10_000;
        c.limits.frame_per_sec = 10_000;
    })
    .await?;
    let target = Target::Relay {
        visitors: relay.addr(),
        agents: relay.addr(),
        admin_email: ADMIN_EMAIL.into(),
        admin_password: ADMIN_PASSWORD.into(),
    };
    let mut fleet = Fleet::open(&target, VISITORS, AGENTS, 10).await?;
    let paired: usize = fleet.agents.iter().map(|a| a.slots.len()).sum();
    assert_eq!(
        paired, VISITORS,
        "every conversation was routed to an agent"
    );
    let first = run(&mut fleet, spec(), &[]).await?;
    assert_exactly_once(&first);
    assert!(first.acked_per_sec > 0.0, "the relay acked messages");
    // A second run on the same fleet continues each conversation's numbering.
    assert_exactly_once(&run(&mut fleet, spec(), &[]).await?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_once_on_the_embedded_relay() -> anyhow::Result<()> {
    against_relay(Backend::Embedded).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_once_on_the_redis_relay() -> anyhow::Result<()> {
    against_relay(Backend::Redis).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_once_through_the_bare_forwarder() -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(e2e::load::forwarder::serve(listener));
    let mut fleet = Fleet::open(&Target::Forwarder(addr), VISITORS, AGENTS, 0).await?;
    assert_exactly_once(&run(&mut fleet, spec(), &[]).await?);
    server.abort();
    Ok(())
}

#[test]
fn the_kb_search_scenario_indexes_searches_and_reports() -> anyhow::Result<()> {
    let report = e2e::load::scenarios::kb_search::kb_search(300, 100)?;
    for row in [
        "| index time (one upsert_many) |",
        "| RSS before / after indexing |",
        "| documents in the index | 300 |",
        "| exact word | 25 |",
        "| typo (one swap) | 25 |",
        "| prefix (3–5 letters) | 25 |",
        "| 2–3 words | 25 |",
        "| all | 100 |",
    ] {
        assert!(report.contains(row), "no {row:?} in:\n{report}");
    }
    let hits: usize = report
        .lines()
        .find_map(|l| l.strip_prefix("| hits returned | "))
        .and_then(|v| v.trim_end_matches(" |").parse().ok())
        .unwrap_or(0);
    assert!(hits > 0, "no hits in:\n{report}");
    Ok(())
}

#[test]
fn the_routing_scenario_plans_validly_and_reports() -> anyhow::Result<()> {
    use e2e::load::scenarios::routing::{check_plan, routing, synthetic};
    let world = synthetic(600, 80, 7);
    let plan = relay::routing::plan_assignments(&world.snapshot, &world.policies, world.now_ms);
    assert!(!plan.is_empty(), "nothing planned");
    check_plan(&world.snapshot, &plan)?;
    let report = routing(600, 80, 2)?;
    for row in [
        "| typical | 600 | 80 (",
        "| full house | 600 | 80 (80 online) | 0 | 0 |",
        "| one agent freed | 600 | 80 (80 online) | 1 | 1 |",
    ] {
        assert!(report.contains(row), "no {row:?} in:\n{report}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reports_scenario_reads_what_it_wrote_on_both_stores() -> anyhow::Result<()> {
    let shape = e2e::load::scenarios::reports::Shape {
        conversations: 2_000,
        days: 7,
        agents: 5,
        runs: 2,
    };
    let report = e2e::load::scenarios::reports::reports(shape).await?;
    let rows: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("| embedded") || l.starts_with("| Redis"))
        .collect();
    assert_eq!(rows.len(), 2, "{report}");
    // Both stores give the same report: the same conversations counted.
    let counted = |row: &str| row.split('|').nth(2).map(str::trim).map(str::to_owned);
    assert_eq!(counted(rows[0]), counted(rows[1]), "{report}");
    let n: f64 = counted(rows[0]).unwrap_or_default().parse()?;
    assert!(n > 1_000.0 && n < 3_000.0, "{report}");
    Ok(())
}
