//! A report as tables of text: the one form the page's tables, the
//! charts' accessible alternatives and the CSV downloads all read, so a
//! number can never differ between them.

use shared::reports::{Figure, Report, ResponseBucket};

use super::figures::{count, maybe_duration, maybe_score, Change};
use crate::i18n::{Catalog, ReportWords};

/// One table: a name for its file, a caption, a header row and rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Names the CSV file (`report-<slug>-…csv`) and the element ids.
    pub(crate) slug: &'static str,
    pub(crate) title: String,
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// How a figure's value reads.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Count,
    Duration,
    Score,
}

fn value(kind: Kind, v: Option<f64>, t: &Catalog) -> String {
    match kind {
        Kind::Count => count(v),
        Kind::Duration => maybe_duration(v, &t.reports),
        Kind::Score => maybe_score(v, &t.reports),
    }
}

/// The overview cards as rows: figure, this period, previous, change.
pub(crate) fn overview(report: &Report, t: &Catalog) -> Table {
    let w = &t.reports;
    let o = &report.overview;
    let mut figures: Vec<(String, Kind, &Figure)> =
        vec![(w.conversations.to_owned(), Kind::Count, &o.conversations)];
    for channel in &o.volume {
        let name = t.channel(channel.channel).to_owned();
        figures.push((name, Kind::Count, &channel.figure));
    }
    figures.extend([
        (
            w.first_response_p50.to_owned(),
            Kind::Duration,
            &o.first_response_p50_ms,
        ),
        (
            w.first_response_p90.to_owned(),
            Kind::Duration,
            &o.first_response_p90_ms,
        ),
        (
            w.resolution_p50.to_owned(),
            Kind::Duration,
            &o.resolution_p50_ms,
        ),
        (
            w.resolution_p90.to_owned(),
            Kind::Duration,
            &o.resolution_p90_ms,
        ),
        (w.csat_score.to_owned(), Kind::Score, &o.csat_score),
        (w.ratings.to_owned(), Kind::Count, &o.csat_count),
        (w.deflections.to_owned(), Kind::Count, &o.deflections),
    ]);
    Table {
        slug: "overview",
        title: w.overview.to_owned(),
        header: strings(&[w.figure, w.this_period, w.previous_period, w.change]),
        rows: figures
            .into_iter()
            .map(|(name, kind, f)| {
                vec![
                    name,
                    value(kind, f.value, t),
                    value(kind, f.previous, t),
                    Change::of(f).signed(w),
                ]
            })
            .collect(),
    }
}

/// The columns every breakdown shares after its name and counts.
fn quality_header(w: &ReportWords) -> [&'static str; 4] {
    [
        w.first_response_p50,
        w.resolution_p50,
        w.csat_score,
        w.ratings,
    ]
}

fn quality_cells(
    w: &ReportWords,
    first_response: Option<f64>,
    resolution: Option<f64>,
    csat: Option<f64>,
    ratings: u64,
) -> [String; 4] {
    [
        maybe_duration(first_response, w),
        maybe_duration(resolution, w),
        maybe_score(csat, w),
        ratings.to_string(),
    ]
}

/// A breakdown: the name column, the columns before and after the
/// shared ones, and each row's cells in that order.
fn breakdown(
    slug: &'static str,
    title: &str,
    before: &[&str],
    after: &[&str],
    w: &ReportWords,
    rows: Vec<Vec<String>>,
) -> Table {
    let mut header = strings(before);
    header.extend(strings(&quality_header(w)));
    header.extend(strings(after));
    Table {
        slug,
        title: title.to_owned(),
        header,
        rows,
    }
}

/// Joins a row's parts: name and counts, the shared cells, the rest.
fn row(before: Vec<String>, quality: [String; 4], after: Vec<String>) -> Vec<String> {
    before.into_iter().chain(quality).chain(after).collect()
}

pub(crate) fn by_agent(report: &Report, t: &Catalog) -> Table {
    let w = &t.reports;
    let rows = report
        .by_agent
        .iter()
        .map(|r| {
            row(
                vec![
                    r.name.clone(),
                    r.conversations.to_string(),
                    r.resolved.to_string(),
                ],
                quality_cells(
                    w,
                    r.first_response_p50_ms,
                    r.resolution_p50_ms,
                    r.csat_score,
                    r.csat_count,
                ),
                vec![r.messages_out.to_string()],
            )
        })
        .collect();
    let before = [w.agent, w.conversations, w.resolved];
    breakdown("agents", w.by_agent, &before, &[w.messages_out], w, rows)
}

pub(crate) fn by_channel(report: &Report, t: &Catalog) -> Table {
    let w = &t.reports;
    let rows = report
        .by_channel
        .iter()
        .map(|r| {
            row(
                vec![t.channel(r.channel).to_owned(), r.conversations.to_string()],
                quality_cells(
                    w,
                    r.first_response_p50_ms,
                    r.resolution_p50_ms,
                    r.csat_score,
                    r.csat_count,
                ),
                vec![
                    maybe_duration(r.first_response_p90_ms, w),
                    r.messages_in.to_string(),
                    r.messages_out.to_string(),
                ],
            )
        })
        .collect();
    let after = [w.first_response_p90, w.messages_in, w.messages_out];
    breakdown(
        "channels",
        w.by_channel,
        &[w.channel, w.conversations],
        &after,
        w,
        rows,
    )
}

pub(crate) fn by_site(report: &Report, t: &Catalog) -> Table {
    let w = &t.reports;
    let rows = report
        .by_site
        .iter()
        .map(|r| {
            row(
                vec![r.site.to_string(), r.conversations.to_string()],
                quality_cells(
                    w,
                    r.first_response_p50_ms,
                    r.resolution_p50_ms,
                    r.csat_score,
                    r.csat_count,
                ),
                vec![r.messages_in.to_string(), r.messages_out.to_string()],
            )
        })
        .collect();
    let after = [w.messages_in, w.messages_out];
    breakdown(
        "sites",
        w.by_site,
        &[w.site, w.conversations],
        &after,
        w,
        rows,
    )
}

/// The heat map: a row per weekday (Monday first), a column per hour.
pub(crate) fn heat_map(report: &Report, t: &Catalog) -> Table {
    let w = &t.reports;
    let mut header = vec![w.weekday.to_owned()];
    header.extend((0..24).map(|h| format!("{h:02}")));
    Table {
        slug: "heat-map",
        title: w.heat_map.to_owned(),
        header,
        rows: report
            .heat_map
            .counts
            .iter()
            .zip(w.weekdays)
            .map(|(hours, day)| {
                let mut row = vec![day.to_owned()];
                row.extend(hours.iter().map(u64::to_string));
                row
            })
            .collect(),
    }
}

/// First responses per time range, in the ranges' order.
pub(crate) fn response_buckets(report: &Report, t: &Catalog) -> Table {
    let w = &t.reports;
    Table {
        slug: "first-response",
        title: w.response_buckets.to_owned(),
        header: strings(&[w.response_buckets, w.responses]),
        rows: ResponseBucket::ALL
            .iter()
            .zip(w.buckets)
            .map(|(bucket, name)| {
                let n = report
                    .first_response_buckets
                    .iter()
                    .find(|b| b.bucket == *bucket)
                    .map_or(0, |b| b.count);
                vec![name.to_owned(), n.to_string()]
            })
            .collect(),
    }
}

/// How many ratings of each value, 1 to 5.
pub(crate) fn csat_distribution(report: &Report, t: &Catalog) -> Table {
    let w = &t.reports;
    Table {
        slug: "csat",
        title: w.csat_distribution.to_owned(),
        header: strings(&[w.csat_score, w.ratings]),
        rows: report
            .overview
            .csat_distribution
            .iter()
            .zip(w.rating_names)
            .map(|(n, name)| vec![name.to_owned(), n.to_string()])
            .collect(),
    }
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}
