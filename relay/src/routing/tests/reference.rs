//! The indexed planner must decide exactly what the policy says, read
//! literally: a naive planner that scans every agent for every
//! conversation, compared on many seeded random snapshots.

use shared::lang::primary_language;
use shared::routing::{Match, Priority, Route};
use shared::{AgentId, ConversationId, Presence, SiteId};

use super::*;
use crate::seeded::Seeded;

/// The policy as written, O(waiting × agents).
fn naive(snapshot: &RoutingSnapshot, policies: &Policies, now_ms: u64) -> Vec<Decision> {
    let mut agents = snapshot.agents.clone();
    let mut plan = Vec::new();
    for w in live_queue(&snapshot.waiting) {
        if !agents.iter().any(AgentLoad::can_take) {
            break;
        }
        let policy = policies.site(&w.site);
        let widen = policy.map_or(0, |p| p.widen_after_ms);
        let since = match w.route.queued_at_ms {
            0 => w.created_at_ms,
            at => at,
        };
        let age = now_ms.saturating_sub(since);
        let widest = match widen {
            0 => 0,
            _ if age >= 2 * widen => 2,
            _ if age >= widen => 1,
            _ => 0,
        };
        let team = w.route.team.as_ref().and_then(|t| policy?.teams.get(t));
        let language = w
            .route
            .language
            .as_deref()
            .map(primary_language)
            .filter(|l| !l.is_empty());
        let in_team = |a: &AgentLoad| team.is_none_or(|members| members.contains(&a.id));
        let speaks = |a: &AgentLoad| match &language {
            None => true,
            Some(l) => {
                a.languages.is_empty() || a.languages.iter().any(|x| primary_language(x) == *l)
            }
        };
        let skilled = |a: &AgentLoad| w.route.skill.as_ref().is_none_or(|s| a.skills.contains(s));
        let stages: [(Match, Fits); 3] = [
            (Match::Exact, &|a| in_team(a) && speaks(a) && skilled(a)),
            (Match::Team, &in_team),
            (Match::Anyone, &|_| true),
        ];
        // Everyone but the agent it was taken back from at every stage,
        // then that agent too.
        let avoid = w.route.returned_from.as_ref();
        let passes = [avoid, None]
            .into_iter()
            .take(1 + usize::from(avoid.is_some()));
        let tries =
            passes.flat_map(|avoid| stages.iter().take(widest + 1).map(move |s| (avoid, s)));
        for (avoid, (matched, fits)) in tries {
            let fitting: Vec<AgentLoad> = agents
                .iter()
                .filter(|a| fits(a) && Some(&a.id) != avoid)
                .cloned()
                .collect();
            let Some(chosen) = choose_agent(&fitting).map(|a| a.id.clone()) else {
                continue;
            };
            let taken = agents.iter_mut().find(|a| a.id == chosen).unwrap();
            taken.load += 1;
            taken.last_activity_ms = now_ms;
            plan.push(Decision {
                conversation: w.id.clone(),
                agent: chosen,
                matched: *matched,
            });
            break;
        }
    }
    plan
}

type Fits<'f> = &'f dyn Fn(&AgentLoad) -> bool;

/// Up to `most` draws from `from`.
fn some<T: Clone>(rng: &mut Seeded, from: &[T], most: u64) -> Vec<T> {
    (0..rng.below(most + 1)).map(|_| rng.pick(from)).collect()
}

const NOW: u64 = 100_000;
const LANGUAGES: [&str; 5] = ["en", "fa", "fa-IR", "de", "EN-us"];
const SKILLS: [&str; 3] = ["vat", "refunds", "api"];

fn random_case(rng: &mut Seeded) -> (RoutingSnapshot, Policies) {
    let mut ids: Vec<String> = (0..10).map(|i| format!("a{i}")).collect();
    let mut agents = Vec::new();
    for _ in 0..rng.below(9) {
        let id = ids.remove(rng.index(ids.len()));
        let presence = rng.pick(&[Presence::Online, Presence::Online, Presence::Away]);
        let (max, load) = (rng.below(4) as u32, rng.below(4) as u32);
        let mut a = agent(&id, presence, max, load, rng.pick(&[0, 10, 20, NOW + 5]));
        a.languages = some(rng, &LANGUAGES, 2)
            .into_iter()
            .map(Into::into)
            .collect();
        a.skills = some(rng, &SKILLS, 2).into_iter().map(Into::into).collect();
        agents.push(a);
    }
    let mut policies = Policies::default();
    for site in ["s1", "s2"] {
        let team = |rng: &mut Seeded| {
            let members = (0..rng.below(5)).map(|_| AgentId(format!("a{}", rng.below(11))));
            members.collect()
        };
        let teams = [("sales", team(rng)), ("billing", team(rng))];
        let policy = SitePolicy {
            teams: teams.into_iter().map(|(t, m)| (t.to_owned(), m)).collect(),
            widen_after_ms: rng.pick(&[0, 1_000, 5_000]),
        };
        policies.insert(SiteId::from(site), policy);
    }
    let waiting = (0..rng.below(16))
        .map(|i| {
            let route = Route {
                language: rng
                    .pick(&[None, Some("en"), Some("fa-IR"), Some("ru"), Some("")])
                    .map(Into::into),
                team: rng
                    .pick(&[None, Some("sales"), Some("billing"), Some("gone")])
                    .map(Into::into),
                skill: rng
                    .pick(&[None, None, Some("vat"), Some("api"), Some("nobody")])
                    .map(Into::into),
                priority: rng.pick(&[Priority::Normal, Priority::Identified, Priority::Attribute]),
                offline: rng.below(10) == 0,
                returned: rng.pick(&[0, 0, 0, 2]),
                returned_from: rng
                    .pick(&[None, None, Some(0), Some(1), Some(2), Some(3)])
                    .map(|i| AgentId(format!("a{i}"))),
                queued_at_ms: rng.pick(&[0, NOW - 999, NOW - 1_000, NOW - 2_000, NOW - 9_000]),
                ..Route::default()
            };
            Waiting {
                id: ConversationId(format!("c{i}")),
                site: SiteId::from(rng.pick(&["s1", "s2", "s3"])),
                route,
                created_at_ms: rng.pick(&[0, NOW - 4_000, NOW]),
            }
        })
        .collect();
    (RoutingSnapshot { agents, waiting }, policies)
}

#[test]
fn the_indexed_planner_decides_as_the_naive_one() {
    let mut rng = Seeded::new(0x0005_EED0_0014);
    let (mut decisions, mut widened) = (0, 0);
    for case in 0..5_000 {
        let (snapshot, policies) = random_case(&mut rng);
        let expected = naive(&snapshot, &policies, NOW);
        let got = plan_assignments(&snapshot, &policies, NOW);
        assert_eq!(got, expected, "case {case}: {snapshot:#?}\n{policies:#?}");
        decisions += got.len();
        widened += got.iter().filter(|d| d.matched != Match::Exact).count();
    }
    // The random cases exercise what they should.
    assert!(
        decisions > 5_000 && widened > 500,
        "{decisions} decisions, {widened} widened"
    );
}

#[test]
fn the_indexed_planner_decides_as_the_naive_one_on_a_busy_world() {
    // Hundreds of agents: bitsets span several words, agents are taken
    // several times, and the queue outlasts the capacity.
    for seed in [1, 2, 3] {
        let mut world = synthetic::synthetic(1_500, 300, seed);
        // Some taken back from an agent, to pass them over.
        let agents = world.snapshot.agents.len();
        for (i, w) in world.snapshot.waiting.iter_mut().enumerate().step_by(7) {
            let agent = &world.snapshot.agents[(i * 31) % agents];
            w.route.returned_from = Some(agent.id.clone());
        }
        let expected = naive(&world.snapshot, &world.policies, world.now_ms);
        let got = plan_assignments(&world.snapshot, &world.policies, world.now_ms);
        assert_eq!(got, expected, "seed {seed}");
        assert!(got.len() > 200, "seed {seed}: {} decisions", got.len());
    }
}

#[test]
fn the_queue_is_a_stable_sort_by_rank() {
    fn stable_sort(waiting: &[Waiting]) -> Vec<&Waiting> {
        let mut queue: Vec<&Waiting> = waiting.iter().filter(|w| !w.route.offline).collect();
        queue.sort_by_key(|w| std::cmp::Reverse(w.route.queue_rank()));
        queue
    }
    let mut rng = Seeded::new(0x0de7);
    let small = (0..500).map(|_| random_case(&mut rng).0.waiting);
    let big = [1, 2].map(|seed| synthetic::synthetic(3_000, 10, seed).snapshot.waiting);
    for waiting in small.chain(big) {
        let expected = stable_sort(&waiting);
        assert_eq!(live_queue(&waiting), expected);
        let lazy: Vec<&Waiting> = super::super::order::LiveOrder::new(&waiting).collect();
        assert_eq!(lazy, expected);
    }
}

#[test]
fn the_index_reads_languages_as_primary_language_does() {
    let tags = [
        "en",
        "EN-us",
        "fa_IR",
        " de ",
        "",
        "-x",
        "zh-Hant-TW",
        "Én-x",
        "\u{a0}pt-BR",
    ];
    for tag in tags {
        assert_eq!(
            super::super::index::primary(tag),
            primary_language(tag),
            "{tag:?}"
        );
    }
}
