//! The walk down the live queue that turns a snapshot into decisions; the
//! index makes each step a few bitset scans, so a long queue with little
//! capacity costs little more than ordering it.

use super::index::AgentIndex;
use super::order::LiveOrder;
use super::{Decision, Policies, RoutingSnapshot, SitePolicy, Waiting};

/// Assignments for as much of the live queue as capacity allows, in queue
/// order. Each decision counts toward the chosen agent's load (and
/// activity) before the next one is made, as if the earlier ones had been
/// applied.
pub fn plan_assignments(
    snapshot: &RoutingSnapshot,
    policies: &Policies,
    now_ms: u64,
) -> Vec<Decision> {
    // A full house is the common case under load: don't even order the queue.
    if !snapshot.agents.iter().any(|a| a.can_take()) {
        return Vec::new();
    }
    let mut index = AgentIndex::new(&snapshot.agents);
    let mut plan = Vec::new();
    for waiting in LiveOrder::new(&snapshot.waiting) {
        if index.available() == 0 {
            break;
        }
        let site = index.site(&waiting.site, policies);
        let widest = widest_stage(waiting, site.policy, now_ms);
        let wants = index.wants(waiting, site);
        // The agent it was taken back from, only if nobody else fits.
        let avoid = waiting
            .route
            .returned_from
            .as_ref()
            .and_then(|agent| index.number_of(agent));
        let found = index
            .find(&wants, widest, avoid)
            .or_else(|| avoid.and_then(|_| index.find(&wants, widest, None)));
        if let Some((number, matched)) = found {
            index.take(number, now_ms);
            plan.push(Decision {
                conversation: waiting.id.clone(),
                agent: index.id(number).clone(),
                matched,
            });
        }
    }
    plan
}

/// How far routing may widen for `waiting` by now: 0 asks everything of
/// the agent, 1 only the team, 2 nothing.
fn widest_stage(waiting: &Waiting, policy: Option<&SitePolicy>, now_ms: u64) -> usize {
    let widen_after = policy.map_or(0, |p| p.widen_after_ms);
    if widen_after == 0 {
        return 0;
    }
    let waited = now_ms.saturating_sub(waiting.queued_at_ms());
    if waited >= widen_after.saturating_mul(2) {
        2
    } else if waited >= widen_after {
        1
    } else {
        0
    }
}
