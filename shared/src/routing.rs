//! How a site routes its conversations, as its admins set it and as agents
//! and visitors see it: teams with members, the topics visitors pick,
//! when routing widens, when an unanswered conversation goes back to the
//! queue, who goes first; and what a conversation asks of routing
//! ([`Route`]). The relay decides with these (`relay::routing`); the
//! console edits and explains them; the widget offers the topics.

use serde::{Deserialize, Serialize};

use crate::hours::OpeningHours;
use crate::AgentId;

/// The longest team, topic or skill id, and the most of each per site.
pub const MAX_ID_CHARS: usize = 40;
pub const MAX_LABEL_CHARS: usize = 80;
pub const MAX_TEAMS: usize = 50;
pub const MAX_TOPICS: usize = 50;
pub const MAX_LANGUAGES: usize = 20;
pub const MAX_SKILLS: usize = 20;
pub const MAX_URL_RULES: usize = 20;
/// No routing setting waits longer than a day.
pub const MAX_SECS: u32 = 86_400;

/// A department: the agents who answer its conversations, and its own
/// hours and answer deadline when they differ from the site's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// A short slug (`billing`), unique per site.
    pub id: String,
    pub name: String,
    pub members: Vec<AgentId>,
    /// When this team answers; `None`: the site's hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<OpeningHours>,
    /// Seconds an assigned agent has to answer before the conversation
    /// goes back to the queue; `None`: the site's setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_within_secs: Option<u32>,
}

/// A reason to write that a visitor picks before the chat (or that the
/// page they are on implies), routed to a team and maybe a skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// A short slug (`refunds`), unique per site.
    pub id: String,
    /// What the visitor reads in the pre-chat choice.
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    /// The topic applies without asking when the visitor's page URL
    /// contains one of these (`/pricing`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub url_contains: Vec<String>,
}

/// A contact attribute that puts its conversations ahead (`plan=vip`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeRule {
    pub key: String,
    pub value: String,
}

/// Who is routed ahead of arrival order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityRules {
    /// Visitors identified by the site's signed token go first.
    #[serde(default)]
    pub identified: bool,
    /// Contacts with this attribute go before everyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<AttributeRule>,
}

/// A site's routing settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRouting {
    #[serde(default)]
    pub teams: Vec<Team>,
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// After this long with no matching agent, routing drops the
    /// language and skill (keeps the team); after twice this, the team
    /// too. 0: never widen.
    #[serde(default = "default_widen_after")]
    pub widen_after_secs: u32,
    /// An assigned agent who has not answered within this goes back to
    /// the queue. 0: never.
    #[serde(default)]
    pub answer_within_secs: u32,
    /// An agent offline this long loses their conversations to the queue
    /// (a reload or a short network drop keeps them). 0: never.
    #[serde(default = "default_offline_grace")]
    pub offline_grace_secs: u32,
    #[serde(default)]
    pub priority: PriorityRules,
    /// Offer the offline-message form when nobody can answer.
    #[serde(default = "yes")]
    pub offline_form: bool,
}

fn default_widen_after() -> u32 {
    60
}

fn default_offline_grace() -> u32 {
    60
}

fn yes() -> bool {
    true
}

impl Default for SiteRouting {
    fn default() -> Self {
        Self {
            teams: Vec::new(),
            topics: Vec::new(),
            widen_after_secs: default_widen_after(),
            answer_within_secs: 0,
            offline_grace_secs: default_offline_grace(),
            priority: PriorityRules::default(),
            offline_form: true,
        }
    }
}

/// Why routing settings were refused; names the offending item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoutingProblem {
    /// An id that is empty, too long, not a slug, or repeated.
    BadId(String),
    /// A label or name that is empty or too long.
    BadLabel(String),
    /// A topic names a team that does not exist.
    UnknownTeam(String),
    TooMany(&'static str),
    /// A setting over [`MAX_SECS`].
    TooLong(&'static str),
}

impl std::fmt::Display for RoutingProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadId(id) => write!(
                f,
                "{id:?} is not a usable id (1 to {MAX_ID_CHARS} of a-z, 0-9, '-', '_', unique)"
            ),
            Self::BadLabel(label) => {
                write!(f, "{label:?} must be 1 to {MAX_LABEL_CHARS} characters")
            }
            Self::UnknownTeam(team) => write!(f, "no team {team:?}"),
            Self::TooMany(what) => write!(f, "too many {what}"),
            Self::TooLong(what) => write!(f, "{what} is over a day"),
        }
    }
}

impl std::error::Error for RoutingProblem {}

/// A team, topic or skill id: a lower-case slug.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn label_ok(label: &str) -> bool {
    let n = label.trim().chars().count();
    (1..=MAX_LABEL_CHARS).contains(&n)
}

fn unique_slugs<'a>(ids: impl Iterator<Item = &'a str>) -> Result<(), RoutingProblem> {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if !is_slug(id) || !seen.insert(id) {
            return Err(RoutingProblem::BadId(id.to_owned()));
        }
    }
    Ok(())
}

impl SiteRouting {
    /// Checks ids, labels, references between topics and teams, and
    /// limits. Hours are checked by the relay (it holds the zone database).
    pub fn check(&self) -> Result<(), RoutingProblem> {
        if self.teams.len() > MAX_TEAMS {
            return Err(RoutingProblem::TooMany("teams"));
        }
        if self.topics.len() > MAX_TOPICS {
            return Err(RoutingProblem::TooMany("topics"));
        }
        for (value, name) in [
            (self.widen_after_secs, "widen_after_secs"),
            (self.answer_within_secs, "answer_within_secs"),
            (self.offline_grace_secs, "offline_grace_secs"),
        ] {
            if value > MAX_SECS {
                return Err(RoutingProblem::TooLong(name));
            }
        }
        unique_slugs(self.teams.iter().map(|t| t.id.as_str()))?;
        unique_slugs(self.topics.iter().map(|t| t.id.as_str()))?;
        for team in &self.teams {
            if !label_ok(&team.name) {
                return Err(RoutingProblem::BadLabel(team.name.clone()));
            }
            if team.answer_within_secs.is_some_and(|s| s > MAX_SECS) {
                return Err(RoutingProblem::TooLong("answer_within_secs"));
            }
        }
        for topic in &self.topics {
            if !label_ok(&topic.label) {
                return Err(RoutingProblem::BadLabel(topic.label.clone()));
            }
            if let Some(team) = &topic.team {
                if self.team(team).is_none() {
                    return Err(RoutingProblem::UnknownTeam(team.clone()));
                }
            }
            if let Some(skill) = &topic.skill {
                if !is_slug(skill) {
                    return Err(RoutingProblem::BadId(skill.clone()));
                }
            }
            if topic.url_contains.len() > MAX_URL_RULES
                || topic.url_contains.iter().any(|u| !label_ok(u))
            {
                return Err(RoutingProblem::TooMany("URL rules"));
            }
        }
        if let Some(rule) = &self.priority.attribute {
            if !label_ok(&rule.key) || !label_ok(&rule.value) {
                return Err(RoutingProblem::BadLabel(format!(
                    "{}={}",
                    rule.key, rule.value
                )));
            }
        }
        Ok(())
    }

    pub fn team(&self, id: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// The topic the visitor picked, or else the first whose URL rule
    /// matches the page they are on.
    pub fn topic_for(&self, picked: Option<&str>, page_url: Option<&str>) -> Option<&Topic> {
        if let Some(topic) = picked.and_then(|id| self.topic(id)) {
            return Some(topic);
        }
        let page = page_url?;
        self.topics.iter().find(|t| {
            t.url_contains
                .iter()
                .any(|part| page.contains(part.as_str()))
        })
    }

    /// What the widget offers in the pre-chat choice.
    pub fn choices(&self) -> Vec<TopicChoice> {
        self.topics
            .iter()
            .map(|t| TopicChoice {
                id: t.id.clone(),
                label: t.label.clone(),
            })
            .collect()
    }
}

/// An agent's languages and skills are checked the same way everywhere.
pub fn check_agent_routing(languages: &[String], skills: &[String]) -> Result<(), RoutingProblem> {
    if languages.len() > MAX_LANGUAGES {
        return Err(RoutingProblem::TooMany("languages"));
    }
    if skills.len() > MAX_SKILLS {
        return Err(RoutingProblem::TooMany("skills"));
    }
    for language in languages {
        if !crate::lang::is_language_tag(language) {
            return Err(RoutingProblem::BadId(language.clone()));
        }
    }
    unique_slugs(skills.iter().map(String::as_str))
}

/// A topic as the widget offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicChoice {
    pub id: String,
    pub label: String,
}

/// Why a conversation is routed ahead of arrival order.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    /// The visitor was identified by the site's signed token.
    Identified,
    /// The contact has the site's priority attribute.
    Attribute,
}

/// How far routing had to widen to find an agent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// Team, language and skill all matched (or none was asked).
    #[default]
    Exact,
    /// Only the team matched: no agent with the language or skill was free.
    Team,
    /// Anyone: nobody in the team was free.
    Anyone,
}

/// What a conversation asks of routing, set when it starts and carried
/// with it; agents see it (and why it is where it is in the queue).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The visitor's language (BCP 47), from the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    #[serde(default, skip_serializing_if = "is_normal")]
    pub priority: Priority,
    /// Left through the offline form: waits in "Offline messages" for an
    /// agent to take it, not in the live queue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub offline: bool,
    /// Times it went back to the queue (no answer, agent gone); a
    /// returned conversation goes to the front.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub returned: u32,
    /// The agent it was last taken back from: routing passes them over
    /// while anyone else who matches can take it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_from: Option<AgentId>,
    /// When it last entered the queue; widening counts from here.
    #[serde(default)]
    pub queued_at_ms: u64,
    /// How the current agent was found, once assigned by routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<Match>,
}

fn is_normal(p: &Priority) -> bool {
    *p == Priority::Normal
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Route {
    /// Sort key of the queue: returned conversations first, then by
    /// priority; equal keys keep arrival order (the sort is stable).
    pub fn queue_rank(&self) -> (bool, Priority) {
        (self.returned > 0, self.priority)
    }
}

/// The queue as everyone sees it: live conversations in routing order
/// (returned first, then by priority, then arrival: the sort is stable
/// over the store's arrival order), then the offline messages in arrival
/// order. One order for the relay's routing, the agents' queue and each
/// visitor's place, so what an agent sees is what routing does.
pub fn queue_order<T>(items: impl IntoIterator<Item = T>, route: impl Fn(&T) -> &Route) -> Vec<T> {
    let (mut live, offline): (Vec<T>, Vec<T>) =
        items.into_iter().partition(|item| !route(item).offline);
    live.sort_by_key(|item| std::cmp::Reverse(route(item).queue_rank()));
    live.extend(offline);
    live
}

/// Whether anyone can answer now, as the widget learns it in `welcome`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// Inside the site's hours.
    pub open: bool,
    /// Some agent is online with room for one more conversation.
    pub agents_available: bool,
    /// When the site next opens, if closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at_ms: Option<u64>,
    /// The widget should offer the offline-message form (closed, or
    /// nobody online, and the site allows it).
    pub offline_form: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(id: &str, team: Option<&str>, urls: &[&str]) -> Topic {
        Topic {
            id: id.into(),
            label: format!("About {id}"),
            team: team.map(Into::into),
            skill: None,
            url_contains: urls.iter().map(|u| (*u).to_owned()).collect(),
        }
    }

    fn team(id: &str) -> Team {
        Team {
            id: id.into(),
            name: id.to_uppercase(),
            members: vec![],
            hours: None,
            answer_within_secs: None,
        }
    }

    #[test]
    fn picked_topic_wins_over_the_page_url() {
        let routing = SiteRouting {
            teams: vec![team("sales"), team("billing")],
            topics: vec![
                topic("pricing", Some("sales"), &["/pricing"]),
                topic("refunds", Some("billing"), &[]),
            ],
            ..SiteRouting::default()
        };
        assert_eq!(routing.check(), Ok(()));
        let by_url = routing.topic_for(None, Some("https://shop.test/pricing?x=1"));
        assert_eq!(by_url.map(|t| t.id.as_str()), Some("pricing"));
        let picked = routing.topic_for(Some("refunds"), Some("https://shop.test/pricing"));
        assert_eq!(picked.map(|t| t.id.as_str()), Some("refunds"));
        assert!(routing.topic_for(Some("nope"), Some("/")).is_none());
    }

    #[test]
    fn bad_settings_name_the_problem() {
        let mut routing = SiteRouting {
            teams: vec![team("sales"), team("sales")],
            ..SiteRouting::default()
        };
        assert_eq!(routing.check(), Err(RoutingProblem::BadId("sales".into())));
        routing.teams = vec![team("Sales!")];
        assert!(matches!(routing.check(), Err(RoutingProblem::BadId(_))));
        routing.teams = vec![team("sales")];
        routing.topics = vec![topic("x", Some("nobody"), &[])];
        assert_eq!(
            routing.check(),
            Err(RoutingProblem::UnknownTeam("nobody".into()))
        );
        routing.topics.clear();
        routing.answer_within_secs = MAX_SECS + 1;
        assert_eq!(
            routing.check(),
            Err(RoutingProblem::TooLong("answer_within_secs"))
        );
        assert!(check_agent_routing(&["fa".into(), "en-GB".into()], &["vat".into()]).is_ok());
        assert!(check_agent_routing(&["not a tag".into()], &[]).is_err());
        assert!(check_agent_routing(&[], &["A B".into()]).is_err());
    }

    #[test]
    fn returned_then_priority_then_arrival_then_offline() {
        let mut waiting = [
            ("plain", Route::default()),
            (
                "vip",
                Route {
                    priority: Priority::Attribute,
                    ..Route::default()
                },
            ),
            (
                "back",
                Route {
                    returned: 1,
                    ..Route::default()
                },
            ),
            (
                "known",
                Route {
                    priority: Priority::Identified,
                    ..Route::default()
                },
            ),
            ("plain2", Route::default()),
        ];
        waiting[0].1.offline = true;
        let order: Vec<&str> = queue_order(waiting, |(_, r)| r)
            .iter()
            .map(|(id, _)| *id)
            .collect();
        assert_eq!(order, ["back", "vip", "known", "plain2", "plain"]);
    }

    #[test]
    fn old_stored_settings_read_with_defaults() {
        let routing: SiteRouting = serde_json::from_str("{}").unwrap();
        assert_eq!(routing, SiteRouting::default());
        let route: Route = serde_json::from_str("{}").unwrap();
        assert_eq!(route, Route::default());
    }
}
