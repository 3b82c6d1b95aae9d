//! A scripted week (`scenario`) read back into exactly the figures a
//! person would count by hand: overview, business hours, breakdowns,
//! heat map and first-response ranges.

use shared::contacts::Channel;
use shared::reports::{ReportQuery, ResponseBucket};
use shared::SiteId;

use super::build::{report_of, Inputs};
use super::facts::Measure;

mod scenario;

pub(crate) use scenario::report;
use scenario::{at, fact, office, summed, week};

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn the_overview_counts_what_happened() {
    let r = report(false);
    assert_eq!(r.period.previous_from_ms, at("2026-03-16T00:00:00Z"));
    assert_eq!(r.period.previous_to_ms, week().from_ms);
    assert_eq!(r.period.time_zone, "Europe/Berlin");
    let o = &r.overview;
    assert_eq!(
        (o.conversations.value, o.conversations.previous),
        (Some(6.0), Some(2.0))
    );
    assert_eq!(o.conversations.change_percent, Some(200.0));
    let volume: Vec<_> = o
        .volume
        .iter()
        .map(|v| (v.channel, v.figure.value, v.figure.change_percent))
        .collect();
    assert_eq!(
        volume,
        [
            (Channel::Chat, Some(3.0), Some(200.0)),
            (Channel::Email, Some(2.0), Some(100.0)),
            (Channel::Phone, Some(1.0), None),
            (Channel::Sms, Some(0.0), None),
            (Channel::Social, Some(0.0), None),
            (Channel::WebForm, Some(0.0), None),
        ]
    );
    // First responses: 45 s and 17 h 10 min (61,800 s, bucket 64,800 s).
    assert_eq!(o.first_response_p50_ms.value, Some(45_000.0));
    assert_eq!(o.first_response_p50_ms.previous, Some(90_000.0));
    assert_eq!(o.first_response_p50_ms.change_percent, Some(-50.0));
    assert_eq!(o.first_response_p90_ms.value, Some(64_800_000.0));
    assert!(close(
        o.first_response_p90_ms.change_percent,
        (64_800_000.0 - 90_000.0) / 90_000.0 * 100.0
    ));
    // Resolutions: 1,200 s and 63,600 s (bucket 64,800 s).
    assert_eq!(o.resolution_p50_ms.value, Some(1_200_000.0));
    assert_eq!(o.resolution_p90_ms.value, Some(64_800_000.0));
    assert_eq!(o.resolution_p50_ms.change_percent, Some(100.0));
    assert_eq!(
        (o.wait_p50_ms.value, o.wait_p90_ms.value),
        (Some(30_000.0), Some(120_000.0))
    );
    assert_eq!(o.wait_p50_ms.change_percent, Some(-50.0));
    // Handling: 1,170 s lands in the 1,200 s bucket.
    assert_eq!(o.handling_p50_ms.value, Some(1_200_000.0));
    assert_eq!(o.handling_p50_ms.previous, Some(540_000.0));
    assert_eq!(o.csat_distribution, [0, 1, 0, 1, 1]);
    assert!(close(o.csat_score.value, 200.0 / 3.0));
    assert_eq!(
        (o.csat_score.previous, o.csat_score.change_percent),
        (Some(0.0), None)
    );
    assert_eq!(
        (o.csat_count.value, o.csat_count.previous),
        (Some(3.0), Some(1.0))
    );
    assert_eq!(
        (o.deflections.value, o.deflections.change_percent),
        (Some(1.0), None)
    );
    assert_eq!(o.transfers.value, Some(1.0));
    assert_eq!(o.reopenings.value, Some(1.0));
    assert_eq!(
        (o.messages_in.value, o.messages_out.value),
        (Some(4.0), Some(4.0))
    );
    assert_eq!(o.messages_in.previous, Some(0.0));
}

#[test]
fn business_hours_leave_out_the_weekend() {
    let o = report(true).overview;
    // C2's first response counts its ten minutes on Friday only.
    assert_eq!(o.first_response_p50_ms.value, Some(45_000.0));
    assert_eq!(o.first_response_p90_ms.value, Some(600_000.0));
    // Resolutions: C2's 600 s, C1's 1,200 s.
    assert_eq!(o.resolution_p50_ms.value, Some(600_000.0));
    assert_eq!(o.resolution_p90_ms.value, Some(1_200_000.0));
    // Handling: Ben's eight minutes on Friday, Ana's 1,170 s.
    assert_eq!(o.handling_p50_ms.value, Some(480_000.0));
    assert_eq!(o.conversations.value, Some(6.0));
}

#[test]
fn agents_channels_and_sites() {
    let r = report(false);
    let agents: Vec<_> = r
        .by_agent
        .iter()
        .map(|a| {
            (
                a.agent.0.as_str(),
                a.name.as_str(),
                a.conversations,
                a.resolved,
                a.first_response_p50_ms,
                a.resolution_p50_ms,
                a.csat_score,
                a.csat_count,
                a.messages_out,
            )
        })
        .collect();
    assert_eq!(
        agents,
        [
            (
                "ana",
                "Ana, \"Lead\"",
                1,
                1,
                Some(45_000.0),
                Some(1_200_000.0),
                Some(100.0),
                1,
                3
            ),
            (
                "ben",
                "ben",
                1,
                1,
                Some(64_800_000.0),
                Some(64_800_000.0),
                Some(0.0),
                1,
                1
            ),
        ]
    );
    let chat = &r.by_channel[0];
    assert_eq!(
        (
            chat.channel,
            chat.conversations,
            chat.csat_score,
            chat.csat_count
        ),
        (Channel::Chat, 3, Some(50.0), 2)
    );
    assert_eq!(
        (chat.first_response_p50_ms, chat.first_response_p90_ms),
        (Some(45_000.0), Some(64_800_000.0))
    );
    assert_eq!((chat.messages_in, chat.messages_out), (4, 4));
    let email = &r.by_channel[1];
    assert_eq!(
        (
            email.conversations,
            email.csat_score,
            email.first_response_p50_ms
        ),
        (2, Some(100.0), None)
    );
    assert_eq!(r.by_channel.len(), 6);
    assert_eq!(r.by_site.len(), 1);
    let site = &r.by_site[0];
    assert_eq!(
        (
            site.site.0.as_str(),
            site.conversations,
            site.csat_count,
            site.messages_out
        ),
        ("s1", 6, 3, 4)
    );
}

#[test]
fn the_heat_map_is_in_local_time_and_the_buckets_in_ranges() {
    let r = report(false);
    let mut expected = [[0u64; 24]; 7];
    expected[0][9] = 1; // C1, Monday 09:00 CET
    expected[1][10] = 2; // two emails, Tuesday 10:xx CET
    expected[2][23] = 1; // a call, Wednesday 23:59 CET
    expected[4][16] = 1; // C2, Friday 16:50 CET
    expected[6][3] = 1; // C3, Sunday 03:30 CEST
    assert_eq!(r.heat_map.counts, expected);
    let counts = |r: &shared::reports::Report| {
        r.first_response_buckets
            .iter()
            .map(|b| (b.bucket, b.count))
            .collect::<Vec<_>>()
    };
    use ResponseBucket::*;
    assert_eq!(
        counts(&r),
        [
            (UnderOneMinute, 1),
            (OneToFiveMinutes, 0),
            (FiveToFifteenMinutes, 0),
            (FifteenToSixtyMinutes, 0),
            (OverOneHour, 1)
        ]
    );
    assert_eq!(
        counts(&report(true)),
        [
            (UnderOneMinute, 1),
            (OneToFiveMinutes, 0),
            (FiveToFifteenMinutes, 1),
            (FifteenToSixtyMinutes, 0),
            (OverOneHour, 0)
        ]
    );
}

#[test]
fn the_repeated_autumn_hour_counts_twice_in_its_local_hour() {
    let facts = [
        fact("2026-10-25T00:10:00Z", None, Channel::Chat, Measure::Opened),
        fact("2026-10-25T01:10:00Z", None, Channel::Chat, Measure::Opened),
        fact("2026-10-25T02:10:00Z", None, Channel::Chat, Measure::Opened),
    ];
    let hours = office();
    let site = SiteId("s1".into());
    let inputs = Inputs {
        site: &site,
        hours: Some(&hours),
        name_of: &|_| None,
    };
    let query = ReportQuery {
        from_ms: at("2026-10-24T22:00:00Z"),
        to_ms: at("2026-10-25T23:00:00Z"),
        business_hours: false,
    };
    let r = report_of(&inputs, &query, &summed(&facts), &[]);
    assert_eq!(r.heat_map.counts[6][2], 2);
    assert_eq!(r.heat_map.counts[6][3], 1);
    assert_eq!(r.overview.conversations.change_percent, None);
    // A site without hours reads in UTC.
    let bare = Inputs {
        site: &site,
        hours: None,
        name_of: &|_| None,
    };
    let r = report_of(&bare, &query, &summed(&facts), &[]);
    assert_eq!(
        (
            r.heat_map.counts[6][0],
            r.heat_map.counts[6][1],
            r.heat_map.counts[6][2]
        ),
        (1, 1, 1)
    );
    assert_eq!(r.period.time_zone, "UTC");
}

#[test]
fn days_are_the_sites_days_across_the_clock_change() {
    let resolved = |when| fact(when, Some("ana"), Channel::Chat, Measure::Transferred);
    let facts = [
        resolved("2026-03-28T22:59:00Z"), // Saturday 23:59 CET
        resolved("2026-03-28T23:00:00Z"), // Sunday 00:00 CET
        resolved("2026-03-29T21:59:00Z"), // Sunday 23:59 CEST
        resolved("2026-03-29T22:00:00Z"), // Monday 00:00 CEST
    ];
    let days: Vec<u64> = summed(&facts)
        .into_iter()
        .filter(|row| row.row == "agent:ana")
        .map(|row| row.bucket_ms)
        .collect();
    assert_eq!(
        days,
        [
            at("2026-03-27T23:00:00Z"),
            at("2026-03-28T23:00:00Z"),
            at("2026-03-29T22:00:00Z"),
        ]
    );
}
