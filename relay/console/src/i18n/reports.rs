//! The strings of the admins' "Reports" page and live view; one part of
//! each [`super::Catalog`] (its `reports` field). Templates use named
//! `{placeholders}`; the accessible names here are what tests look for.

/// The reports page's strings in one language.
#[derive(Debug)]
pub(crate) struct ReportWords {
    pub(crate) reports: &'static str,
    pub(crate) close_reports: &'static str,
    // The period picker.
    pub(crate) period: &'static str,
    pub(crate) today: &'static str,
    pub(crate) last_7_days: &'static str,
    pub(crate) last_30_days: &'static str,
    pub(crate) custom: &'static str,
    pub(crate) first_day: &'static str,
    pub(crate) last_day: &'static str,
    pub(crate) business_hours_only: &'static str,
    pub(crate) show_report: &'static str,
    pub(crate) bad_dates: &'static str,
    /// `{first}`, `{last}`, `{zone}`.
    pub(crate) showing: &'static str,
    pub(crate) compared_with: &'static str,
    pub(crate) durations_business: &'static str,
    pub(crate) durations_all: &'static str,
    /// `{reason}`.
    pub(crate) load_failed: &'static str,
    // Cards.
    pub(crate) overview: &'static str,
    pub(crate) conversations: &'static str,
    pub(crate) first_response_p50: &'static str,
    pub(crate) first_response_p90: &'static str,
    pub(crate) resolution_p50: &'static str,
    pub(crate) resolution_p90: &'static str,
    pub(crate) csat_score: &'static str,
    /// `{n}` ratings.
    pub(crate) csat_count: &'static str,
    pub(crate) deflections: &'static str,
    pub(crate) volume_by_channel: &'static str,
    /// `{percent}`.
    pub(crate) change_up: &'static str,
    /// `{percent}`.
    pub(crate) change_down: &'static str,
    pub(crate) change_same: &'static str,
    pub(crate) change_new: &'static str,
    pub(crate) change_nothing: &'static str,
    /// `{value}` shown for the previous period.
    pub(crate) previous_value: &'static str,
    // Tables.
    pub(crate) figure: &'static str,
    pub(crate) this_period: &'static str,
    pub(crate) previous_period: &'static str,
    pub(crate) change: &'static str,
    pub(crate) by_agent: &'static str,
    pub(crate) by_channel: &'static str,
    pub(crate) by_site: &'static str,
    pub(crate) agent: &'static str,
    pub(crate) channel: &'static str,
    pub(crate) site: &'static str,
    pub(crate) resolved: &'static str,
    pub(crate) ratings: &'static str,
    pub(crate) messages_in: &'static str,
    pub(crate) messages_out: &'static str,
    pub(crate) no_rows: &'static str,
    pub(crate) download_csv: &'static str,
    pub(crate) download_failed: &'static str,
    /// `{table}`: the accessible name of a table's download button.
    pub(crate) download_named: &'static str,
    pub(crate) show_table: &'static str,
    pub(crate) hide_table: &'static str,
    // Charts.
    pub(crate) heat_map: &'static str,
    /// `{busiest}` = weekday and hour, `{n}` = its count.
    pub(crate) heat_map_summary: &'static str,
    pub(crate) heat_map_empty: &'static str,
    pub(crate) weekday: &'static str,
    /// Monday first.
    pub(crate) weekdays: [&'static str; 7],
    pub(crate) response_buckets: &'static str,
    /// Under 1 min, 1–5, 5–15, 15–60, over 1 h.
    pub(crate) buckets: [&'static str; 5],
    pub(crate) responses: &'static str,
    pub(crate) csat_distribution: &'static str,
    /// 1 to 5 stars.
    pub(crate) rating_names: [&'static str; 5],
    /// `{title}`, then `{items}` as "label: value" pairs.
    pub(crate) chart_label: &'static str,
    // Live view.
    pub(crate) live: &'static str,
    pub(crate) waiting_now: &'static str,
    pub(crate) longest_wait: &'static str,
    pub(crate) agents_online: &'static str,
    pub(crate) agents_busy: &'static str,
    pub(crate) agents_away: &'static str,
    pub(crate) conversations_per_agent: &'static str,
    pub(crate) open_conversations: &'static str,
    pub(crate) presence: &'static str,
    pub(crate) busy: &'static str,
    /// `{time}`.
    pub(crate) updated_at: &'static str,
    // Units.
    /// `{n}`.
    pub(crate) seconds: &'static str,
    pub(crate) minutes: &'static str,
    pub(crate) hours: &'static str,
    pub(crate) days: &'static str,
    /// For a figure with nothing to compute it from.
    pub(crate) none: &'static str,
}

impl super::Catalog {
    /// A channel's name, for the timeline's filter and the reports' rows.
    pub(crate) fn channel(&self, channel: shared::contacts::Channel) -> &'static str {
        use shared::contacts::Channel;
        match channel {
            Channel::Chat => self.ch_chat,
            Channel::Email => self.ch_email,
            Channel::Phone => self.ch_phone,
            Channel::Sms => self.ch_sms,
            Channel::Social => self.ch_social,
            Channel::WebForm => self.ch_web_form,
            Channel::System => self.ch_system,
            Channel::Note => self.kb.ch_note,
        }
    }
}
