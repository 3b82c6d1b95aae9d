//! A seeded synthetic world shaped like a busy deployment (sites, teams,
//! languages, skills, priorities, agents part-loaded), so the criterion
//! bench and the load generator measure the planner on the very same
//! snapshot instead of two generators drifting apart. Not used by the
//! relay itself; it needs nothing beyond what routing already uses.

use shared::routing::{Priority, Route, SiteRouting, Team};
use shared::{AgentId, ConversationId, Presence, SiteId};

use crate::seeded::Seeded;

use super::{AgentLoad, Policies, RoutingSnapshot, Waiting};

/// The world the loadgen scenario and the criterion bench both plan.
pub const SEED: u64 = 0x0014_5EED;
pub const SITES: usize = 4;
pub const TEAMS: [&str; 5] = ["sales", "billing", "support", "returns", "tech"];
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
/// each; three sites widen after a minute, one never. The same `seed`
/// gives the same world on every run and machine.
pub fn synthetic(waiting: usize, agents: usize, seed: u64) -> World {
    let mut rng = Seeded::new(seed);
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
                let other = rng.index(TEAMS.len());
                home.teams[other].members.push(id.clone());
            }
            let presence = rng.weighted(&[
                (80, Presence::Online),
                (10, Presence::Away),
                (10, Presence::Offline),
            ]);
            let skills = (0..rng.below(3))
                .map(|_| rng.pick(&SKILLS).to_owned())
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
            let site = rng.index(SITES);
            let team = match rng.below(100) {
                0..70 => Some(rng.pick(&TEAMS).to_owned()),
                70..75 => Some("retired".to_owned()),
                _ => None,
            };
            let created_at_ms = now_ms - rng.below(600_000);
            let returned = u32::from(rng.percent(3));
            let route = Route {
                language: rng.weighted(&VISITOR_LANGUAGES).map(str::to_owned),
                team,
                skill: rng.percent(25).then(|| rng.pick(&SKILLS).to_owned()),
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
