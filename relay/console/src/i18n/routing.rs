//! The strings of routing: the status control, the queue's explanations,
//! offline messages and the admins' "Routing" panel; one part of each
//! [`super::Catalog`] (its `routing` field). Same rules as the rest:
//! templates with named `{placeholders}`, accessible names the tests rely
//! on. They are put together into sentences in `routing_text.rs`.

/// Routing's strings in one language.
#[derive(Debug)]
pub(crate) struct RoutingWords {
    // The status control.
    pub(crate) away_idle: &'static str,
    pub(crate) im_back: &'static str,
    pub(crate) idle_note: &'static str,
    // The queue and the open conversation.
    pub(crate) offline_messages: &'static str,
    pub(crate) no_offline_messages: &'static str,
    pub(crate) take: &'static str,
    /// `{name}` = the case code or the visitor.
    pub(crate) take_named: &'static str,
    pub(crate) taking: &'static str,
    pub(crate) offline_note: &'static str,
    pub(crate) take_gone: &'static str,
    pub(crate) take_full: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) take_failed: &'static str,
    pub(crate) returned: &'static str,
    /// `{n}` = times it went back, more than one.
    pub(crate) returned_times: &'static str,
    pub(crate) priority_identified: &'static str,
    /// `{rule}` = `key=value`.
    pub(crate) priority_attribute: &'static str,
    pub(crate) priority_site_attribute: &'static str,
    /// `{time}`.
    pub(crate) waiting_since: &'static str,
    /// `{team}`.
    pub(crate) team_named: &'static str,
    /// `{skill}`.
    pub(crate) skill_named: &'static str,
    /// `{why}`, `{routed}`: the two parts below.
    pub(crate) widened: &'static str,
    /// `{language}` = the language's name.
    pub(crate) no_language_agent: &'static str,
    /// `{skill}`.
    pub(crate) no_skill_agent: &'static str,
    pub(crate) no_matching_agent: &'static str,
    /// `{team}`.
    pub(crate) no_team_agent: &'static str,
    /// `{team}`.
    pub(crate) routed_to_team: &'static str,
    pub(crate) routed_to_anyone: &'static str,
    // The panel.
    pub(crate) routing: &'static str,
    pub(crate) close_routing: &'static str,
    pub(crate) site_settings: &'static str,
    pub(crate) teams: &'static str,
    pub(crate) no_teams: &'static str,
    pub(crate) add_team: &'static str,
    pub(crate) team_id: &'static str,
    pub(crate) team_name: &'static str,
    pub(crate) members: &'static str,
    pub(crate) team_answer_within: &'static str,
    pub(crate) own_hours: &'static str,
    /// `{name}` = the team's name or id.
    pub(crate) remove_team: &'static str,
    pub(crate) topics: &'static str,
    pub(crate) no_topics: &'static str,
    pub(crate) add_topic: &'static str,
    pub(crate) topic_id: &'static str,
    pub(crate) topic_label: &'static str,
    pub(crate) topic_team: &'static str,
    pub(crate) no_team: &'static str,
    pub(crate) topic_skill: &'static str,
    pub(crate) topic_urls: &'static str,
    /// `{name}` = the topic's label or id.
    pub(crate) remove_topic: &'static str,
    pub(crate) timing: &'static str,
    pub(crate) widen_after: &'static str,
    pub(crate) answer_within: &'static str,
    pub(crate) offline_grace: &'static str,
    pub(crate) priority: &'static str,
    pub(crate) identified_first: &'static str,
    pub(crate) attribute_key: &'static str,
    pub(crate) attribute_value: &'static str,
    pub(crate) attribute_hint: &'static str,
    pub(crate) offline_form: &'static str,
    pub(crate) hours: &'static str,
    pub(crate) has_hours: &'static str,
    pub(crate) time_zone: &'static str,
    pub(crate) time_zone_hint: &'static str,
    pub(crate) weekly: &'static str,
    pub(crate) weekday: &'static str,
    /// Monday first.
    pub(crate) weekdays: [&'static str; 7],
    pub(crate) opens: &'static str,
    pub(crate) closes: &'static str,
    pub(crate) midnight_hint: &'static str,
    pub(crate) add_period: &'static str,
    pub(crate) remove_period: &'static str,
    pub(crate) holidays: &'static str,
    pub(crate) add_holiday: &'static str,
    pub(crate) date: &'static str,
    pub(crate) holiday_name: &'static str,
    pub(crate) remove_holiday: &'static str,
    pub(crate) exceptions: &'static str,
    pub(crate) add_exception: &'static str,
    pub(crate) closed_all_day: &'static str,
    pub(crate) remove_exception: &'static str,
    pub(crate) remove: &'static str,
    pub(crate) save_routing: &'static str,
    pub(crate) saved: &'static str,
    /// `{reason}`.
    pub(crate) not_saved: &'static str,
    /// `{reason}`.
    pub(crate) load_failed: &'static str,
    pub(crate) agents: &'static str,
    pub(crate) languages: &'static str,
    pub(crate) languages_hint: &'static str,
    pub(crate) skills: &'static str,
    pub(crate) skills_hint: &'static str,
    /// `{name}` = the agent's name.
    pub(crate) save_agent: &'static str,
    /// `{name}`.
    pub(crate) agent_saved: &'static str,
    // Why a form cannot be saved.
    pub(crate) f_widen_after: &'static str,
    pub(crate) f_answer_within: &'static str,
    pub(crate) f_offline_grace: &'static str,
    /// `{field}`, `{max}`.
    pub(crate) bad_seconds: &'static str,
    /// `{team}` = the team's id.
    pub(crate) team_deadline: &'static str,
    /// `{time}`.
    pub(crate) bad_time: &'static str,
    pub(crate) no_time_zone: &'static str,
    /// `{max}`.
    pub(crate) bad_capacity: &'static str,
    /// `{tag}`.
    pub(crate) bad_language: &'static str,
    /// `{id}`, `{max}`.
    pub(crate) bad_id: &'static str,
    /// `{label}`, `{max}`.
    pub(crate) bad_label: &'static str,
    /// `{team}`.
    pub(crate) unknown_team: &'static str,
    /// `{what}`.
    pub(crate) too_many: &'static str,
    /// `{what}`.
    pub(crate) too_long: &'static str,
    /// `{day}`.
    pub(crate) bad_weekday: &'static str,
    pub(crate) bad_span: &'static str,
    pub(crate) bad_offset: &'static str,
    /// `{date}`.
    pub(crate) bad_date: &'static str,
    /// `{zone}`.
    pub(crate) bad_zone: &'static str,
    /// `{max}`.
    pub(crate) bad_holiday_name: &'static str,
    pub(crate) too_many_dates: &'static str,
    /// `{team}`, `{problem}`.
    pub(crate) in_team: &'static str,
}
