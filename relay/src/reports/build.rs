//! A report from roll-ups: the rows a store summed for the period and
//! for the period before it become the figures, rows, heat map and
//! distribution of [`Report`]. Pure, so a scripted set of facts can be
//! checked against exact figures without a store.
//!
//! Choices:
//! - the business-hours toggle reads the business histograms for waits,
//!   first responses, resolutions and handling; counts are the same
//!   either way;
//! - agents are listed when they did something in the period (agents are
//!   shared by every site of a relay, so listing all would fill each
//!   site's report with strangers);
//! - the site's totals are its channel rows added up; agents' rows only
//!   fill the agents' breakdown;
//! - the heat map puts each UTC hour at the local weekday and hour its
//!   start falls on, in the site's zone (UTC for a site without hours);
//!   in zones a half hour off UTC, an hour's volume lands on the local
//!   hour it starts in.

use std::collections::{BTreeMap, HashMap};

use jiff::tz::TimeZone;
use jiff::Timestamp;
use shared::hours::OpeningHours;
use shared::reports::{
    AgentRow, BucketCount, ChannelFigure, ChannelRow, Figure, HeatMap, Overview, Period, Report,
    ReportQuery, ResponseBucket, SiteRow, REPORT_CHANNELS,
};
use shared::{AgentId, SiteId};

use super::layout::{Count, Durations};
use super::row::{Row, RowOf};
use super::sums::Sums;
use crate::opening_hours::time_zone;
use crate::store::{AgentRecord, Site};

/// The report of `site` for `query`, from the rows of the period
/// (`current`) and of the one before it (`previous`); `agents` name the
/// agents the rows mention.
pub fn build_report(
    site: &Site,
    agents: &[AgentRecord],
    query: &ReportQuery,
    current: &[Row],
    previous: &[Row],
) -> Report {
    let names: HashMap<&str, &str> = agents
        .iter()
        .map(|a| (a.id.0.as_str(), a.name.as_str()))
        .collect();
    let inputs = Inputs {
        site: &site.id,
        hours: site.hours.as_ref(),
        name_of: &|id| names.get(id).map(|name| (*name).to_owned()),
    };
    report_of(&inputs, query, current, previous)
}

/// What a report needs of its site besides the rows.
pub struct Inputs<'a> {
    pub site: &'a SiteId,
    /// The heat map's zone; `None`: UTC.
    pub hours: Option<&'a OpeningHours>,
    /// An agent's display name by id; `None` for an agent gone.
    pub name_of: &'a dyn Fn(&str) -> Option<String>,
}

impl std::fmt::Debug for Inputs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inputs")
            .field("site", &self.site)
            .field("hours", &self.hours)
            .finish_non_exhaustive()
    }
}

/// [`build_report`] without the store's records.
pub fn report_of(
    inputs: &Inputs<'_>,
    query: &ReportQuery,
    current: &[Row],
    previous: &[Row],
) -> Report {
    let tz = inputs.hours.map_or(TimeZone::UTC, time_zone);
    let durations = Choice::of(query.business_hours);
    let now = Tally::of(current);
    let before = Tally::of(previous);
    let (previous_from_ms, previous_to_ms) = query.previous();
    Report {
        period: Period {
            from_ms: query.from_ms,
            to_ms: query.to_ms,
            previous_from_ms,
            previous_to_ms,
            time_zone: zone_label(&tz),
            business_hours: query.business_hours,
        },
        overview: overview(&now, &before, durations),
        by_agent: by_agent(&now, inputs.name_of, durations),
        by_channel: by_channel(&now, durations),
        by_site: vec![site_row(inputs.site, &now.site, durations)],
        heat_map: heat_map(current, &tz),
        first_response_buckets: response_buckets(&now.site, durations),
    }
}

/// Which histograms the business-hours toggle picks.
#[derive(Debug, Clone, Copy)]
struct Choice {
    wait: Durations,
    first_response: Durations,
    resolution: Durations,
    handling: Durations,
}

impl Choice {
    fn of(business_hours: bool) -> Self {
        if business_hours {
            Self {
                wait: Durations::WaitBusiness,
                first_response: Durations::FirstResponseBusiness,
                resolution: Durations::ResolutionBusiness,
                handling: Durations::HandlingBusiness,
            }
        } else {
            Self {
                wait: Durations::Wait,
                first_response: Durations::FirstResponse,
                resolution: Durations::Resolution,
                handling: Durations::Handling,
            }
        }
    }
}

/// One period's rows added up, in one pass: the whole site (its
/// channel rows), each reported channel, each agent.
struct Tally<'a> {
    site: Sums,
    /// By position in [`REPORT_CHANNELS`].
    channels: Vec<Sums>,
    agents: BTreeMap<&'a str, Sums>,
}

impl<'a> Tally<'a> {
    fn of(rows: &'a [Row]) -> Self {
        let mut tally = Self {
            site: Sums::default(),
            channels: vec![Sums::default(); REPORT_CHANNELS.len()],
            agents: BTreeMap::new(),
        };
        for row in rows {
            match RowOf::of_key(&row.row) {
                Some(RowOf::Channel(channel)) => {
                    tally.site.add(&row.counts);
                    if let Some(i) = REPORT_CHANNELS.iter().position(|&c| c == channel) {
                        tally.channels[i].add(&row.counts);
                    }
                }
                Some(RowOf::Agent(id)) => tally.agents.entry(id).or_default().add(&row.counts),
                None => {}
            }
        }
        tally
    }
}

fn site_row(site: &SiteId, sums: &Sums, durations: Choice) -> SiteRow {
    SiteRow {
        site: site.clone(),
        conversations: sums.opened,
        first_response_p50_ms: sums.histogram(durations.first_response).percentile_ms(50),
        resolution_p50_ms: sums.histogram(durations.resolution).percentile_ms(50),
        csat_score: sums.csat_score(),
        csat_count: sums.rating_count(),
        messages_in: sums.messages_in,
        messages_out: sums.messages_out,
    }
}

fn overview(now_all: &Tally<'_>, before_all: &Tally<'_>, durations: Choice) -> Overview {
    let (now, before) = (&now_all.site, &before_all.site);
    let percentile = |which: Durations, percent: u64| {
        Figure::new(
            now.histogram(which).percentile_ms(percent),
            before.histogram(which).percentile_ms(percent),
        )
    };
    let volume = REPORT_CHANNELS
        .into_iter()
        .zip(now_all.channels.iter().zip(&before_all.channels))
        .map(|(channel, (now, before))| ChannelFigure {
            channel,
            figure: Figure::count(now.opened, before.opened),
        })
        .collect();
    Overview {
        conversations: Figure::count(now.opened, before.opened),
        volume,
        first_response_p50_ms: percentile(durations.first_response, 50),
        first_response_p90_ms: percentile(durations.first_response, 90),
        resolution_p50_ms: percentile(durations.resolution, 50),
        resolution_p90_ms: percentile(durations.resolution, 90),
        wait_p50_ms: percentile(durations.wait, 50),
        wait_p90_ms: percentile(durations.wait, 90),
        handling_p50_ms: percentile(durations.handling, 50),
        csat_score: Figure::new(now.csat_score(), before.csat_score()),
        csat_count: Figure::count(now.rating_count(), before.rating_count()),
        csat_distribution: now.ratings,
        deflections: Figure::count(now.deflections, before.deflections),
        transfers: Figure::count(now.transfers, before.transfers),
        reopenings: Figure::count(now.reopenings, before.reopenings),
        messages_in: Figure::count(now.messages_in, before.messages_in),
        messages_out: Figure::count(now.messages_out, before.messages_out),
    }
}

fn by_agent(
    now: &Tally<'_>,
    name_of: &dyn Fn(&str) -> Option<String>,
    durations: Choice,
) -> Vec<AgentRow> {
    let mut rows: Vec<AgentRow> = now
        .agents
        .iter()
        .map(|(&id, sums)| AgentRow {
            agent: AgentId(id.to_owned()),
            name: name_of(id).unwrap_or_else(|| id.to_owned()),
            conversations: sums.assigned,
            resolved: sums.resolved,
            first_response_p50_ms: sums.histogram(durations.first_response).percentile_ms(50),
            resolution_p50_ms: sums.histogram(durations.resolution).percentile_ms(50),
            csat_score: sums.csat_score(),
            csat_count: sums.rating_count(),
            messages_out: sums.messages_out,
        })
        .collect();
    // Busiest first; the map already ordered equals by id.
    rows.sort_by_key(|row| std::cmp::Reverse(row.conversations));
    rows
}

fn by_channel(now: &Tally<'_>, durations: Choice) -> Vec<ChannelRow> {
    REPORT_CHANNELS
        .into_iter()
        .zip(&now.channels)
        .map(|(channel, sums)| {
            let first_response = sums.histogram(durations.first_response);
            ChannelRow {
                channel,
                conversations: sums.opened,
                first_response_p50_ms: first_response.percentile_ms(50),
                first_response_p90_ms: first_response.percentile_ms(90),
                resolution_p50_ms: sums.histogram(durations.resolution).percentile_ms(50),
                csat_score: sums.csat_score(),
                csat_count: sums.rating_count(),
                messages_in: sums.messages_in,
                messages_out: sums.messages_out,
            }
        })
        .collect()
}

fn heat_map(current: &[Row], tz: &TimeZone) -> HeatMap {
    let mut map = HeatMap::default();
    for row in current {
        let opened = match RowOf::of_key(&row.row) {
            Some(RowOf::Channel(_)) => Count::Opened
                .slot()
                .and_then(|slot| row.counts.get(slot).copied())
                .unwrap_or(0),
            _ => 0,
        };
        if opened == 0 {
            continue;
        }
        let Some(at) = i64::try_from(row.bucket_ms)
            .ok()
            .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        else {
            continue;
        };
        let local = tz.to_datetime(at);
        let weekday = usize::from(local.weekday().to_monday_zero_offset().unsigned_abs());
        let hour = usize::from(local.hour().unsigned_abs());
        if let Some(slot) = map.counts.get_mut(weekday).and_then(|d| d.get_mut(hour)) {
            *slot += opened;
        }
    }
    map
}

fn response_buckets(now: &Sums, durations: Choice) -> Vec<BucketCount> {
    let mut counts = [0u64; 5];
    // The range edges (60, 300, 900, 3600 s) are histogram bounds
    // themselves, so each histogram bucket falls wholly in one range.
    for (seconds, count) in now.histogram(durations.first_response).buckets() {
        let bucket = ResponseBucket::of_seconds(seconds);
        if let Some(i) = ResponseBucket::ALL.iter().position(|&b| b == bucket) {
            counts[i] += count;
        }
    }
    ResponseBucket::ALL
        .into_iter()
        .zip(counts)
        .map(|(bucket, count)| BucketCount { bucket, count })
        .collect()
}

/// The zone's name, or its fixed offset (`UTC+05:30`).
fn zone_label(tz: &TimeZone) -> String {
    if let Some(name) = tz.iana_name() {
        return name.to_owned();
    }
    let seconds = tz.to_offset(Timestamp::UNIX_EPOCH).seconds();
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}
