//! Taking conversations back from agents who cannot serve them: one not
//! answered within its deadline (the team's, else the site's), or whose
//! agent has been offline past the site's grace, goes back to the front
//! of the queue and is routed again. The store's `requeue` re-checks each
//! case atomically (still this agent's, still unanswered since the same
//! assignment), so a reply that lands first wins, and racing nodes return
//! a conversation once. Runs on every node's routing sweep.

use std::collections::HashMap;
use std::sync::Mutex;

use shared::routing::SiteRouting;
use shared::{AgentId, Presence};

use super::routing_notes::Returned;
use super::{ConversationService, ServiceResult};
use crate::store::{Conversation, StoreError};

/// When this node first saw each agent offline (a reload or a short
/// network drop must not cost an agent their conversations).
#[derive(Debug, Default)]
pub struct OfflineSeen(Mutex<HashMap<AgentId, u64>>);

impl OfflineSeen {
    /// Records `presence` at `now`; returns since when the agent has been
    /// offline, if it is.
    fn observe(&self, agent: &AgentId, presence: Presence, now: u64) -> Option<u64> {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if presence == Presence::Offline {
            Some(*seen.entry(agent.clone()).or_insert(now))
        } else {
            seen.remove(agent);
            None
        }
    }
}

/// What to do with one assigned conversation now.
fn verdict(
    conversation: &Conversation,
    routing: &SiteRouting,
    offline_since: Option<u64>,
    now: u64,
) -> Option<(Option<u64>, Returned)> {
    let grace = routing.offline_grace_secs;
    if let Some(since) = offline_since {
        if grace > 0 && now.saturating_sub(since) >= secs_ms(grace) {
            return Some((None, Returned::AgentOffline(grace)));
        }
    }
    let deadline = conversation
        .route
        .team
        .as_deref()
        .and_then(|team| routing.team(team))
        .and_then(|team| team.answer_within_secs)
        .unwrap_or(routing.answer_within_secs);
    let assigned_at = conversation.assigned_at_ms?;
    (deadline > 0
        && conversation.unanswered()
        && now.saturating_sub(assigned_at) >= secs_ms(deadline))
    .then_some((Some(assigned_at), Returned::NoAnswer(deadline)))
}

fn secs_ms(secs: u32) -> u64 {
    u64::from(secs) * 1000
}

impl ConversationService {
    /// Returns overdue conversations to the queue and routes again;
    /// answers how many went back.
    pub async fn reassign_overdue(&self) -> ServiceResult<usize> {
        let assigned = self.store.assigned_conversations().await?;
        let now = self.clock.now_ms();
        let mut presence = HashMap::new();
        let mut returned = 0;
        for conversation in assigned {
            let Some(agent) = conversation.agent.clone() else {
                continue;
            };
            let Some(site) = self.assigner.site(&conversation.site).await? else {
                continue;
            };
            if !presence.contains_key(&agent) {
                let status = self.store.agent_status(&agent).await?;
                presence.insert(agent.clone(), status.presence);
            }
            let offline_since = self.offline_seen.observe(&agent, presence[&agent], now);
            let Some((unanswered_since, why)) =
                verdict(&conversation, &site.routing, offline_since, now)
            else {
                continue;
            };
            match self
                .store
                .requeue(&conversation.id, &agent, unanswered_since, now)
                .await
            {
                Ok(back) => {
                    returned += 1;
                    let name = conversation.agent_name.as_deref().unwrap_or("The agent");
                    tracing::info!(conversation = %back.id, agent = %agent, reason = ?why, "returned to the queue");
                    self.publisher.changed(&back, Some(agent.clone())).await;
                    self.note_returned(&back, name, why).await;
                }
                // Answered, closed or moved meanwhile: nothing to do.
                Err(StoreError::Conflict(_) | StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if returned > 0 {
            self.assign_waiting(true).await?;
        }
        Ok(returned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::routing::Team;
    use shared::ConversationStatus;

    fn assigned(at: u64, replied: Option<u64>, team: Option<&str>) -> Conversation {
        let visitor = crate::store::VisitorRecord {
            id: "v1".into(),
            site: "s".into(),
            token_hash: String::new(),
            created_at_ms: 0,
        };
        let mut c = Conversation::new_waiting("c1".into(), &visitor, 1, 0);
        c.status = ConversationStatus::Assigned;
        c.agent = Some("a1".into());
        c.assigned_at_ms = Some(at);
        c.agent_replied_at_ms = replied;
        c.route.team = team.map(Into::into);
        c
    }

    fn routing(answer: u32, grace: u32) -> SiteRouting {
        SiteRouting {
            answer_within_secs: answer,
            offline_grace_secs: grace,
            teams: vec![Team {
                id: "fast".into(),
                name: "Fast".into(),
                members: vec![],
                hours: None,
                answer_within_secs: Some(5),
            }],
            ..SiteRouting::default()
        }
    }

    #[test]
    fn unanswered_past_the_deadline_goes_back() {
        let c = assigned(1_000, None, None);
        assert_eq!(verdict(&c, &routing(30, 0), None, 30_999), None);
        assert_eq!(
            verdict(&c, &routing(30, 0), None, 31_000),
            Some((Some(1_000), Returned::NoAnswer(30)))
        );
        // Answered after it was assigned: stays.
        let answered = assigned(1_000, Some(2_000), None);
        assert_eq!(verdict(&answered, &routing(30, 0), None, 99_000), None);
        // A reply from before this assignment (another agent's) does not count.
        let stale = assigned(5_000, Some(2_000), None);
        assert!(verdict(&stale, &routing(30, 0), None, 99_000).is_some());
        // 0 means never.
        assert_eq!(verdict(&c, &routing(0, 0), None, 9_999_000), None);
    }

    #[test]
    fn the_teams_deadline_wins_over_the_sites() {
        let c = assigned(0, None, Some("fast"));
        assert_eq!(
            verdict(&c, &routing(300, 0), None, 5_000),
            Some((Some(0), Returned::NoAnswer(5)))
        );
    }

    #[test]
    fn offline_past_the_grace_goes_back_answered_or_not() {
        let answered = assigned(0, Some(10), None);
        assert_eq!(
            verdict(&answered, &routing(0, 60), Some(1_000), 60_999),
            None
        );
        assert_eq!(
            verdict(&answered, &routing(0, 60), Some(1_000), 61_000),
            Some((None, Returned::AgentOffline(60)))
        );
        assert_eq!(verdict(&answered, &routing(0, 0), Some(0), 9_999_000), None);
    }

    #[test]
    fn offline_is_counted_from_the_first_sighting() {
        let seen = OfflineSeen::default();
        let a: AgentId = "a1".into();
        assert_eq!(seen.observe(&a, Presence::Offline, 100), Some(100));
        assert_eq!(seen.observe(&a, Presence::Offline, 900), Some(100));
        assert_eq!(seen.observe(&a, Presence::Online, 950), None);
        assert_eq!(seen.observe(&a, Presence::Offline, 990), Some(990));
    }
}
