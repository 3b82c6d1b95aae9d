//! An admin setting an agent's languages, skills and capacity from the
//! routing panel: typed as comma-separated lists, checked as the relay
//! checks them (a bad language tag is told as such), and confirmed by the
//! `agents` list the relay answers with, matched by content as access
//! changes are in `account.rs` (a list asked for earlier may come first).

use shared::routing::{check_agent_routing, RoutingProblem};
use shared::{AgentFrame, AgentId};

use super::requests::Request;
use super::routing::{RoutingAsk, RoutingNote, MAX_CAPACITY};
use super::routing_form::{split_list, FormProblem};
use super::Model;

impl Model {
    /// An admin's "Save" of an agent's languages, skills and capacity,
    /// as typed (comma-separated lists).
    pub(crate) fn set_agent_routing(
        &mut self,
        agent: &AgentId,
        languages: &str,
        skills: &str,
        capacity: &str,
    ) -> Option<AgentFrame> {
        if !self.can_edit_routing() || self.agent_routing_saving(agent) {
            return None;
        }
        let (languages, skills) = (split_list(languages), split_list(skills));
        let capacity = capacity.trim().parse::<u32>().ok();
        let problem = match (check_agent_routing(&languages, &skills), capacity) {
            (Err(RoutingProblem::BadId(tag)), _) if languages.contains(&tag) => {
                Some(FormProblem::Language(tag))
            }
            (Err(problem), _) => Some(FormProblem::Routing(problem)),
            (Ok(()), Some(1..=MAX_CAPACITY)) => None,
            (Ok(()), _) => Some(FormProblem::Capacity),
        };
        if let Some(problem) = problem {
            self.routing.admin.agent_note = Some((agent.clone(), RoutingNote::Invalid(problem)));
            return None;
        }
        let max_concurrent = capacity.unwrap_or(1);
        self.routing.admin.agent_note = None;
        self.requests.push(Request::Routing(RoutingAsk::Agent {
            agent: agent.clone(),
            languages: languages.clone(),
            skills: skills.clone(),
            max_concurrent,
        }));
        Some(AgentFrame::SetAgentRouting {
            agent: agent.clone(),
            languages,
            skills,
            max_concurrent,
        })
    }

    pub(crate) fn agent_routing_saving(&self, agent: &AgentId) -> bool {
        self.requests.waiting(
            |r| matches!(r, Request::Routing(RoutingAsk::Agent { agent: a, .. }) if a == agent),
        )
    }

    /// After an `agents` list: each agent routing save it shows done ends
    /// (matched by content, as with access changes in `account.rs`).
    pub(super) fn agent_routing_done(&mut self) {
        loop {
            let agents = &self.agents;
            let done = self.requests.take(|r| {
                matches!(r, Request::Routing(RoutingAsk::Agent { agent, languages, skills, max_concurrent })
                    if agents.iter().any(|a| a.id == *agent && a.languages == *languages
                        && a.skills == *skills && a.max_concurrent == *max_concurrent))
            });
            let Some(Request::Routing(RoutingAsk::Agent { agent, .. })) = done else {
                break;
            };
            self.routing.admin.agent_note = Some((agent, RoutingNote::Saved));
        }
    }
}
