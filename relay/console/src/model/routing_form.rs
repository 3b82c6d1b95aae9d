//! The admins' routing settings form as plain values, and its conversion
//! to and from `shared::routing::SiteRouting` and the site's hours.
//!
//! Fields hold text as typed (a number of seconds may be half-typed), and
//! everything is checked once, on "Save", with the same checks the relay
//! makes (`SiteRouting::check`, `OpeningHours::validate`), so a refusal
//! names the field and the form keeps every edit. A topic points at its
//! team row by key, not by id, so renaming a team's id keeps the link.

use shared::hours::OpeningHours;
use shared::routing::{
    AttributeRule, PriorityRules, RoutingProblem, SiteRouting, Team, Topic, MAX_SECS,
};
use shared::AgentId;

use super::hours_form::{HoursForm, HoursProblem, Keys};

/// A seconds field of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SecondsField {
    WidenAfter,
    AnswerWithin,
    OfflineGrace,
    /// A team's answer deadline; the team's id.
    Team(String),
}

/// Why the form (or an agent's routing fields) cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormProblem {
    /// Not a whole number of seconds up to a day.
    Seconds(SecondsField),
    Routing(RoutingProblem),
    /// A schedule's problem: a team's (its id), or the site's (`None`).
    Hours {
        team: Option<String>,
        problem: HoursProblem,
    },
    /// An agent's capacity is not 1 to [`super::routing::MAX_CAPACITY`].
    Capacity,
    /// Not a language tag (an agent's languages); as typed.
    Language(String),
}

/// Whose hours an hours editor shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum HoursOwner {
    Site,
    /// A team row, by key.
    Team(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TeamForm {
    pub(crate) key: u64,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) members: Vec<AgentId>,
    /// Empty: the site's deadline.
    pub(crate) answer_within: String,
    /// `None`: the site's hours.
    pub(crate) hours: Option<HoursForm>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopicForm {
    pub(crate) key: u64,
    pub(crate) id: String,
    pub(crate) label: String,
    /// The team row's key.
    pub(crate) team: Option<u64>,
    pub(crate) skill: String,
    /// Comma-separated parts of page addresses.
    pub(crate) urls: String,
}

/// The whole form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RoutingForm {
    pub(crate) teams: Vec<TeamForm>,
    pub(crate) topics: Vec<TopicForm>,
    pub(crate) widen_after: String,
    pub(crate) answer_within: String,
    pub(crate) offline_grace: String,
    pub(crate) identified: bool,
    pub(crate) attribute_key: String,
    pub(crate) attribute_value: String,
    pub(crate) offline_form: bool,
    /// `None`: always open.
    pub(crate) hours: Option<HoursForm>,
    pub(crate) keys: Keys,
}

/// Comma- or line-separated items, trimmed, empty ones dropped.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn seconds(text: &str, field: SecondsField) -> Result<u32, FormProblem> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|s| *s <= MAX_SECS)
        .ok_or(FormProblem::Seconds(field))
}

fn some_text(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

impl RoutingForm {
    pub(crate) fn of(routing: &SiteRouting, hours: Option<&OpeningHours>) -> Self {
        let mut keys = Keys::default();
        let teams: Vec<TeamForm> = routing
            .teams
            .iter()
            .map(|t| TeamForm {
                key: keys.next(),
                id: t.id.clone(),
                name: t.name.clone(),
                members: t.members.clone(),
                answer_within: t
                    .answer_within_secs
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                hours: t.hours.as_ref().map(|h| HoursForm::of(h, &mut keys)),
            })
            .collect();
        let team_key = |id: &str| teams.iter().find(|t| t.id == id).map(|t| t.key);
        let topics = routing
            .topics
            .iter()
            .map(|t| TopicForm {
                key: keys.next(),
                id: t.id.clone(),
                label: t.label.clone(),
                team: t.team.as_deref().and_then(team_key),
                skill: t.skill.clone().unwrap_or_default(),
                urls: t.url_contains.join(", "),
            })
            .collect();
        let attribute = routing.priority.attribute.as_ref();
        Self {
            hours: hours.map(|h| HoursForm::of(h, &mut keys)),
            teams,
            topics,
            widen_after: routing.widen_after_secs.to_string(),
            answer_within: routing.answer_within_secs.to_string(),
            offline_grace: routing.offline_grace_secs.to_string(),
            identified: routing.priority.identified,
            attribute_key: attribute.map(|a| a.key.clone()).unwrap_or_default(),
            attribute_value: attribute.map(|a| a.value.clone()).unwrap_or_default(),
            offline_form: routing.offline_form,
            keys,
        }
    }

    /// The settings to save, checked as the relay will check them (but
    /// for the time zone's name).
    pub(crate) fn to_settings(&self) -> Result<(SiteRouting, Option<OpeningHours>), FormProblem> {
        let mut teams = Vec::with_capacity(self.teams.len());
        for t in &self.teams {
            let id = t.id.trim().to_owned();
            let answer_within_secs = match t.answer_within.trim() {
                "" => None,
                text => Some(seconds(text, SecondsField::Team(id.clone()))?),
            };
            let hours = match &t.hours {
                Some(form) => Some(form.to_hours().map_err(|problem| FormProblem::Hours {
                    team: Some(id.clone()),
                    problem,
                })?),
                None => None,
            };
            teams.push(Team {
                name: t.name.trim().to_owned(),
                members: t.members.clone(),
                hours,
                answer_within_secs,
                id,
            });
        }
        let team_id = |key: u64| {
            self.teams
                .iter()
                .find(|t| t.key == key)
                .map(|t| t.id.trim().to_owned())
        };
        let topics = self
            .topics
            .iter()
            .map(|t| Topic {
                id: t.id.trim().to_owned(),
                label: t.label.trim().to_owned(),
                team: t.team.and_then(team_id),
                skill: some_text(&t.skill),
                url_contains: split_list(&t.urls),
            })
            .collect();
        let attribute = match (
            some_text(&self.attribute_key),
            some_text(&self.attribute_value),
        ) {
            (None, None) => None,
            (key, value) => Some(AttributeRule {
                key: key.unwrap_or_default(),
                value: value.unwrap_or_default(),
            }),
        };
        let routing = SiteRouting {
            teams,
            topics,
            widen_after_secs: seconds(&self.widen_after, SecondsField::WidenAfter)?,
            answer_within_secs: seconds(&self.answer_within, SecondsField::AnswerWithin)?,
            offline_grace_secs: seconds(&self.offline_grace, SecondsField::OfflineGrace)?,
            priority: PriorityRules {
                identified: self.identified,
                attribute,
            },
            offline_form: self.offline_form,
        };
        routing.check().map_err(FormProblem::Routing)?;
        let hours = match &self.hours {
            Some(form) => Some(form.to_hours().map_err(|problem| FormProblem::Hours {
                team: None,
                problem,
            })?),
            None => None,
        };
        Ok((routing, hours))
    }
}
