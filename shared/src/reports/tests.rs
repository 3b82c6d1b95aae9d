//! The query's checks, the change rule, the response ranges and the
//! JSON a report travels as.

use super::*;

#[test]
fn queries_are_checked() {
    let q = |from_ms, to_ms| ReportQuery {
        from_ms,
        to_ms,
        business_hours: false,
    };
    assert_eq!(q(5, 5).check(), Err(ReportQueryProblem::EmptyPeriod));
    assert_eq!(q(6, 5).check(), Err(ReportQueryProblem::EmptyPeriod));
    assert_eq!(q(0, 400 * DAY_MS).check(), Ok(()));
    assert_eq!(
        q(0, 400 * DAY_MS + 1).check(),
        Err(ReportQueryProblem::TooLong)
    );
    assert_eq!(
        q(MAX_REPORT_MS, MAX_REPORT_MS + 1).check(),
        Err(ReportQueryProblem::OutOfRange)
    );
    assert_eq!(q(1_000, 3_000).previous(), (0, 1_000));
    assert_eq!(q(10_000, 13_000).previous(), (7_000, 10_000));
}

#[test]
fn change_needs_a_previous_value_other_than_zero() {
    assert_eq!(Figure::count(15, 10).change_percent, Some(50.0));
    assert_eq!(Figure::count(5, 10).change_percent, Some(-50.0));
    assert_eq!(Figure::count(5, 0).change_percent, None);
    assert_eq!(Figure::new(Some(1.0), None).change_percent, None);
    assert_eq!(Figure::new(None, Some(1.0)).change_percent, None);
}

#[test]
fn response_ranges_include_their_upper_bound() {
    let ranges: Vec<_> = [0, 60, 61, 300, 301, 900, 901, 3600, 3601]
        .into_iter()
        .map(ResponseBucket::of_seconds)
        .collect();
    use ResponseBucket::*;
    assert_eq!(
        ranges,
        [
            UnderOneMinute,
            UnderOneMinute,
            OneToFiveMinutes,
            OneToFiveMinutes,
            FiveToFifteenMinutes,
            FiveToFifteenMinutes,
            FifteenToSixtyMinutes,
            FifteenToSixtyMinutes,
            OverOneHour
        ]
    );
}

#[test]
fn a_report_round_trips_through_json() {
    let mut heat_map = HeatMap::default();
    heat_map.counts[0][9] = 3;
    let report = Report {
        period: Period {
            from_ms: 1,
            to_ms: 2,
            previous_from_ms: 0,
            previous_to_ms: 1,
            time_zone: "Europe/Berlin".into(),
            business_hours: true,
        },
        overview: Overview {
            volume: vec![ChannelFigure {
                channel: Channel::WebForm,
                figure: Figure::count(2, 1),
            }],
            ..Overview::default()
        },
        by_agent: Vec::new(),
        by_channel: Vec::new(),
        by_site: Vec::new(),
        heat_map,
        first_response_buckets: vec![BucketCount {
            bucket: ResponseBucket::OverOneHour,
            count: 4,
        }],
    };
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains(r#""channel":"web_form""#), "{json}");
    assert!(json.contains(r#""bucket":"over_one_hour""#), "{json}");
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
    assert_eq!(report.heat_map.max(), 3);
}
