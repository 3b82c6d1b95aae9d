//! Each table of a report as a CSV file for the reports API, written with
//! the one CSV rule both the relay and the console use
//! (`shared::reports::csv`: quoting and the formula guard). Columns are
//! the JSON field names, durations in milliseconds, a missing figure an
//! empty cell, so a file and the API's JSON read the same.

use shared::reports::csv::push_line;
use shared::reports::{Figure, Report};

use super::row::channel_name;

/// The tables a report can be downloaded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Overview,
    Agents,
    Channels,
    Sites,
    HeatMap,
    FirstResponse,
}

impl Table {
    pub const ALL: [Table; 6] = [
        Self::Overview,
        Self::Agents,
        Self::Channels,
        Self::Sites,
        Self::HeatMap,
        Self::FirstResponse,
    ];

    /// The name in its file name (`agents` for `agents.csv`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Agents => "agents",
            Self::Channels => "channels",
            Self::Sites => "sites",
            Self::HeatMap => "heat_map",
            Self::FirstResponse => "first_response",
        }
    }

    /// The table called `name`, if any.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `table` of `report` as CSV text: a header line, then one per row.
pub fn table_csv(report: &Report, table: Table) -> String {
    let mut out = String::new();
    match table {
        Table::Overview => overview(report, &mut out),
        Table::Agents => {
            push_line(&mut out, AGENT_COLUMNS);
            for row in &report.by_agent {
                push_line(
                    &mut out,
                    [
                        row.agent.0.clone(),
                        row.name.clone(),
                        row.conversations.to_string(),
                        row.resolved.to_string(),
                        number(row.first_response_p50_ms),
                        number(row.resolution_p50_ms),
                        number(row.csat_score),
                        row.csat_count.to_string(),
                        row.messages_out.to_string(),
                    ],
                );
            }
        }
        Table::Channels => {
            push_line(&mut out, CHANNEL_COLUMNS);
            for row in &report.by_channel {
                push_line(
                    &mut out,
                    [
                        channel_name(row.channel).to_owned(),
                        row.conversations.to_string(),
                        number(row.first_response_p50_ms),
                        number(row.first_response_p90_ms),
                        number(row.resolution_p50_ms),
                        number(row.csat_score),
                        row.csat_count.to_string(),
                        row.messages_in.to_string(),
                        row.messages_out.to_string(),
                    ],
                );
            }
        }
        Table::Sites => {
            push_line(&mut out, SITE_COLUMNS);
            for row in &report.by_site {
                push_line(
                    &mut out,
                    [
                        row.site.0.clone(),
                        row.conversations.to_string(),
                        number(row.first_response_p50_ms),
                        number(row.resolution_p50_ms),
                        number(row.csat_score),
                        row.csat_count.to_string(),
                        row.messages_in.to_string(),
                        row.messages_out.to_string(),
                    ],
                );
            }
        }
        Table::HeatMap => {
            let hours = (0..24).map(|h| format!("{h:02}"));
            push_line(&mut out, std::iter::once("weekday".to_owned()).chain(hours));
            for (day, counts) in WEEKDAYS.iter().zip(&report.heat_map.counts) {
                let counts = counts.iter().map(u64::to_string);
                push_line(&mut out, std::iter::once(day.to_string()).chain(counts));
            }
        }
        Table::FirstResponse => {
            push_line(&mut out, ["bucket", "count"]);
            for row in &report.first_response_buckets {
                let name = serde_json::to_value(row.bucket)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                push_line(&mut out, [name, row.count.to_string()]);
            }
        }
    }
    out
}

const AGENT_COLUMNS: [&str; 9] = [
    "agent",
    "name",
    "conversations",
    "resolved",
    "first_response_p50_ms",
    "resolution_p50_ms",
    "csat_score",
    "csat_count",
    "messages_out",
];
const CHANNEL_COLUMNS: [&str; 9] = [
    "channel",
    "conversations",
    "first_response_p50_ms",
    "first_response_p90_ms",
    "resolution_p50_ms",
    "csat_score",
    "csat_count",
    "messages_in",
    "messages_out",
];
const SITE_COLUMNS: [&str; 8] = [
    "site",
    "conversations",
    "first_response_p50_ms",
    "resolution_p50_ms",
    "csat_score",
    "csat_count",
    "messages_in",
    "messages_out",
];

fn overview(report: &Report, out: &mut String) {
    let o = &report.overview;
    push_line(out, ["figure", "value", "previous", "change_percent"]);
    let mut figure = |name: &str, f: &Figure| {
        push_line(
            out,
            [
                name.to_owned(),
                number(f.value),
                number(f.previous),
                number(f.change_percent),
            ],
        );
    };
    figure("conversations", &o.conversations);
    for volume in &o.volume {
        figure(
            &format!("volume_{}", channel_name(volume.channel)),
            &volume.figure,
        );
    }
    let figures = [
        ("first_response_p50_ms", &o.first_response_p50_ms),
        ("first_response_p90_ms", &o.first_response_p90_ms),
        ("resolution_p50_ms", &o.resolution_p50_ms),
        ("resolution_p90_ms", &o.resolution_p90_ms),
        ("wait_p50_ms", &o.wait_p50_ms),
        ("wait_p90_ms", &o.wait_p90_ms),
        ("handling_p50_ms", &o.handling_p50_ms),
        ("csat_score", &o.csat_score),
        ("csat_count", &o.csat_count),
        ("deflections", &o.deflections),
        ("transfers", &o.transfers),
        ("reopenings", &o.reopenings),
        ("messages_in", &o.messages_in),
        ("messages_out", &o.messages_out),
    ];
    for (name, f) in figures {
        figure(name, f);
    }
    for (rating, count) in (1..=5).zip(o.csat_distribution) {
        push_line(
            out,
            [
                format!("csat_{rating}"),
                count.to_string(),
                String::new(),
                String::new(),
            ],
        );
    }
}

/// A figure with at most two decimals and no trailing zeros; empty when
/// missing.
fn number(value: Option<f64>) -> String {
    let Some(value) = value else {
        return String::new();
    };
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0" } else { text }.to_owned()
}

#[cfg(test)]
mod tests;
