//! Why a conversation is where it is: the queue in two (live, and the
//! offline messages that wait to be taken by hand), and for each
//! conversation the facts routing used (language, topic, team), why it
//! stands where it does in the queue, and how far routing widened to find
//! its agent. Topic labels, team names and the priority attribute come
//! from the site's settings when the console has them, else the ids.
//! The catalog words these (`i18n/routing.rs`).

use shared::routing::{AttributeRule, Match, Priority};
use shared::{ConversationId, ConversationSummary};

use super::Model;

/// Why a waiting conversation stands where it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Why {
    /// Went back to the queue this many times (not answered, agent gone).
    Returned(u32),
    /// The contact has the site's priority attribute (when known).
    Attribute(Option<AttributeRule>),
    Identified,
    /// Arrival order.
    Arrival,
}

/// What routing asked and found, as the console tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RouteView {
    /// BCP 47 tag.
    pub(crate) language: Option<String>,
    /// The topic's label (its id when the settings are unknown).
    pub(crate) topic: Option<String>,
    /// The team's name (its id when unknown).
    pub(crate) team: Option<String>,
    pub(crate) skill: Option<String>,
    pub(crate) why: Why,
    /// When it last entered the queue.
    pub(crate) since_ms: u64,
    pub(crate) offline: bool,
    /// How its agent was found; `None` while waiting or not routed.
    pub(crate) matched: Option<Match>,
}

impl Model {
    pub(crate) fn route_view(&self, summary: &ConversationSummary) -> RouteView {
        let route = &summary.route;
        let settings = self.routing.sites.get(&summary.site).map(|s| &s.routing);
        let team_name = |id: &String| {
            settings
                .and_then(|s| s.team(id))
                .map_or_else(|| id.clone(), |t| t.name.clone())
        };
        let why = if route.returned > 0 {
            Why::Returned(route.returned)
        } else {
            match route.priority {
                Priority::Attribute => {
                    Why::Attribute(settings.and_then(|s| s.priority.attribute.clone()))
                }
                Priority::Identified => Why::Identified,
                Priority::Normal => Why::Arrival,
            }
        };
        RouteView {
            language: route.language.clone(),
            topic: route.topic.as_ref().map(|id| {
                settings
                    .and_then(|s| s.topic(id))
                    .map_or_else(|| id.clone(), |t| t.label.clone())
            }),
            team: route.team.as_ref().map(team_name),
            skill: route.skill.clone(),
            why,
            since_ms: if route.queued_at_ms > 0 {
                route.queued_at_ms
            } else {
                summary.created_at_ms
            },
            offline: route.offline,
            matched: route.matched,
        }
    }

    /// A waiting conversation left through the offline form (not the agent's).
    fn offline_waiting(&self, id: &ConversationId) -> bool {
        self.convs
            .get(id)
            .is_some_and(|c| !c.mine && c.summary.route.offline)
    }

    /// The live queue, in the relay's routing order; offline messages are
    /// not in it.
    pub(crate) fn live_queue(&self) -> Vec<ConversationId> {
        self.queue
            .iter()
            .filter(|id| self.convs.get(*id).is_some_and(|c| !c.mine))
            .filter(|id| !self.offline_waiting(id))
            .cloned()
            .collect()
    }

    /// "Offline messages": waiting to be taken by hand, in the relay's order.
    pub(crate) fn offline_messages(&self) -> Vec<ConversationId> {
        self.queue
            .iter()
            .filter(|id| self.offline_waiting(id))
            .cloned()
            .collect()
    }
}
