//! What routing says on a conversation when it did something an agent
//! should know: it widened past the language, skill or team asked for, or
//! it took the conversation back from an agent. Private notes (agents
//! only), so they follow the customer's record like any note.

use shared::routing::Match;

use super::ConversationService;
use crate::store::Conversation;

/// The author name routing's notes carry.
pub const ROUTING: &str = "Routing";

/// Why a conversation went back to the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// Not answered within this many seconds.
    NoAnswer(u32),
    /// The agent went offline for this many seconds.
    AgentOffline(u32),
}

impl ConversationService {
    pub(super) async fn note_if_widened(&self, conversation: &Conversation) {
        let Some(text) = widened_text(conversation, self.team_name(conversation).await) else {
            return;
        };
        self.routing_note(conversation, &text).await;
    }

    pub(super) async fn note_returned(
        &self,
        conversation: &Conversation,
        agent_name: &str,
        why: Returned,
    ) {
        let text = match why {
            Returned::NoAnswer(secs) => format!(
                "Returned to the front of the queue: {agent_name} did not answer within {secs} s."
            ),
            Returned::AgentOffline(secs) => format!(
                "Returned to the front of the queue: {agent_name} was offline for {secs} s."
            ),
        };
        self.routing_note(conversation, &text).await;
    }

    async fn team_name(&self, conversation: &Conversation) -> Option<String> {
        let team = conversation.route.team.as_deref()?;
        let site = self.assigner.site(&conversation.site).await.ok()??;
        site.routing.team(team).map(|t| t.name.clone())
    }

    async fn routing_note(&self, conversation: &Conversation, text: &str) {
        if let Err(e) = self
            .record_note(conversation, Some(ROUTING.to_owned()), text)
            .await
        {
            tracing::warn!(conversation = %conversation.id, error = %e, "routing note not recorded");
        }
    }
}

/// The note for a widened assignment; `None` when nothing was dropped.
fn widened_text(conversation: &Conversation, team_name: Option<String>) -> Option<String> {
    let route = &conversation.route;
    let asked = match (&route.language, &route.skill) {
        (Some(lang), Some(skill)) => format!("speaking {lang} with the skill {skill}"),
        (Some(lang), None) => format!("speaking {lang}"),
        (None, Some(skill)) => format!("with the skill {skill}"),
        (None, None) => "matching".to_owned(),
    };
    let team = team_name.or_else(|| route.team.clone());
    match (route.matched?, team) {
        (Match::Exact, _) => None,
        (Match::Team, Some(team)) => Some(format!(
            "Routing widened: no agent {asked} was free in time; routed within team {team}."
        )),
        (Match::Team, None) => Some(format!(
            "Routing widened: no agent {asked} was free in time; routed to any agent."
        )),
        (Match::Anyone, Some(team)) => Some(format!(
            "Routing widened: nobody in team {team} was free in time; routed to any agent."
        )),
        (Match::Anyone, None) => Some(format!(
            "Routing widened: no agent {asked} was free in time; routed to any agent."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::routing::Route;

    fn conversation(route: Route) -> Conversation {
        let visitor = crate::store::VisitorRecord {
            id: "v1".into(),
            site: "s".into(),
            token_hash: String::new(),
            created_at_ms: 0,
        };
        let mut c = Conversation::new_waiting("c1".into(), &visitor, 1, 0);
        c.route = route;
        c
    }

    #[test]
    fn widened_notes_say_what_was_dropped() {
        let exact = conversation(Route {
            language: Some("fa".into()),
            matched: Some(Match::Exact),
            ..Route::default()
        });
        assert_eq!(widened_text(&exact, None), None);
        let team = conversation(Route {
            language: Some("fa".into()),
            team: Some("billing".into()),
            matched: Some(Match::Team),
            ..Route::default()
        });
        let text = widened_text(&team, Some("Billing".into())).unwrap();
        assert!(
            text.contains("speaking fa") && text.contains("team Billing"),
            "{text}"
        );
        let anyone = conversation(Route {
            team: Some("billing".into()),
            matched: Some(Match::Anyone),
            ..Route::default()
        });
        let text = widened_text(&anyone, None).unwrap();
        assert!(text.contains("nobody in team billing"), "{text}");
        assert_eq!(widened_text(&conversation(Route::default()), None), None);
    }
}
