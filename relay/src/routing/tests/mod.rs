//! The routing policy case by case, and against a literal reading of it.
//!
//! - [`choice`]: who goes first and which agent gets them.
//! - [`matching`]: languages, skills, teams, and widening.
//! - [`reference`]: the indexed planner against a naive one.

mod choice;
mod matching;
mod reference;

use shared::routing::{Match, Route};
use shared::{AgentId, ConversationId, Presence, SiteId};

use super::*;

fn agent(id: &str, presence: Presence, max: u32, load: u32, idle: u64) -> AgentLoad {
    AgentLoad {
        id: AgentId::from(id),
        presence,
        max_concurrent: max,
        load,
        last_activity_ms: idle,
        languages: vec![],
        skills: vec![],
    }
}

fn online(id: &str, free: u32) -> AgentLoad {
    agent(id, Presence::Online, free, 0, 0)
}

fn speaking(mut a: AgentLoad, languages: &[&str]) -> AgentLoad {
    a.languages = languages.iter().map(|l| (*l).to_owned()).collect();
    a
}

fn skilled(mut a: AgentLoad, skills: &[&str]) -> AgentLoad {
    a.skills = skills.iter().map(|s| (*s).to_owned()).collect();
    a
}

fn conv(id: &str, route: Route) -> Waiting {
    Waiting {
        id: ConversationId::from(id),
        site: SiteId::from("s"),
        route,
        created_at_ms: 0,
    }
}

fn plain(ids: &[&str]) -> Vec<Waiting> {
    ids.iter().map(|c| conv(c, Route::default())).collect()
}

fn in_language(language: &str) -> Route {
    Route {
        language: Some(language.into()),
        ..Route::default()
    }
}

/// Site `s` with `teams` (id, members) widening after `widen_after_ms`.
fn policies(teams: &[(&str, &[&str])], widen_after_ms: u64) -> Policies {
    let mut policies = Policies::default();
    let teams = teams
        .iter()
        .map(|(id, members)| {
            let members = members.iter().map(|m| AgentId::from(*m)).collect();
            ((*id).to_owned(), members)
        })
        .collect();
    let policy = SitePolicy {
        teams,
        widen_after_ms,
    };
    policies.insert(SiteId::from("s"), policy);
    policies
}

fn plan(agents: Vec<AgentLoad>, waiting: Vec<Waiting>, p: &Policies, now: u64) -> Vec<Decision> {
    plan_assignments(&RoutingSnapshot { agents, waiting }, p, now)
}

fn pairs(plan: &[Decision]) -> Vec<(&str, &str, Match)> {
    plan.iter()
        .map(|d| (d.conversation.as_str(), d.agent.as_str(), d.matched))
        .collect()
}
