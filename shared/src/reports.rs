//! A service report as the reports API sends it and the console draws it:
//! the period, overview figures each beside the previous period's, the
//! breakdowns, the heat map and the first-response distribution, and the
//! live view. The relay computes every number (`relay::reports`); these
//! types only carry them, so the API's JSON and the console cannot
//! disagree on what a figure is.
//!
//! Durations are milliseconds. Percentiles come from histograms with
//! fixed bounds (every second to 10 s, then steps of at most 20%), so a
//! duration figure is exact for a bound and at most 20% high otherwise.

use serde::{Deserialize, Serialize};

use crate::contacts::Channel;
use crate::frames::Presence;
use crate::{AgentId, SiteId};

pub mod csv;

/// The longest period one report may cover.
pub const MAX_REPORT_DAYS: u64 = 400;
const DAY_MS: u64 = 86_400_000;
/// 9999-12-31T23:59:59.999Z: the last instant a time zone database reads.
pub const MAX_REPORT_MS: u64 = 253_402_300_799_999;

/// What a report covers: `[from_ms, to_ms)`, compared with the period of
/// the same length just before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub from_ms: u64,
    pub to_ms: u64,
    /// Durations count only the time inside the site's opening hours.
    #[serde(default)]
    pub business_hours: bool,
}

/// Why a report cannot be made for a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportQueryProblem {
    /// `from_ms` is not before `to_ms`.
    EmptyPeriod,
    /// Longer than [`MAX_REPORT_DAYS`].
    TooLong,
    /// Past [`MAX_REPORT_MS`].
    OutOfRange,
}

impl std::fmt::Display for ReportQueryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EmptyPeriod => f.write_str("the period must start before it ends"),
            Self::TooLong => write!(f, "a report covers at most {MAX_REPORT_DAYS} days"),
            Self::OutOfRange => f.write_str("the period must end before the year 10000"),
        }
    }
}

impl std::error::Error for ReportQueryProblem {}

impl ReportQuery {
    /// Refuses periods a report cannot be made for.
    pub fn check(&self) -> Result<(), ReportQueryProblem> {
        if self.from_ms >= self.to_ms {
            return Err(ReportQueryProblem::EmptyPeriod);
        }
        if self.to_ms > MAX_REPORT_MS {
            return Err(ReportQueryProblem::OutOfRange);
        }
        if self.to_ms - self.from_ms > MAX_REPORT_DAYS * DAY_MS {
            return Err(ReportQueryProblem::TooLong);
        }
        Ok(())
    }

    /// The period of the same length just before this one, as
    /// `(from_ms, to_ms)`; cut at the epoch.
    pub fn previous(&self) -> (u64, u64) {
        let span = self.to_ms.saturating_sub(self.from_ms);
        (self.from_ms.saturating_sub(span), self.from_ms)
    }
}

/// The period a report covers, as it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub from_ms: u64,
    pub to_ms: u64,
    pub previous_from_ms: u64,
    pub previous_to_ms: u64,
    /// The zone the heat map's hours and weekdays are in (`Europe/Berlin`,
    /// or `UTC+01:00` for a schedule with a fixed offset).
    pub time_zone: String,
    pub business_hours: bool,
}

/// One number of the period beside the previous period's. `None`: nothing
/// to compute it from (no rating, no response).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Figure {
    pub value: Option<f64>,
    pub previous: Option<f64>,
    /// `(value - previous) / previous × 100`; `None` when either is
    /// missing or the previous is 0.
    pub change_percent: Option<f64>,
}

impl Figure {
    /// A figure and its change against `previous`.
    pub fn new(value: Option<f64>, previous: Option<f64>) -> Self {
        let change_percent = match (value, previous) {
            (Some(now), Some(before)) if before != 0.0 => Some((now - before) / before * 100.0),
            _ => None,
        };
        Self {
            value,
            previous,
            change_percent,
        }
    }

    /// A count, which is never missing.
    pub fn count(value: u64, previous: u64) -> Self {
        // Counts stay far below 2^53, where f64 is exact.
        Self::new(Some(value as f64), Some(previous as f64))
    }
}

/// A channel's volume.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChannelFigure {
    pub channel: Channel,
    pub figure: Figure,
}

/// The channels a report counts, in the order it shows them: chat, then
/// the ingested ones.
pub const REPORT_CHANNELS: [Channel; 6] = [
    Channel::Chat,
    Channel::Email,
    Channel::Phone,
    Channel::Sms,
    Channel::Social,
    Channel::WebForm,
];

/// The overview cards.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Overview {
    /// Conversations started and items ingested.
    pub conversations: Figure,
    /// One per channel of [`REPORT_CHANNELS`], in that order.
    pub volume: Vec<ChannelFigure>,
    pub first_response_p50_ms: Figure,
    pub first_response_p90_ms: Figure,
    pub resolution_p50_ms: Figure,
    pub resolution_p90_ms: Figure,
    /// Waiting before the first assignment.
    pub wait_p50_ms: Figure,
    pub wait_p90_ms: Figure,
    /// From the closing agent's assignment to close.
    pub handling_p50_ms: Figure,
    /// Percent of ratings that are 4 or 5.
    pub csat_score: Figure,
    pub csat_count: Figure,
    /// How many ratings of 1, 2, 3, 4 and 5 this period.
    pub csat_distribution: [u64; 5],
    /// Questions a knowledge-base article answered.
    pub deflections: Figure,
    pub transfers: Figure,
    pub reopenings: Figure,
    pub messages_in: Figure,
    pub messages_out: Figure,
}

/// One agent's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentRow {
    pub agent: AgentId,
    /// The display name; the id when the agent is gone.
    pub name: String,
    /// Conversations first assigned to the agent.
    pub conversations: u64,
    /// Conversations closed while the agent had them.
    pub resolved: u64,
    pub first_response_p50_ms: Option<f64>,
    pub resolution_p50_ms: Option<f64>,
    pub csat_score: Option<f64>,
    pub csat_count: u64,
    pub messages_out: u64,
}

/// One channel's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelRow {
    pub channel: Channel,
    pub conversations: u64,
    pub first_response_p50_ms: Option<f64>,
    pub first_response_p90_ms: Option<f64>,
    pub resolution_p50_ms: Option<f64>,
    pub csat_score: Option<f64>,
    pub csat_count: u64,
    pub messages_in: u64,
    pub messages_out: u64,
}

/// One site's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRow {
    pub site: SiteId,
    pub conversations: u64,
    pub first_response_p50_ms: Option<f64>,
    pub resolution_p50_ms: Option<f64>,
    pub csat_score: Option<f64>,
    pub csat_count: u64,
    pub messages_in: u64,
    pub messages_out: u64,
}

/// Incoming volume by local weekday and hour: `counts[weekday][hour]`,
/// Monday = 0, hours 0–23 of the site's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HeatMap {
    pub counts: [[u64; 24]; 7],
}

impl HeatMap {
    /// The busiest cell's count (0 when empty): what shades scale to.
    pub fn max(&self) -> u64 {
        self.counts.iter().flatten().copied().max().unwrap_or(0)
    }
}

/// A range of the first-response distribution. Each range includes its
/// upper bound: "under a minute" is up to and including 60 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseBucket {
    UnderOneMinute,
    OneToFiveMinutes,
    FiveToFifteenMinutes,
    FifteenToSixtyMinutes,
    OverOneHour,
}

impl ResponseBucket {
    pub const ALL: [ResponseBucket; 5] = [
        Self::UnderOneMinute,
        Self::OneToFiveMinutes,
        Self::FiveToFifteenMinutes,
        Self::FifteenToSixtyMinutes,
        Self::OverOneHour,
    ];

    /// The range a first response of `seconds` falls in.
    pub fn of_seconds(seconds: u64) -> Self {
        match seconds {
            0..=60 => Self::UnderOneMinute,
            61..=300 => Self::OneToFiveMinutes,
            301..=900 => Self::FiveToFifteenMinutes,
            901..=3600 => Self::FifteenToSixtyMinutes,
            _ => Self::OverOneHour,
        }
    }
}

/// How many first responses fell in one range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketCount {
    pub bucket: ResponseBucket,
    pub count: u64,
}

/// Everything a report shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub period: Period,
    pub overview: Overview,
    /// Busiest first (by conversations, then id).
    pub by_agent: Vec<AgentRow>,
    /// One per channel of [`REPORT_CHANNELS`], in that order.
    pub by_channel: Vec<ChannelRow>,
    pub by_site: Vec<SiteRow>,
    pub heat_map: HeatMap,
    /// One per [`ResponseBucket::ALL`], in that order.
    pub first_response_buckets: Vec<BucketCount>,
}

/// One agent as the live view shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveAgent {
    pub agent: AgentId,
    pub name: String,
    pub presence: Presence,
    /// Online with every slot taken.
    pub busy: bool,
    pub open_conversations: u32,
}

/// The service right now: who waits, who is there.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LiveView {
    /// When this was read (Unix ms).
    pub at_ms: u64,
    pub waiting: u32,
    /// How long the longest-waiting conversation has waited; `None` when
    /// nobody waits.
    pub longest_wait_ms: Option<u64>,
    /// Online and with a free slot.
    pub agents_online: u32,
    /// Online with every slot taken.
    pub agents_busy: u32,
    pub agents_away: u32,
    pub agents: Vec<LiveAgent>,
}

#[cfg(test)]
mod tests;
