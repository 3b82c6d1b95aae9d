//! The reports page's rules: what is sent for each period, what the page
//! keeps of the relay's answers, errors landing on the page, and the
//! live view surviving a reconnect; and that the page's tables, the
//! charts' alternatives and the CSV read the same numbers.

use shared::contacts::Channel;
use shared::report_period::{ReportDays, ReportPeriod};
use shared::reports::{
    AgentRow, BucketCount, ChannelFigure, Figure, HeatMap, LiveView, Overview, Period, Report,
    ResponseBucket,
};
use shared::{AgentFrame, ErrorCode, ServerFrame, SiteId};

use super::csv::csv_text;
use super::{chart, tables, ReportAsk};
use crate::i18n::EN;
use crate::model::tests::{sent, signed_in, welcome};
use crate::model::{Fetch, Model};

fn ask(period: ReportPeriod) -> ReportAsk {
    ReportAsk {
        site: "demo".into(),
        period,
        business_hours: true,
    }
}

pub(crate) fn sample() -> Report {
    let mut heat_map = HeatMap::default();
    heat_map.counts[2][14] = 3;
    Report {
        period: Period {
            from_ms: 0,
            to_ms: 1,
            previous_from_ms: 0,
            previous_to_ms: 0,
            time_zone: "Europe/Berlin".into(),
            business_hours: false,
        },
        overview: Overview {
            conversations: Figure::count(3, 2),
            volume: vec![ChannelFigure {
                channel: Channel::Chat,
                figure: Figure::count(3, 2),
            }],
            first_response_p50_ms: Figure::new(Some(45_000.0), Some(90_000.0)),
            csat_distribution: [0, 0, 1, 0, 2],
            ..Overview::default()
        },
        by_agent: vec![AgentRow {
            agent: "a_1".into(),
            name: "=Dana, the \"best\"".into(),
            conversations: 3,
            resolved: 2,
            first_response_p50_ms: Some(45_000.0),
            resolution_p50_ms: None,
            csat_score: Some(66.7),
            csat_count: 3,
            messages_out: 9,
        }],
        by_channel: vec![],
        by_site: vec![],
        heat_map,
        first_response_buckets: vec![BucketCount {
            bucket: ResponseBucket::UnderOneMinute,
            count: 2,
        }],
    }
}

fn answer(m: &mut Model) {
    m.apply(ServerFrame::Report {
        site: "demo".into(),
        days: ReportDays {
            first_day: "2026-11-01".into(),
            last_day: "2026-11-07".into(),
        },
        report: Box::new(sample()),
    });
}

#[test]
fn a_preset_is_sent_and_its_answer_shown() {
    let mut m = signed_in(vec![]);
    let frame = m.report_ask(ask(ReportPeriod::Last7Days));
    assert_eq!(
        frame,
        Some(AgentFrame::Report {
            site: "demo".into(),
            period: ReportPeriod::Last7Days,
            business_hours: true,
        })
    );
    assert_eq!(m.reports.load, Fetch::Pending);
    answer(&mut m);
    assert_eq!(m.reports.load, Fetch::Settled);
    let shown = m.reports.shown.as_ref().unwrap();
    assert_eq!(shown.site, SiteId::from("demo"));
    assert_eq!(shown.days.first_day, "2026-11-01");
}

#[test]
fn custom_dates_must_make_a_period() {
    let mut m = signed_in(vec![]);
    let backwards = ReportPeriod::Custom {
        first_day: "2026-11-07".into(),
        last_day: "2026-11-01".into(),
    };
    assert_eq!(m.report_ask(ask(backwards)), None);
    assert!(m.reports.bad_dates);
    let fine = ReportPeriod::Custom {
        first_day: "2026-11-01".into(),
        last_day: "2026-11-01".into(),
    };
    assert!(m.report_ask(ask(fine)).is_some());
    assert!(!m.reports.bad_dates);
}

#[test]
fn a_refusal_lands_on_the_page() {
    let mut m = signed_in(vec![]);
    m.report_ask(ask(ReportPeriod::Today));
    m.apply(ServerFrame::error(ErrorCode::Forbidden, "admins only"));
    assert_eq!(m.reports.load, Fetch::Failed(ErrorCode::Forbidden));
    assert_eq!(m.banner, None);
}

#[test]
fn the_live_view_is_watched_again_after_a_reconnect() {
    let mut m = signed_in(vec![]);
    assert_eq!(
        m.watch_live(true),
        Some(AgentFrame::WatchLive { watch: true })
    );
    assert_eq!(m.watch_live(true), None, "already watching");
    m.apply(ServerFrame::LiveView(LiveView {
        waiting: 2,
        ..LiveView::default()
    }));
    assert_eq!(m.reports.live.as_ref().map(|l| l.waiting), Some(2));
    m.report_ask(ask(ReportPeriod::Today));
    let fx = m.apply(welcome(vec![], vec![]));
    let frames = sent(&fx);
    assert!(frames.contains(&AgentFrame::WatchLive { watch: true }));
    assert!(frames
        .iter()
        .any(|f| matches!(f, AgentFrame::Report { .. })));
    assert_eq!(
        m.watch_live(false),
        Some(AgentFrame::WatchLive { watch: false })
    );
    assert_eq!(m.reports.live, None);
}

#[test]
fn tables_and_csv_read_the_same_numbers() {
    let report = sample();
    let agents = tables::by_agent(&report, &EN);
    assert_eq!(agents.rows[0][1], "3");
    assert_eq!(agents.rows[0][3], "45 s");
    assert_eq!(agents.rows[0][4], "—");
    assert_eq!(agents.rows[0][5], "66.7%");
    let csv = csv_text(&agents);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[1],
        "\"'=Dana, the \"\"best\"\"\",3,2,45 s,—,66.7%,3,9"
    );
    let overview = tables::overview(&report, &EN);
    assert_eq!(overview.rows[0], ["Conversations", "3", "2", "+50%"]);
    assert_eq!(overview.rows[1][0], "Chat");
    assert_eq!(
        overview.rows[2],
        ["First response, median", "45 s", "1 min 30 s", "-50%"]
    );
    let heat = tables::heat_map(&report, &EN);
    assert_eq!(heat.header.len(), 25);
    assert_eq!(heat.rows[2][0], "Wednesday");
    assert_eq!(heat.rows[2][15], "3");
    let buckets = tables::response_buckets(&report, &EN);
    assert_eq!(chart::column_counts(&buckets), [2, 0, 0, 0, 0]);
    let csat = tables::csat_distribution(&report, &EN);
    assert_eq!(csat.rows[4], ["5 stars", "2"]);
    assert!(chart::chart_label(&buckets, &EN).starts_with("First response times: Under 1 min: 2, "));
}
