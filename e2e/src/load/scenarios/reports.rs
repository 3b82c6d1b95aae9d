//! A 30-day report over a big history, on both stores: synthetic
//! conversations (opened, waited, answered, messages, resolved, some rated
//! or transferred) and items from other channels, turned into roll-up
//! increments with the relay's own `adds_of` (days in the site's zone),
//! summed per row, and written one record per row (the store then holds
//! what recording each fact would have left, without the fact keys). Then
//! the report is read as `ConversationService::report` reads it: both
//! periods' roll-ups and `build_report`, timed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use relay::opening_hours::{day_start_ms, time_zone};
use relay::reports::build::build_report;
use relay::reports::facts::{Fact, Measure, HOUR_MS};
use relay::reports::rollup::adds_of;
use relay::reports::row::{add_to, Add, Row};
use relay::reports::window::{in_period, read_range};
use relay::seeded::Seeded;
use relay::store::redis::RedisStore;
use relay::store::sqlite::SqliteStore;
use relay::store::{AgentRecord, Site, Store};
use shared::contacts::Channel;
use shared::hours::OpeningHours;
use shared::reports::ReportQuery;
use shared::{AgentId, SiteId};

use super::super::drive::load_average;
use crate::redis_server::{unique_prefix, RedisServer};

const DAY_MS: u64 = 24 * HOUR_MS;
/// 2026-11-01T00:00 in Berlin (23:00Z the day before): the previous
/// period starts here, and both periods are whole Berlin days.
const START_MS: u64 = 1_793_487_600_000;
const CHANNELS: [Channel; 5] = [
    Channel::Email,
    Channel::Phone,
    Channel::Sms,
    Channel::Social,
    Channel::WebForm,
];

/// What to build and how often to read it.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Conversations in each of the two periods.
    pub conversations: usize,
    pub days: u64,
    pub agents: usize,
    pub runs: usize,
}

fn site() -> anyhow::Result<Site> {
    let mut site: Site = serde_json::from_value(serde_json::json!({
        "id": "bench", "name": "Bench", "origins": [], "languages": ["en"]
    }))?;
    site.hours = Some(OpeningHours::weekdays("Europe/Berlin", 8 * 60, 20 * 60));
    Ok(site)
}

fn agents(n: usize) -> Vec<AgentRecord> {
    (0..n)
        .map(|i| AgentRecord {
            id: AgentId(format!("a{i}")),
            email: format!("a{i}@bench.test"),
            name: format!("Agent {i}"),
            password_hash: String::new(),
            admin: false,
            max_concurrent: 5,
            created_at_ms: 0,
            disabled: false,
            languages: Vec::new(),
            skills: Vec::new(),
        })
        .collect()
}

/// The facts of one synthetic conversation (or item) opened at `at`.
fn facts_of(rng: &mut Seeded, i: usize, at: u64, agents: usize) -> Vec<(Fact, u64)> {
    let site = SiteId::from("bench");
    let fact = |at_ms, agent: Option<&AgentId>, channel, measure| Fact {
        key: format!("c{i}"),
        site: site.clone(),
        at_ms,
        agent: agent.cloned(),
        channel,
        measure,
    };
    if rng.percent(20) {
        let channel = rng.pick(&CHANNELS);
        return vec![(fact(at, None, channel, Measure::Opened), 1)];
    }
    let agent = AgentId(format!("a{}", rng.below(agents as u64)));
    let wait = rng.below(600_000);
    let first = wait + 5_000 + rng.below(3_600_000);
    let resolved = first + rng.below(4 * 3_600_000);
    let messages = 2 + rng.below(12);
    let mut out = vec![
        (fact(at, None, Channel::Chat, Measure::Opened), 1),
        (
            fact(
                at + wait,
                Some(&agent),
                Channel::Chat,
                Measure::Waited {
                    ms: wait,
                    business_ms: wait / 2,
                },
            ),
            1,
        ),
        (
            fact(
                at + first,
                Some(&agent),
                Channel::Chat,
                Measure::FirstResponse {
                    ms: first,
                    business_ms: first / 2,
                },
            ),
            1,
        ),
        (
            fact(at, None, Channel::Chat, Measure::MessageIn),
            messages / 2 + 1,
        ),
        (
            fact(at + first, Some(&agent), Channel::Chat, Measure::MessageOut),
            messages / 2,
        ),
        (
            fact(
                at + resolved,
                Some(&agent),
                Channel::Chat,
                Measure::Resolved {
                    resolution_ms: resolved,
                    business_resolution_ms: resolved / 2,
                    handling_ms: resolved - wait,
                    business_handling_ms: (resolved - wait) / 2,
                },
            ),
            1,
        ),
    ];
    if rng.percent(30) {
        let rating = 1 + rng.below(5) as u8;
        let rated = fact(
            at + resolved,
            Some(&agent),
            Channel::Chat,
            Measure::Rated { rating },
        );
        out.push((rated, 1));
    }
    if rng.percent(5) {
        out.push((
            fact(
                at + first,
                Some(&agent),
                Channel::Chat,
                Measure::Transferred,
            ),
            1,
        ));
    }
    out
}

/// A row's sums: (bucket, row key) → counters by slot.
type Rows = HashMap<(u64, String), Vec<u64>>;

/// Every period's rows, summed as a store sums them.
fn history(shape: Shape) -> anyhow::Result<Rows> {
    let mut rng = Seeded::new(0x0015_5EED);
    let hours = site()?
        .hours
        .ok_or_else(|| anyhow::anyhow!("the bench site has hours"))?;
    let zone = time_zone(&hours);
    let span = 2 * shape.days * DAY_MS;
    let mut rows = Rows::new();
    for i in 0..2 * shape.conversations {
        let at = START_MS + rng.below(span - DAY_MS);
        for (fact, times) in facts_of(&mut rng, i, at, shape.agents) {
            for add in adds_of(&fact, day_start_ms(&zone, fact.at_ms)) {
                let counts = rows.entry((add.bucket_ms, add.row)).or_default();
                add_to(counts, add.slot, add.by * times);
            }
        }
    }
    Ok(rows)
}

/// A period's rows, read as `ConversationService::report` reads them.
async fn read(
    store: &dyn Store,
    site: &SiteId,
    from_ms: u64,
    to_ms: u64,
) -> anyhow::Result<Vec<Row>> {
    let (read_from, read_to) = read_range(from_ms, to_ms);
    let rows = store.rollup(site, read_from, read_to).await?;
    Ok(in_period(rows, from_ms, to_ms))
}

fn fmt_ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Loads the history into `store`, then times the report; a table row.
async fn measure(
    label: &str,
    store: Arc<dyn Store>,
    rows: &Rows,
    shape: Shape,
) -> anyhow::Result<String> {
    let site = site()?;
    let agents = agents(shape.agents);
    let loading = Instant::now();
    for ((bucket_ms, row), counts) in rows {
        let adds: Vec<Add> = counts
            .iter()
            .enumerate()
            .filter(|(_, &by)| by > 0)
            .map(|(slot, &by)| Add::new(*bucket_ms, row, slot, by))
            .collect();
        store
            .record_fact(&site.id, &format!("bench:{bucket_ms}:{row}"), &adds)
            .await?;
    }
    let loaded = loading.elapsed();
    let from_ms = START_MS + shape.days * DAY_MS;
    let query = ReportQuery {
        from_ms,
        to_ms: from_ms + shape.days * DAY_MS,
        business_hours: false,
    };
    let (previous_from, previous_to) = query.previous();
    let mut times = Vec::new();
    let mut conversations = 0.0;
    let mut rows_read = 0;
    for _ in 0..shape.runs.max(1) {
        let started = Instant::now();
        let (current, previous) = tokio::try_join!(
            read(&*store, &site.id, query.from_ms, query.to_ms),
            read(&*store, &site.id, previous_from, previous_to),
        )?;
        let report = build_report(&site, &agents, &query, &current, &previous);
        times.push(started.elapsed());
        conversations = report.overview.conversations.value.unwrap_or(0.0);
        rows_read = current.len() + previous.len();
    }
    times.sort();
    Ok(format!(
        "| {label} | {conversations:.0} | {rows_read} | {:.1} s | {} | {} |\n",
        loaded.as_secs_f64(),
        fmt_ms(times[times.len() / 2]),
        fmt_ms(times[times.len() - 1]),
    ))
}

/// Builds the history once and measures it on SQLite and on Redis.
pub async fn reports(shape: Shape) -> anyhow::Result<String> {
    let generating = Instant::now();
    let rows = history(shape)?;
    let counters: usize = rows
        .values()
        .map(|c| c.iter().filter(|&&v| v > 0).count())
        .sum();
    let buckets = rows
        .keys()
        .map(|(bucket, _)| bucket)
        .collect::<std::collections::HashSet<_>>()
        .len();
    let mut out = String::new();
    writeln!(
        out,
        "### Reports: {} days, {} conversations per period (two periods), {} agents, {} runs\n\n\
         {} roll-up rows ({counters} counters not zero) in {buckets} buckets, generated in {:.1} s.\n\n\
         | store | conversations in the report | rows read (both periods) | load | p50 ms | max ms |\n\
         | --- | --- | --- | --- | --- | --- |",
        shape.days,
        shape.conversations,
        shape.agents,
        shape.runs,
        rows.len(),
        generating.elapsed().as_secs_f64()
    )?;
    let dir = tempfile::tempdir()?;
    let sqlite: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path(), 64)?);
    out.push_str(&measure("embedded (SQLite)", sqlite, &rows, shape).await?);
    let server = RedisServer::start()?;
    let redis: Arc<dyn Store> =
        Arc::new(RedisStore::connect(&server.url(), &unique_prefix("bench")).await?);
    out.push_str(&measure("Redis", redis, &rows, shape).await?);
    writeln!(out, "\nLoad average (1 min): {:.2}.", load_average())?;
    Ok(out)
}
