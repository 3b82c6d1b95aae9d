//! Routing's sentences, put together from the words in `routing.rs`: what
//! a conversation asked of routing, why it waits where it does, how far
//! routing widened to find its agent, and why a form was not saved.
//! Language names come from the caller (the browser names them in the
//! agent's language; tests pass their own), so this stays pure.

use shared::hours::{HoursError, MAX_HOLIDAY_NAME_CHARS};
use shared::routing::{Match, RoutingProblem, MAX_ID_CHARS, MAX_LABEL_CHARS, MAX_SECS};
use shared::ErrorCode;

use super::{fill, Catalog};
use crate::model::MAX_CAPACITY;
use crate::model::{FormProblem, HoursProblem, RouteView, RoutingNote, SecondsField, Why};

/// Names a language tag (`fa` → "Persian").
pub(crate) type LanguageName<'a> = &'a dyn Fn(&str) -> String;

impl Catalog {
    /// "Persian · Refunds · team Billing": what routing was asked for.
    pub(crate) fn route_facts(&self, view: &RouteView, language: LanguageName) -> String {
        let w = &self.routing;
        let mut parts = Vec::new();
        parts.extend(view.language.as_deref().map(language));
        parts.extend(view.topic.clone());
        parts.extend(view.team.iter().map(|t| fill(w.team_named, &[("team", t)])));
        parts.extend(
            view.skill
                .iter()
                .map(|s| fill(w.skill_named, &[("skill", s)])),
        );
        parts.join(" · ")
    }

    /// Why a waiting conversation is ahead of arrival order; `None` when
    /// it is not (its waiting time says enough).
    pub(crate) fn queue_reason(&self, why: &Why) -> Option<String> {
        let w = &self.routing;
        Some(match why {
            Why::Returned(1) => w.returned.to_owned(),
            Why::Returned(n) => fill(w.returned_times, &[("n", &n.to_string())]),
            Why::Attribute(Some(rule)) => fill(
                w.priority_attribute,
                &[("rule", &format!("{}={}", rule.key, rule.value))],
            ),
            Why::Attribute(None) => w.priority_site_attribute.to_owned(),
            Why::Identified => w.priority_identified.to_owned(),
            Why::Arrival => return None,
        })
    }

    /// "Priority: identified customer · Waiting since 14:05": the reason,
    /// if any, and since when (`time`, already formatted).
    pub(crate) fn queue_line(&self, why: &Why, time: &str) -> String {
        let since = fill(self.routing.waiting_since, &[("time", time)]);
        match self.queue_reason(why) {
            Some(reason) => format!("{reason} · {since}"),
            None => since,
        }
    }

    /// "Widened: no Persian-speaking agent free; routed to team Billing";
    /// `None` when routing found an exact match (or has not routed it).
    pub(crate) fn widened(&self, view: &RouteView, language: LanguageName) -> Option<String> {
        let w = &self.routing;
        let matched = view.matched.filter(|m| *m != Match::Exact)?;
        let unmatched = || match (&view.language, &view.skill) {
            (Some(tag), _) => fill(w.no_language_agent, &[("language", &language(tag))]),
            (None, Some(skill)) => fill(w.no_skill_agent, &[("skill", skill)]),
            (None, None) => w.no_matching_agent.to_owned(),
        };
        let (why, routed) = match (matched, &view.team) {
            (Match::Anyone, Some(team)) => (
                fill(w.no_team_agent, &[("team", team)]),
                w.routed_to_anyone.to_owned(),
            ),
            (Match::Team, Some(team)) => (unmatched(), fill(w.routed_to_team, &[("team", team)])),
            _ => (unmatched(), w.routed_to_anyone.to_owned()),
        };
        Some(fill(w.widened, &[("why", &why), ("routed", &routed)]))
    }

    /// Why taking a conversation failed.
    pub(crate) fn take_error(&self, code: ErrorCode) -> String {
        let w = &self.routing;
        match code {
            ErrorCode::NotFound => w.take_gone.to_owned(),
            ErrorCode::AgentUnavailable => w.take_full.to_owned(),
            other => fill(w.take_failed, &[("reason", self.error(other))]),
        }
    }

    /// A save's outcome; the relay's own words for a refused field.
    pub(crate) fn routing_note(&self, note: &RoutingNote) -> String {
        let w = &self.routing;
        let reason = match note {
            RoutingNote::Saved => return w.saved.to_owned(),
            RoutingNote::Invalid(problem) => self.form_problem(problem),
            RoutingNote::Failed {
                code: ErrorCode::InvalidFrame,
                message,
            } if !message.is_empty() => message.clone(),
            RoutingNote::Failed { code, .. } => self.error(*code).to_owned(),
        };
        fill(w.not_saved, &[("reason", &reason)])
    }

    pub(crate) fn form_problem(&self, problem: &FormProblem) -> String {
        let w = &self.routing;
        match problem {
            FormProblem::Seconds(field) => {
                let name = match field {
                    SecondsField::WidenAfter => w.f_widen_after.to_owned(),
                    SecondsField::AnswerWithin => w.f_answer_within.to_owned(),
                    SecondsField::OfflineGrace => w.f_offline_grace.to_owned(),
                    SecondsField::Team(team) => fill(w.team_deadline, &[("team", team)]),
                };
                fill(
                    w.bad_seconds,
                    &[("field", &name), ("max", &MAX_SECS.to_string())],
                )
            }
            FormProblem::Routing(problem) => self.routing_problem(problem),
            FormProblem::Hours { team, problem } => {
                let text = self.hours_problem(problem);
                match team {
                    Some(team) => fill(w.in_team, &[("team", team), ("problem", &text)]),
                    None => text,
                }
            }
            FormProblem::Capacity => fill(w.bad_capacity, &[("max", &MAX_CAPACITY.to_string())]),
            FormProblem::Language(tag) => fill(w.bad_language, &[("tag", &format!("“{tag}”"))]),
        }
    }

    fn routing_problem(&self, problem: &RoutingProblem) -> String {
        let w = &self.routing;
        let quoted = |s: &str| format!("“{s}”");
        match problem {
            RoutingProblem::BadId(id) => fill(
                w.bad_id,
                &[("id", &quoted(id)), ("max", &MAX_ID_CHARS.to_string())],
            ),
            RoutingProblem::BadLabel(label) => fill(
                w.bad_label,
                &[
                    ("label", &quoted(label)),
                    ("max", &MAX_LABEL_CHARS.to_string()),
                ],
            ),
            RoutingProblem::UnknownTeam(team) => fill(w.unknown_team, &[("team", team)]),
            RoutingProblem::TooMany(what) => fill(w.too_many, &[("what", what)]),
            RoutingProblem::TooLong(what) => fill(w.too_long, &[("what", what)]),
        }
    }

    fn hours_problem(&self, problem: &HoursProblem) -> String {
        let w = &self.routing;
        match problem {
            HoursProblem::Time(time) => fill(w.bad_time, &[("time", time)]),
            HoursProblem::NoTimeZone => w.no_time_zone.to_owned(),
            HoursProblem::Shape(error) => match error {
                HoursError::Weekday(day) => fill(w.bad_weekday, &[("day", &day.to_string())]),
                HoursError::Span => w.bad_span.to_owned(),
                HoursError::Offset => w.bad_offset.to_owned(),
                HoursError::Date(date) => fill(w.bad_date, &[("date", &format!("“{date}”"))]),
                HoursError::TimeZone(zone) => fill(w.bad_zone, &[("zone", zone)]),
                HoursError::HolidayName => fill(
                    w.bad_holiday_name,
                    &[("max", &MAX_HOLIDAY_NAME_CHARS.to_string())],
                ),
                HoursError::TooMany => w.too_many_dates.to_owned(),
            },
        }
    }
}
