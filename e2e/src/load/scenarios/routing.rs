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

use relay::routing::synthetic::{SEED, SITES, TEAMS};
use relay::routing::{live_queue, plan_assignments, AgentLoad, Decision, RoutingSnapshot};
use shared::routing::Match;
use shared::{AgentId, ConversationId, Presence};

use super::super::drive::load_average;

// The world lives in the relay so its criterion bench plans the same one.
pub use relay::routing::synthetic::{synthetic, World};

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
    let typical = synthetic(waiting, agents, SEED);
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
