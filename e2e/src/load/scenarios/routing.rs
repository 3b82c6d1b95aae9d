//! Routing's planner under a big queue: a synthetic snapshot (default
//! 10,000 waiting × 1,000 agents on four sites, with teams, languages,
//! skills, priorities, and agents at capacity 3 with some load), planned
//! several times, with the time per plan. Also the two cases a busy relay
//! plans most often: a full house (nobody free) and one agent freed (one
//! slot), whose cost should be close to nothing. In process: the planner
//! is a pure function, and this measures it without a store around it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use relay::routing::{live_queue, plan_assignments, Decision, Policies, RoutingSnapshot};
use relay::routing::{AgentLoad, Waiting};
use shared::routing::{Match, Priority, Route, SiteRouting, Team};
use shared::{AgentId, ConversationId, Presence, SiteId};

use super::super::drive::load_average;
use super::rng::Rng;

const SITES: usize = 4;
const TEAMS: [&str; 5] = ["sales", "billing", "support", "returns", "tech"];
const SKILLS: [&str; 6] = ["vat", "refunds", "api", "shipping", "warranty", "b2b"];
const CAPACITY: u32 = 3;
/// Visitors and agents are both mostly English; some ask for a language
/// no agent lists (`pt`), which only agents without languages can take.
const VISITOR_LANGUAGES: [(u64, Option<&str>); 7] = [
    (55, Some("en-US")),
    (15, Some("fa-IR")),
    (10, Some("ru")),
    (8, Some("he")),
    (5, Some("de")),
    (2, Some("pt-BR")),
    (5, None),
];
const AGENT_LANGUAGES: [(u64, &[&str]); 6] = [
    (50, &["en"]),
    (15, &["en", "fa"]),
    (10, &["ru"]),
    (10, &["he", "en"]),
    (5, &["de"]),
    (10, &[]),
];

/// A snapshot and the site settings it is planned with.
#[derive(Debug, Clone)]
pub struct World {
    pub snapshot: RoutingSnapshot,
    pub policies: Policies,
    pub now_ms: u64,
}

/// `waiting` conversations and `agents` agents on four sites of five teams
/// each; three sites widen after a minute, one never.
pub fn synthetic(waiting: usize, agents: usize, seed: u64) -> World {
    let mut rng = Rng(seed);
    let now_ms = 1_700_000_000_000;
    let sites: Vec<SiteId> = (0..SITES).map(|s| SiteId(format!("shop-{s}"))).collect();
    let mut routing: Vec<SiteRouting> = (0..SITES)
        .map(|s| SiteRouting {
            teams: TEAMS
                .iter()
                .map(|t| Team {
                    id: (*t).to_owned(),
                    name: t.to_uppercase(),
                    members: Vec::new(),
                    hours: None,
                    answer_within_secs: None,
                })
                .collect(),
            widen_after_secs: if s + 1 == SITES { 0 } else { 60 },
            ..SiteRouting::default()
        })
        .collect();
    let agents: Vec<AgentLoad> = (0..agents)
        .map(|i| {
            let id = AgentId(format!("agent-{i:05}"));
            // Each agent works for one site's team, some for a second.
            let home = &mut routing[i % SITES];
            home.teams[(i / SITES) % TEAMS.len()]
                .members
                .push(id.clone());
            if rng.percent(20) {
                let other = rng.below(TEAMS.len() as u64) as usize;
                home.teams[other].members.push(id.clone());
            }
            let presence = rng.weighted(&[
                (80, Presence::Online),
                (10, Presence::Away),
                (10, Presence::Offline),
            ]);
            let skills = (0..rng.below(3))
                .map(|_| SKILLS[rng.below(SKILLS.len() as u64) as usize].to_owned())
                .collect();
            AgentLoad {
                id,
                presence,
                max_concurrent: CAPACITY,
                load: rng.weighted(&[(30, 3), (30, 2), (20, 1), (20, 0)]),
                last_activity_ms: now_ms - rng.below(600_000),
                languages: rng
                    .weighted(&AGENT_LANGUAGES)
                    .iter()
                    .map(|l| (*l).to_owned())
                    .collect(),
                skills,
            }
        })
        .collect();
    let mut queue: Vec<Waiting> = (0..waiting)
        .map(|i| {
            let site = rng.below(SITES as u64) as usize;
            let team = match rng.below(100) {
                0..70 => Some(TEAMS[rng.below(TEAMS.len() as u64) as usize].to_owned()),
                70..75 => Some("retired".to_owned()),
                _ => None,
            };
            let created_at_ms = now_ms - rng.below(600_000);
            let returned = u32::from(rng.percent(3));
            let route = Route {
                language: rng.weighted(&VISITOR_LANGUAGES).map(str::to_owned),
                team,
                skill: rng
                    .percent(25)
                    .then(|| SKILLS[rng.below(SKILLS.len() as u64) as usize].to_owned()),
                priority: rng.weighted(&[
                    (80, Priority::Normal),
                    (12, Priority::Identified),
                    (8, Priority::Attribute),
                ]),
                offline: rng.percent(3),
                returned,
                queued_at_ms: created_at_ms + u64::from(returned) * rng.below(60_000),
                ..Route::default()
            };
            Waiting {
                id: ConversationId(format!("conv-{i:06}")),
                site: sites[site].clone(),
                route,
                created_at_ms,
            }
        })
        .collect();
    // The store keeps the queue in arrival order.
    queue.sort_by_key(|w| w.created_at_ms);
    World {
        snapshot: RoutingSnapshot {
            agents,
            waiting: queue,
        },
        policies: Policies::from_sites(sites.iter().zip(&routing)),
        now_ms,
    }
}

/// A plan the store would accept in full: each conversation once, from
/// the live queue, and no agent away or over capacity.
pub fn check_plan(snapshot: &RoutingSnapshot, plan: &[Decision]) -> anyhow::Result<()> {
    let mut planned: HashMap<&ConversationId, u32> = live_queue(&snapshot.waiting)
        .into_iter()
        .map(|w| (&w.id, 0))
        .collect();
    let mut taken: HashMap<&AgentId, u32> = HashMap::new();
    for d in plan {
        let Some(times) = planned.get_mut(&d.conversation) else {
            anyhow::bail!("{} is not in the live queue", d.conversation);
        };
        *times += 1;
        anyhow::ensure!(*times == 1, "{} planned twice", d.conversation);
        *taken.entry(&d.agent).or_default() += 1;
    }
    let agents: HashMap<&AgentId, &AgentLoad> =
        snapshot.agents.iter().map(|a| (&a.id, a)).collect();
    for (agent, count) in taken {
        let Some(a) = agents.get(agent) else {
            anyhow::bail!("{agent} is not in the snapshot");
        };
        anyhow::ensure!(a.presence == Presence::Online, "{agent} is not online");
        anyhow::ensure!(
            a.load + count <= a.max_concurrent,
            "{agent}: {} + {count} over {}",
            a.load,
            a.max_concurrent
        );
    }
    Ok(())
}

fn free_slots(snapshot: &RoutingSnapshot) -> u32 {
    snapshot
        .agents
        .iter()
        .filter(|a| a.can_take())
        .map(|a| a.max_concurrent - a.load)
        .sum()
}

fn fmt_ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// Plans `world` `runs` times; checks every plan; returns a table row.
fn measure(label: &str, world: &World, runs: usize) -> anyhow::Result<String> {
    let mut times = Vec::with_capacity(runs);
    let mut last = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let plan = plan_assignments(&world.snapshot, &world.policies, world.now_ms);
        times.push(started.elapsed());
        check_plan(&world.snapshot, &plan)?;
        anyhow::ensure!(last.is_empty() || last == plan, "{label}: plans differ");
        last = plan;
    }
    times.sort();
    let count = |m: Match| last.iter().filter(|d| d.matched == m).count();
    let online = world
        .snapshot
        .agents
        .iter()
        .filter(|a| a.presence == Presence::Online)
        .count();
    Ok(format!(
        "| {label} | {} | {} ({online} online) | {} | {} | {} / {} / {} | {} | {} |\n",
        world.snapshot.waiting.len(),
        world.snapshot.agents.len(),
        free_slots(&world.snapshot),
        last.len(),
        count(Match::Exact),
        count(Match::Team),
        count(Match::Anyone),
        fmt_ms(times[times.len() / 2]),
        fmt_ms(times[times.len() - 1]),
    ))
}

/// `loadgen routing`: plan a synthetic queue `runs` times per case, report.
pub fn routing(waiting: usize, agents: usize, runs: usize) -> anyhow::Result<String> {
    let typical = synthetic(waiting, agents, 0x0014_5EED);
    let mut full = typical.clone();
    for a in &mut full.snapshot.agents {
        a.presence = Presence::Online;
        a.load = a.max_concurrent;
    }
    let mut freed = full.clone();
    if let Some(a) = freed.snapshot.agents.first_mut() {
        a.load -= 1;
    }
    let mut out = format!(
        "### Routing plan: {waiting} waiting × {agents} agents, {SITES} sites × {} teams, {runs} runs per case\n\n\
         | case | waiting | agents | free slots | decisions | exact / team / anyone | p50 ms | max ms |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
        TEAMS.len()
    );
    out.push_str(&measure("typical", &typical, runs)?);
    out.push_str(&measure("full house", &full, runs)?);
    out.push_str(&measure("one agent freed", &freed, runs)?);
    // The floor under any plan that has capacity: ordering the queue.
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let started = Instant::now();
            let queue = live_queue(&typical.snapshot.waiting);
            std::hint::black_box(queue.len());
            started.elapsed()
        })
        .collect();
    times.sort();
    writeln!(
        out,
        "\nOrdering the queue alone (`live_queue`): p50 {} ms, max {} ms. Load average (1 min): {:.2}.",
        fmt_ms(times[times.len() / 2]),
        fmt_ms(times[times.len() - 1]),
        load_average()
    )?;
    Ok(out)
}
