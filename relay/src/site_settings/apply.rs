//! Applying parsed changes to a site's hours and routing: a pure
//! function of the old settings, so the command line's rules (one company
//! calendar for the site and its teams; nothing changes unless the whole
//! result passes the checks) are tested without a store.

use shared::hours::OpeningHours;
use shared::routing::{SiteRouting, Team, Topic};
use shared::AgentId;

use super::{HoursChanges, RoutingChanges, SettingsError, SiteChanges, Zone};

/// The pure part of [`change_site`]: `members` are the agent ids of
/// `changes.routing.team_members`, looked up by the caller. On an error
/// nothing is changed.
pub fn apply(
    hours: &mut Option<OpeningHours>,
    routing: &mut SiteRouting,
    changes: &SiteChanges,
    members: Vec<(String, Vec<AgentId>)>,
) -> Result<(), SettingsError> {
    let (mut new_hours, mut new_routing) = (hours.clone(), routing.clone());
    apply_all(&mut new_hours, &mut new_routing, changes, members)?;
    *hours = new_hours;
    *routing = new_routing;
    Ok(())
}

fn apply_all(
    hours: &mut Option<OpeningHours>,
    routing: &mut SiteRouting,
    changes: &SiteChanges,
    members: Vec<(String, Vec<AgentId>)>,
) -> Result<(), SettingsError> {
    let wanted = &changes.routing;
    match &changes.hours.weekly {
        Some(None) => *hours = None,
        Some(Some(spans)) => {
            hours
                .get_or_insert_with(new_schedule)
                .spans
                .clone_from(spans);
        }
        None => {}
    }
    for (id, name) in &wanted.teams {
        match routing.teams.iter_mut().find(|t| &t.id == id) {
            Some(team) => team.name.clone_from(name),
            None => routing.teams.push(Team {
                id: id.clone(),
                name: name.clone(),
                members: Vec::new(),
                hours: None,
                answer_within_secs: None,
            }),
        }
    }
    for (id, spans) in &wanted.team_hours {
        let team = team_mut(routing, id)?;
        team.hours = spans.as_ref().map(|spans| OpeningHours {
            spans: spans.clone(),
            // The site's zone, holidays and exceptions: one company calendar.
            ..hours.clone().unwrap_or_else(new_schedule)
        });
    }
    apply_calendar(hours, routing, &changes.hours)?;
    for (id, ids) in members {
        team_mut(routing, &id)?.members = ids;
    }
    for (id, secs) in &wanted.team_answer_within {
        team_mut(routing, id)?.answer_within_secs = *secs;
    }
    for topic in &wanted.topics {
        match routing.topics.iter_mut().find(|t| t.id == topic.id) {
            Some(old) => {
                *old = Topic {
                    url_contains: std::mem::take(&mut old.url_contains),
                    ..topic.clone()
                }
            }
            None => routing.topics.push(topic.clone()),
        }
    }
    for (id, url) in &wanted.topic_urls {
        let topic = routing
            .topics
            .iter_mut()
            .find(|t| &t.id == id)
            .ok_or_else(|| SettingsError::UnknownTopic(id.clone()))?;
        if url.is_empty() {
            topic.url_contains.clear();
        } else if !topic.url_contains.contains(url) {
            topic.url_contains.push(url.clone());
        }
    }
    for id in &wanted.remove_topics {
        let before = routing.topics.len();
        routing.topics.retain(|t| &t.id != id);
        if routing.topics.len() == before {
            return Err(SettingsError::UnknownTopic(id.clone()));
        }
    }
    for id in &wanted.remove_teams {
        team_mut(routing, id)?;
        if let Some(topic) = routing.topics.iter().find(|t| t.team.as_ref() == Some(id)) {
            return Err(SettingsError::TeamInUse {
                team: id.clone(),
                topic: topic.id.clone(),
            });
        }
        routing.teams.retain(|t| &t.id != id);
    }
    apply_scalars(routing, wanted);
    routing.check()?;
    check_schedules(hours.as_ref(), routing)
}

/// A schedule made by the command line starts in UTC (what the old
/// default offset of +00:00 meant) until a zone is given.
fn new_schedule() -> OpeningHours {
    OpeningHours {
        time_zone: "UTC".into(),
        ..OpeningHours::default()
    }
}

fn team_mut<'a>(routing: &'a mut SiteRouting, id: &str) -> Result<&'a mut Team, SettingsError> {
    routing
        .teams
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(|| SettingsError::UnknownTeam(id.to_owned()))
}

/// Zone, holidays and exceptions go to the site's schedule and every
/// team's own, so they never disagree about the calendar.
fn apply_calendar(
    hours: &mut Option<OpeningHours>,
    routing: &mut SiteRouting,
    changes: &HoursChanges,
) -> Result<(), SettingsError> {
    if !changes.touches_every_schedule() {
        return Ok(());
    }
    let team_hours = routing.teams.iter_mut().filter_map(|t| t.hours.as_mut());
    let schedules: Vec<&mut OpeningHours> = hours.as_mut().into_iter().chain(team_hours).collect();
    if schedules.is_empty() {
        return Err(SettingsError::NoHours);
    }
    for schedule in schedules {
        match &changes.zone {
            Some(Zone::Named(name)) => {
                schedule.time_zone.clone_from(name);
                schedule.utc_offset_minutes = 0;
            }
            Some(Zone::Offset(minutes)) => {
                schedule.time_zone.clear();
                schedule.utc_offset_minutes = *minutes;
            }
            None => {}
        }
        if changes.clear_holidays {
            schedule.holidays.clear();
        }
        for holiday in &changes.holidays {
            schedule.holidays.retain(|h| h.date != holiday.date);
            schedule.holidays.push(holiday.clone());
        }
        schedule.holidays.sort_by(|a, b| a.date.cmp(&b.date));
        if changes.clear_exceptions {
            schedule.exceptions.clear();
        }
        for exception in &changes.exceptions {
            schedule.exceptions.retain(|e| e.date != exception.date);
            schedule.exceptions.push(exception.clone());
        }
        schedule.exceptions.sort_by(|a, b| a.date.cmp(&b.date));
    }
    Ok(())
}

fn apply_scalars(routing: &mut SiteRouting, wanted: &RoutingChanges) {
    if let Some(secs) = wanted.widen_after_secs {
        routing.widen_after_secs = secs;
    }
    if let Some(secs) = wanted.answer_within_secs {
        routing.answer_within_secs = secs;
    }
    if let Some(secs) = wanted.offline_grace_secs {
        routing.offline_grace_secs = secs;
    }
    if let Some(on) = wanted.priority_identified {
        routing.priority.identified = on;
    }
    if let Some(rule) = &wanted.priority_attribute {
        routing.priority.attribute.clone_from(rule);
    }
    if let Some(on) = wanted.offline_form {
        routing.offline_form = on;
    }
}

fn check_schedules(
    hours: Option<&OpeningHours>,
    routing: &SiteRouting,
) -> Result<(), SettingsError> {
    let site = hours.map(|h| ("site".to_owned(), h));
    let teams = routing
        .teams
        .iter()
        .filter_map(|t| Some((format!("team {:?}", t.id), t.hours.as_ref()?)));
    for (whose, schedule) in site.into_iter().chain(teams) {
        crate::opening_hours::check(schedule)
            .map_err(|problem| SettingsError::Schedule { whose, problem })?;
    }
    Ok(())
}
