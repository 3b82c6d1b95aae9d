//! The scripted week: conversations and ingested items with controlled
//! timestamps in Europe/Berlin over the spring daylight saving change,
//! turned into facts and summed as a store sums them. The expected
//! figures are in the tests beside this file and in `csv::tests`.

use std::collections::BTreeMap;

use shared::contacts::Channel;
use shared::hours::OpeningHours;
use shared::reports::{Report, ReportQuery};
use shared::{AgentId, SiteId};

use crate::opening_hours::{day_start_ms, time_zone};
use crate::reports::build::{report_of, Inputs};
use crate::reports::business_time::business_ms;
use crate::reports::facts::{Fact, Measure};
use crate::reports::rollup::adds_of;
use crate::reports::row::{add_to, Row};

pub(super) fn at(text: &str) -> u64 {
    let ts: jiff::Timestamp = text.parse().expect("an instant");
    u64::try_from(ts.as_millisecond()).expect("after 1970")
}

pub(crate) fn office() -> OpeningHours {
    OpeningHours::weekdays("Europe/Berlin", 9 * 60, 17 * 60)
}

pub(super) fn fact(when: &str, agent: Option<&str>, channel: Channel, measure: Measure) -> Fact {
    Fact {
        key: format!("{when}:{measure:?}"),
        site: SiteId("s1".into()),
        at_ms: at(when),
        agent: agent.map(|a| AgentId(a.into())),
        channel,
        measure,
    }
}

/// What a store returns: one row per (bucket, row key), days in Berlin.
pub(super) fn summed(facts: &[Fact]) -> Vec<Row> {
    let zone = time_zone(&office());
    let mut rows: BTreeMap<(u64, String), Vec<u64>> = BTreeMap::new();
    for fact in facts {
        for add in adds_of(fact, day_start_ms(&zone, fact.at_ms)) {
            let counts = rows.entry((add.bucket_ms, add.row)).or_default();
            add_to(counts, add.slot, add.by);
        }
    }
    rows.into_iter()
        .map(|((bucket_ms, row), counts)| Row {
            bucket_ms,
            row,
            counts,
        })
        .collect()
}

/// Monday 23 March 00:00 CET to Monday 30 March 00:00 CEST: 167 hours.
pub(super) fn week() -> ReportQuery {
    ReportQuery {
        from_ms: at("2026-03-22T23:00:00Z"),
        to_ms: at("2026-03-29T22:00:00Z"),
        business_hours: false,
    }
}

fn this_week() -> Vec<Fact> {
    use Channel::*;
    use Measure::*;
    let hours = office();
    // C2 asks on Friday at 16:50 and is answered on Saturday at 10:00:
    // ten minutes of business time.
    let (asked, answered) = (at("2026-03-27T15:50:00Z"), at("2026-03-28T09:00:00Z"));
    let c2_business = business_ms(Some(&hours), asked, answered);
    assert_eq!(c2_business, 600_000);
    let c2_resolved = business_ms(Some(&hours), asked, at("2026-03-28T09:30:00Z"));
    // Ben had it from Friday 16:52: eight minutes of business time.
    let c2_handled = business_ms(Some(&hours), asked + 120_000, at("2026-03-28T09:30:00Z"));
    assert_eq!(c2_handled, 480_000);
    let ana = Some("ana");
    let ben = Some("ben");
    vec![
        // C1: Monday 09:00, answered in 45 s, closed after 20 minutes.
        fact("2026-03-23T08:00:00Z", None, Chat, Opened),
        fact("2026-03-23T08:00:00Z", None, Chat, MessageIn),
        fact("2026-03-23T08:00:05Z", None, Chat, MessageIn),
        fact(
            "2026-03-23T08:00:30Z",
            ana,
            Chat,
            Waited {
                ms: 30_000,
                business_ms: 30_000,
            },
        ),
        fact(
            "2026-03-23T08:00:45Z",
            ana,
            Chat,
            FirstResponse {
                ms: 45_000,
                business_ms: 45_000,
            },
        ),
        fact("2026-03-23T08:00:45Z", ana, Chat, MessageOut),
        fact("2026-03-23T08:05:00Z", ana, Chat, MessageOut),
        fact("2026-03-23T08:10:00Z", ana, Chat, MessageOut),
        fact(
            "2026-03-23T08:20:00Z",
            ana,
            Chat,
            Resolved {
                resolution_ms: 1_200_000,
                business_resolution_ms: 1_200_000,
                handling_ms: 1_170_000,
                business_handling_ms: 1_170_000,
            },
        ),
        fact("2026-03-23T08:21:00Z", ana, Chat, Rated { rating: 5 }),
        fact("2026-03-24T08:00:00Z", ana, Chat, Reopened),
        // C2: Friday 16:50, over the weekend.
        fact("2026-03-27T15:50:00Z", None, Chat, Opened),
        fact("2026-03-27T15:50:00Z", None, Chat, MessageIn),
        fact(
            "2026-03-27T15:52:00Z",
            ben,
            Chat,
            Waited {
                ms: 120_000,
                business_ms: 120_000,
            },
        ),
        fact("2026-03-28T08:00:00Z", ben, Chat, Transferred),
        fact(
            "2026-03-28T09:00:00Z",
            ben,
            Chat,
            FirstResponse {
                ms: answered - asked,
                business_ms: c2_business,
            },
        ),
        fact("2026-03-28T09:00:00Z", ben, Chat, MessageOut),
        fact(
            "2026-03-28T09:30:00Z",
            ben,
            Chat,
            Resolved {
                resolution_ms: 63_600_000,
                business_resolution_ms: c2_resolved,
                handling_ms: 63_480_000,
                business_handling_ms: c2_handled,
            },
        ),
        fact("2026-03-28T09:31:00Z", ben, Chat, Rated { rating: 2 }),
        // C3: Sunday 03:30 CEST, just after the clocks went forward.
        fact("2026-03-29T01:30:00Z", None, Chat, Opened),
        fact("2026-03-29T01:30:00Z", None, Chat, MessageIn),
        // Ingested items, and a question an article answered.
        fact("2026-03-24T09:15:00Z", None, Email, Opened),
        fact("2026-03-24T09:40:00Z", None, Email, Opened),
        fact("2026-03-24T09:50:00Z", None, Email, Rated { rating: 4 }),
        fact("2026-03-25T22:59:00Z", None, Phone, Opened),
        fact("2026-03-24T09:00:00Z", None, Chat, Deflected),
    ]
}

fn last_week() -> Vec<Fact> {
    use Channel::*;
    use Measure::*;
    let ana = Some("ana");
    vec![
        fact("2026-03-17T10:00:00Z", None, Chat, Opened),
        fact(
            "2026-03-17T10:01:00Z",
            ana,
            Chat,
            Waited {
                ms: 60_000,
                business_ms: 60_000,
            },
        ),
        fact(
            "2026-03-17T10:02:30Z",
            ana,
            Chat,
            FirstResponse {
                ms: 90_000,
                business_ms: 90_000,
            },
        ),
        fact(
            "2026-03-17T10:10:00Z",
            ana,
            Chat,
            Resolved {
                resolution_ms: 600_000,
                business_resolution_ms: 600_000,
                handling_ms: 540_000,
                business_handling_ms: 540_000,
            },
        ),
        fact("2026-03-17T10:11:00Z", ana, Chat, Rated { rating: 3 }),
        fact("2026-03-18T10:00:00Z", None, Email, Opened),
    ]
}

pub(crate) fn report(business_hours: bool) -> Report {
    let hours = office();
    let site = SiteId("s1".into());
    let names = |id: &str| (id == "ana").then(|| "Ana, \"Lead\"".to_owned());
    let inputs = Inputs {
        site: &site,
        hours: Some(&hours),
        name_of: &names,
    };
    let query = ReportQuery {
        business_hours,
        ..week()
    };
    report_of(
        &inputs,
        &query,
        &summed(&this_week()),
        &summed(&last_week()),
    )
}
