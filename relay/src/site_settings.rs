//! A site owner's chat settings from the command line (`switchboard site`,
//! `switchboard agent`): opening hours written the way people write them
//! on a shop door (`mon-fri 09:00-17:00, sat 10:00-14:00`) in a named time
//! zone, with holidays and one-day exceptions; teams, topics and the
//! routing deadlines; whether the widget asks for name and email/phone
//! first; and an agent's languages, skills and capacity. Read-modify-write
//! of the records, like [`crate::site_admin`], and every result is checked
//! the same way the console's settings are before it is stored.

mod apply;
mod syntax;
#[cfg(test)]
mod tests;

pub use apply::apply;

pub use syntax::{
    parse_attribute, parse_exception, parse_holiday, parse_hours, parse_list, parse_offset,
    parse_pair, parse_team, parse_topic, parse_weekly, HoursSyntax, RoutingSyntax,
};

use shared::hours::{DayException, Holiday, HoursError, OpenSpan};
use shared::routing::{AttributeRule, RoutingProblem, Topic};
use shared::SiteId;

use crate::agents::MAX_CAPACITY;
use crate::config::{AgentArgs, SiteArgs};
use crate::store::{AgentRecord, Site, Store, StoreError};

/// Why settings were not stored; each says what was expected.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Hours(#[from] HoursSyntax),
    #[error(transparent)]
    Syntax(#[from] RoutingSyntax),
    #[error("{whose} hours: {problem}")]
    Schedule { whose: String, problem: HoursError },
    #[error("routing: {0}")]
    Routing(#[from] RoutingProblem),
    #[error("no site {0:?} (the demo site exists after the first start)")]
    NoSite(String),
    #[error("no agent with email {0:?} (create the agent first)")]
    UnknownAgent(String),
    #[error("no team {0:?} (add it with --team {0}:NAME)")]
    UnknownTeam(String),
    #[error("no topic {0:?} (add it with --topic {0}:LABEL:TEAM)")]
    UnknownTopic(String),
    #[error(
        "team {team:?} is still the team of topic {topic:?}: change or remove the topic first"
    )]
    TeamInUse { team: String, topic: String },
    #[error(
        "no opening hours to apply the time zone, holidays or exceptions to: \
         set weekly hours first (--hours \"mon-fri 09:00-17:00\" or --team-hours)"
    )]
    NoHours,
    #[error("{0:?} is not a number of seconds or \"site\"")]
    Seconds(String),
    #[error("capacity must be 1 to {MAX_CAPACITY}")]
    Capacity,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How the hours' local time is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zone {
    /// An IANA name, as the zone database spells it.
    Named(String),
    /// Legacy: a fixed offset in minutes, no daylight saving.
    Offset(i16),
}

/// Changes to a site's opening hours; applied to the site's schedule and,
/// for zone, holidays and exceptions, to every team's own schedule too
/// (the company is closed on Christmas whichever team a visitor wants).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HoursChanges {
    /// `Some(None)` clears the site's hours (always staffed).
    pub weekly: Option<Option<Vec<OpenSpan>>>,
    pub zone: Option<Zone>,
    pub clear_holidays: bool,
    pub holidays: Vec<Holiday>,
    pub clear_exceptions: bool,
    pub exceptions: Vec<DayException>,
}

impl HoursChanges {
    fn touches_every_schedule(&self) -> bool {
        self.zone.is_some()
            || self.clear_holidays
            || self.clear_exceptions
            || !self.holidays.is_empty()
            || !self.exceptions.is_empty()
    }
}

/// Changes to a site's routing, applied in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoutingChanges {
    /// Add or rename: (id, name).
    pub teams: Vec<(String, String)>,
    /// Replace members, by agent email.
    pub team_members: Vec<(String, Vec<String>)>,
    /// `None`: back to the site's hours.
    pub team_hours: Vec<(String, Option<Vec<OpenSpan>>)>,
    pub team_answer_within: Vec<(String, Option<u32>)>,
    /// Add, or replace all but the URL rules.
    pub topics: Vec<Topic>,
    /// Add a URL rule; an empty one removes the topic's rules.
    pub topic_urls: Vec<(String, String)>,
    pub remove_topics: Vec<String>,
    pub remove_teams: Vec<String>,
    pub widen_after_secs: Option<u32>,
    pub answer_within_secs: Option<u32>,
    pub offline_grace_secs: Option<u32>,
    pub priority_identified: Option<bool>,
    /// `Some(None)` removes the rule.
    pub priority_attribute: Option<Option<AttributeRule>>,
    pub offline_form: Option<bool>,
}

/// What `switchboard site` changes; `None` (or empty) leaves a setting as
/// it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteChanges {
    pub prechat_form: Option<bool>,
    pub hours: HoursChanges,
    pub routing: RoutingChanges,
}

/// `ID=SECS` or `ID=site`.
fn team_seconds(text: &str) -> Result<(String, Option<u32>), SettingsError> {
    let (team, value) = parse_pair(text, "TEAM=SECS (e.g. billing=120) or TEAM=site")?;
    if value == "site" {
        return Ok((team, None));
    }
    let secs = value.parse().map_err(|_| SettingsError::Seconds(value))?;
    Ok((team, Some(secs)))
}

impl SiteChanges {
    /// Reads the flags of `switchboard site`; nothing is looked up yet.
    pub fn from_args(args: &SiteArgs) -> Result<Self, SettingsError> {
        let weekly = match args.hours.as_deref().map(str::trim) {
            None => None,
            Some("always") => Some(None),
            Some(text) => Some(Some(parse_weekly(text)?)),
        };
        let zone = match (&args.time_zone, &args.utc_offset) {
            (Some(name), _) => Some(Zone::Named(
                crate::opening_hours::zone_name(name).map_err(HoursSyntax::Invalid)?,
            )),
            (None, Some(offset)) => Some(Zone::Offset(parse_offset(offset)?)),
            (None, None) => None,
        };
        let hours = HoursChanges {
            weekly,
            zone,
            clear_holidays: args.clear_holidays,
            holidays: args
                .holiday
                .iter()
                .map(|h| parse_holiday(h))
                .collect::<Result<_, _>>()?,
            clear_exceptions: args.clear_exceptions,
            exceptions: args
                .exception
                .iter()
                .map(|e| parse_exception(e))
                .collect::<Result<_, _>>()?,
        };
        let mut routing = RoutingChanges {
            teams: args
                .team
                .iter()
                .map(|t| parse_team(t))
                .collect::<Result<_, _>>()?,
            topics: args
                .topic
                .iter()
                .map(|t| parse_topic(t))
                .collect::<Result<_, _>>()?,
            remove_topics: args.remove_topic.clone(),
            remove_teams: args.remove_team.clone(),
            widen_after_secs: args.widen_after,
            answer_within_secs: args.answer_within,
            offline_grace_secs: args.offline_grace,
            priority_identified: args.priority_identified,
            offline_form: args.offline_form,
            ..RoutingChanges::default()
        };
        for text in &args.team_members {
            let (team, emails) = parse_pair(text, "TEAM=EMAILS (e.g. billing=a@x.test,b@x.test)")?;
            routing.team_members.push((team, parse_list(&emails)));
        }
        for text in &args.team_hours {
            let form = "TEAM=HOURS (e.g. \"billing=mon-fri 08:00-20:00\") or TEAM=site";
            let (team, hours) = parse_pair(text, form)?;
            let spans = match hours.as_str() {
                "site" => None,
                text => Some(parse_weekly(text)?),
            };
            routing.team_hours.push((team, spans));
        }
        for text in &args.team_answer_within {
            routing.team_answer_within.push(team_seconds(text)?);
        }
        for text in &args.topic_url {
            let form = "TOPIC=URL_PART (e.g. pricing=/pricing)";
            routing.topic_urls.push(parse_pair(text, form)?);
        }
        routing.priority_attribute = match (&args.priority_attribute, args.no_priority_attribute) {
            (Some(rule), _) => Some(Some(parse_attribute(rule)?)),
            (None, true) => Some(None),
            (None, false) => None,
        };
        Ok(Self {
            prechat_form: args.prechat_form,
            hours,
            routing,
        })
    }
}

/// Applies `changes` to the site and returns it as stored; nothing is
/// stored unless the whole result passes the checks.
pub async fn change_site(
    store: &dyn Store,
    site: &SiteId,
    changes: SiteChanges,
) -> Result<Site, SettingsError> {
    let mut record = store
        .site(site)
        .await?
        .ok_or_else(|| SettingsError::NoSite(site.to_string()))?;
    let mut members = Vec::new();
    for (team, emails) in &changes.routing.team_members {
        let mut ids = Vec::new();
        for email in emails {
            let agent = store
                .agent_by_email(&crate::auth::normalize_email(email))
                .await?
                .ok_or_else(|| SettingsError::UnknownAgent(email.clone()))?;
            if !ids.contains(&agent.id) {
                ids.push(agent.id);
            }
        }
        members.push((team.clone(), ids));
    }
    if let Some(prechat) = changes.prechat_form {
        record.prechat_form = prechat;
    }
    apply(&mut record.hours, &mut record.routing, &changes, members)?;
    store.put_site(&record).await?;
    Ok(record)
}

/// `switchboard agent`: sets what routing matches the agent on; settings
/// not given stay as they are. Returns the agent as stored.
pub async fn change_agent(
    store: &dyn Store,
    args: &AgentArgs,
) -> Result<AgentRecord, SettingsError> {
    let email = crate::auth::normalize_email(&args.email);
    let mut agent = store
        .agent_by_email(&email)
        .await?
        .ok_or_else(|| SettingsError::UnknownAgent(email.clone()))?;
    if let Some(languages) = &args.languages {
        agent.languages = parse_list(languages);
    }
    if let Some(skills) = &args.skills {
        agent.skills = parse_list(skills);
    }
    if let Some(capacity) = args.capacity {
        agent.max_concurrent = capacity;
    }
    shared::routing::check_agent_routing(&agent.languages, &agent.skills)?;
    if agent.max_concurrent == 0 || agent.max_concurrent > MAX_CAPACITY {
        return Err(SettingsError::Capacity);
    }
    store
        .set_agent_routing(
            &agent.id,
            &agent.languages,
            &agent.skills,
            agent.max_concurrent,
        )
        .await?;
    Ok(agent)
}
