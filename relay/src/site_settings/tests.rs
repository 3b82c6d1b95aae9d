//! Each text form of `switchboard site` and `switchboard agent`, each
//! mistake's message, and the settings that result from applying them.

use shared::hours::{OpenSpan, OpeningHours, TimeSpan};
use shared::routing::SiteRouting;
use shared::AgentId;

use super::*;

#[test]
fn shop_door_hours_are_read() {
    let hours = parse_hours("Mon-Fri 09:00-17:30, sat 10:00-14:00", "+01:00").unwrap();
    assert_eq!(hours.utc_offset_minutes, 60);
    assert_eq!(hours.spans.len(), 6);
    assert_eq!(
        hours.spans[5],
        OpenSpan {
            weekday: 5,
            opens: 600,
            closes: 840
        }
    );
    assert_eq!(hours.spans[0].closes, 17 * 60 + 30);
    let wrapping = parse_hours("fri-mon 00:00-24:00", "-05:30").unwrap();
    let days: Vec<u8> = wrapping.spans.iter().map(|s| s.weekday).collect();
    assert_eq!(days, [4, 5, 6, 0]);
    assert_eq!(wrapping.utc_offset_minutes, -330);
    let lunch = parse_weekly("mon 09:00-12:00, mon 13:00-17:00").unwrap();
    assert_eq!(lunch.len(), 2);
}

#[test]
fn mistakes_say_what_was_expected() {
    assert!(matches!(
        parse_hours("someday 09:00-17:00", "0"),
        Err(HoursSyntax::Days(_))
    ));
    assert!(matches!(
        parse_hours("mon 9-5", "0"),
        Err(HoursSyntax::Times(_))
    ));
    assert!(matches!(
        parse_hours("mon 17:00-09:00", "0"),
        Err(HoursSyntax::Invalid(_))
    ));
    assert!(matches!(
        parse_hours("mon 09:00-17:00", "+15:00"),
        Err(HoursSyntax::Offset(_))
    ));
    assert!(matches!(
        parse_hours("mon 09:00-17:00", "one"),
        Err(HoursSyntax::Offset(_))
    ));
    let message = parse_weekly("mon 9-5").unwrap_err().to_string();
    assert!(message.contains("HH:MM-HH:MM"), "{message}");
}

#[test]
fn holidays_are_a_date_and_a_name() {
    let christmas = parse_holiday(" 2026-12-25  Christmas Day ").unwrap();
    assert_eq!(christmas.date, "2026-12-25");
    assert_eq!(christmas.name, "Christmas Day");
    for bad in [
        "2026-12-25",
        "Christmas 2026-12-25",
        "2026-12-25Christmas",
        "26-12-25 X",
        "",
    ] {
        let error = parse_holiday(bad).unwrap_err();
        assert_eq!(error, HoursSyntax::Holiday(bad.into()));
        assert!(error.to_string().contains("YYYY-MM-DD NAME"), "{error}");
    }
}

#[test]
fn exceptions_are_a_date_and_hours_or_closed() {
    let sunday = parse_exception("2026-12-27 10:00-14:00").unwrap();
    assert_eq!(sunday.date, "2026-12-27");
    assert_eq!(
        sunday.spans,
        [TimeSpan {
            opens: 600,
            closes: 840
        }]
    );
    let split = parse_exception("2026-12-31 09:00-12:00, 13:00-15:00").unwrap();
    assert_eq!(split.spans.len(), 2);
    let closed = parse_exception("2026-12-24 Closed").unwrap();
    assert!(closed.spans.is_empty());
    for bad in [
        "2026-12-24",
        "2026-12-24 shut",
        "2026-12-24 10-14",
        "2026-12-24 10:00-14:00,",
        "x closed",
    ] {
        let error = parse_exception(bad).unwrap_err();
        assert_eq!(error, HoursSyntax::Exception(bad.into()));
        assert!(error.to_string().contains("closed"), "{error}");
    }
}

#[test]
fn teams_topics_and_pairs_are_read() {
    assert_eq!(
        parse_team("billing:Billing and invoices").unwrap(),
        ("billing".into(), "Billing and invoices".into())
    );
    for bad in ["billing", ":Billing", "billing:"] {
        let error = parse_team(bad).unwrap_err();
        assert!(error.to_string().contains("TEAM:NAME"), "{error}");
    }
    let refunds = parse_topic("refunds:Refunds and returns:billing").unwrap();
    assert_eq!(refunds.id, "refunds");
    assert_eq!(refunds.label, "Refunds and returns");
    assert_eq!(refunds.team.as_deref(), Some("billing"));
    assert_eq!(refunds.skill, None);
    let vat = parse_topic("vat:VAT questions:billing:vat").unwrap();
    assert_eq!(vat.skill.as_deref(), Some("vat"));
    let anyone = parse_topic("faq:Anything else:").unwrap();
    assert_eq!(anyone.team, None);
    for bad in [
        "refunds",
        "refunds:Refunds",
        ":Label:team",
        "a:b:c:d:e",
        "a:b:c:",
    ] {
        let error = parse_topic(bad).unwrap_err();
        assert!(
            error.to_string().contains("ID:LABEL:TEAM[:SKILL]"),
            "{error}"
        );
    }
    assert_eq!(
        parse_pair("billing=a@x.test, b@x.test", "F").unwrap(),
        ("billing".into(), "a@x.test, b@x.test".into())
    );
    assert_eq!(parse_pair("pricing=", "F").unwrap().1, "");
    assert!(parse_pair("=x", "TEAM=EMAILS")
        .unwrap_err()
        .to_string()
        .contains("TEAM=EMAILS"));
    assert!(parse_pair("billing", "TEAM=EMAILS").is_err());
    let vip = parse_attribute("plan=vip").unwrap();
    assert_eq!((vip.key.as_str(), vip.value.as_str()), ("plan", "vip"));
    assert!(parse_attribute("plan=").is_err());
    assert_eq!(parse_list(" fa, en ,,"), ["fa", "en"]);
    assert!(parse_list("").is_empty());
}

fn args() -> SiteArgs {
    SiteArgs {
        site: "demo".into(),
        ..SiteArgs::default()
    }
}

fn agent(n: u8) -> AgentId {
    format!("a{n}").as_str().into()
}

/// Applies `args` to the given settings, with `members` already looked up.
fn applied(
    hours: &mut Option<OpeningHours>,
    routing: &mut SiteRouting,
    args: &SiteArgs,
) -> Result<(), SettingsError> {
    let changes = SiteChanges::from_args(args)?;
    let members = changes
        .routing
        .team_members
        .iter()
        .map(|(team, emails)| (team.clone(), (1..=emails.len() as u8).map(agent).collect()))
        .collect();
    apply(hours, routing, &changes, members)
}

#[test]
fn hours_get_a_zone_holidays_and_exceptions() {
    let (mut hours, mut routing) = (None, SiteRouting::default());
    let set = SiteArgs {
        hours: Some("mon-fri 09:00-17:00".into()),
        time_zone: Some("europe/berlin".into()),
        holiday: vec![
            "2026-12-25 Christmas Day".into(),
            "2026-12-26 Boxing Day".into(),
        ],
        exception: vec!["2026-12-27 10:00-14:00".into()],
        ..args()
    };
    applied(&mut hours, &mut routing, &set).unwrap();
    let stored = hours.clone().unwrap();
    assert_eq!(stored.time_zone, "Europe/Berlin");
    assert_eq!(stored.spans.len(), 5);
    assert_eq!(stored.holidays.len(), 2);
    assert_eq!(stored.exceptions[0].date, "2026-12-27");
    // New weekly hours keep the calendar; a holiday on the same date replaces.
    let again = SiteArgs {
        hours: Some("mon-sat 08:00-20:00".into()),
        holiday: vec!["2026-12-25 Christmas".into()],
        ..args()
    };
    applied(&mut hours, &mut routing, &again).unwrap();
    let stored = hours.clone().unwrap();
    assert_eq!(stored.spans.len(), 6);
    assert_eq!(stored.time_zone, "Europe/Berlin");
    assert_eq!(stored.holidays[0].name, "Christmas");
    assert_eq!(stored.holidays.len(), 2);
    // Old scripts' fixed offset still works, and replaces the zone.
    let legacy = SiteArgs {
        utc_offset: Some("-05:00".into()),
        clear_holidays: true,
        clear_exceptions: true,
        ..args()
    };
    applied(&mut hours, &mut routing, &legacy).unwrap();
    let stored = hours.clone().unwrap();
    assert_eq!(
        (stored.time_zone.as_str(), stored.utc_offset_minutes),
        ("", -300)
    );
    assert!(stored.holidays.is_empty() && stored.exceptions.is_empty());
    // A schedule with no zone given is in UTC.
    let mut fresh = None;
    let plain = SiteArgs {
        hours: Some("mon 09:00-17:00".into()),
        ..args()
    };
    applied(&mut fresh, &mut routing, &plain).unwrap();
    assert_eq!(fresh.unwrap().time_zone, "UTC");
}

#[test]
fn calendar_mistakes_are_refused() {
    let unknown = SiteArgs {
        time_zone: Some("Mars/Olympus_Mons".into()),
        ..args()
    };
    let error = SiteChanges::from_args(&unknown).unwrap_err().to_string();
    assert!(error.contains("Europe/Berlin"), "{error}");
    let (mut hours, mut routing) = (None, SiteRouting::default());
    let nothing_to_apply_to = SiteArgs {
        holiday: vec!["2026-12-25 Christmas Day".into()],
        ..args()
    };
    assert!(matches!(
        applied(&mut hours, &mut routing, &nothing_to_apply_to),
        Err(SettingsError::NoHours)
    ));
    let impossible = SiteArgs {
        hours: Some("mon 09:00-17:00".into()),
        holiday: vec!["2026-02-30 Never".into()],
        ..args()
    };
    let error = applied(&mut hours, &mut routing, &impossible).unwrap_err();
    assert!(
        matches!(&error, SettingsError::Schedule { problem: HoursError::Date(d), .. } if d == "2026-02-30"),
        "{error}"
    );
}

#[test]
fn teams_and_topics_are_added_changed_and_removed() {
    let (mut hours, mut routing) = (None, SiteRouting::default());
    let set = SiteArgs {
        hours: Some("mon-fri 09:00-17:00".into()),
        time_zone: Some("Asia/Tehran".into()),
        holiday: vec!["2026-03-20 Nowruz".into()],
        team: vec!["billing:Billing".into(), "sales:Sales".into()],
        team_members: vec!["billing=a@x.test,b@x.test".into()],
        team_hours: vec!["billing=sat-wed 08:00-20:00".into()],
        team_answer_within: vec!["billing=120".into()],
        topic: vec![
            "refunds:Refunds and returns:billing:vat".into(),
            "pricing:Prices:sales".into(),
        ],
        topic_url: vec!["pricing=/pricing".into(), "pricing=/plans".into()],
        widen_after: Some(30),
        answer_within: Some(90),
        offline_grace: Some(120),
        priority_identified: Some(true),
        priority_attribute: Some("plan=vip".into()),
        offline_form: Some(false),
        ..args()
    };
    applied(&mut hours, &mut routing, &set).unwrap();
    let billing = routing.team("billing").unwrap();
    assert_eq!(billing.members, [agent(1), agent(2)]);
    assert_eq!(billing.answer_within_secs, Some(120));
    let team_hours = billing.hours.as_ref().unwrap();
    assert_eq!(team_hours.time_zone, "Asia/Tehran");
    assert_eq!(team_hours.spans.len(), 5);
    assert_eq!(team_hours.holidays[0].name, "Nowruz");
    let refunds = routing.topic("refunds").unwrap();
    assert_eq!(refunds.skill.as_deref(), Some("vat"));
    assert_eq!(
        routing.topic("pricing").unwrap().url_contains,
        ["/pricing", "/plans"]
    );
    assert_eq!(
        (
            routing.widen_after_secs,
            routing.answer_within_secs,
            routing.offline_grace_secs
        ),
        (30, 90, 120)
    );
    assert!(routing.priority.identified && !routing.offline_form);
    assert_eq!(routing.priority.attribute.as_ref().unwrap().value, "vip");
    // A zone change reaches the team's own hours too.
    let zone = SiteArgs {
        time_zone: Some("Europe/Berlin".into()),
        team: vec!["billing:Billing and invoices".into()],
        topic: vec!["pricing:Plans and prices:sales".into()],
        no_priority_attribute: true,
        ..args()
    };
    applied(&mut hours, &mut routing, &zone).unwrap();
    let billing = routing.team("billing").unwrap();
    assert_eq!(billing.name, "Billing and invoices");
    assert_eq!(billing.members.len(), 2);
    assert_eq!(billing.hours.as_ref().unwrap().time_zone, "Europe/Berlin");
    let pricing = routing.topic("pricing").unwrap();
    assert_eq!(pricing.label, "Plans and prices");
    assert_eq!(
        pricing.url_contains.len(),
        2,
        "changing a topic keeps its URL rules"
    );
    assert_eq!(routing.priority.attribute, None);
    // A team still in use by a topic stays; remove the topic first.
    let early = SiteArgs {
        remove_team: vec!["sales".into()],
        ..args()
    };
    let before = routing.clone();
    let error = applied(&mut hours, &mut routing.clone(), &early).unwrap_err();
    assert!(error.to_string().contains("topic \"pricing\""), "{error}");
    let both = SiteArgs {
        remove_topic: vec!["pricing".into()],
        remove_team: vec!["sales".into()],
        team_hours: vec!["billing=site".into()],
        ..args()
    };
    applied(&mut hours, &mut routing, &both).unwrap();
    assert!(routing.team("sales").is_none() && routing.topic("pricing").is_none());
    assert!(routing.team("billing").unwrap().hours.is_none());
    assert_ne!(routing, before);
}

#[test]
fn routing_mistakes_name_the_problem() {
    let (mut hours, mut routing) = (None, SiteRouting::default());
    let cases: [(SiteArgs, &str); 7] = [
        (
            SiteArgs {
                team_members: vec!["nobody=a@x.test".into()],
                ..args()
            },
            "no team \"nobody\"",
        ),
        (
            SiteArgs {
                topic: vec!["refunds:Refunds:nobody".into()],
                ..args()
            },
            "no team \"nobody\"",
        ),
        (
            SiteArgs {
                team: vec!["Billing Team:Billing".into()],
                ..args()
            },
            "not a usable id",
        ),
        (
            SiteArgs {
                topic_url: vec!["nope=/x".into()],
                ..args()
            },
            "no topic \"nope\"",
        ),
        (
            SiteArgs {
                widen_after: Some(100_000),
                ..args()
            },
            "over a day",
        ),
        (
            SiteArgs {
                team: vec!["billing:Billing".into()],
                team_answer_within: vec!["billing=soon".into()],
                ..args()
            },
            "number of seconds",
        ),
        (
            SiteArgs {
                remove_topic: vec!["nope".into()],
                ..args()
            },
            "no topic \"nope\"",
        ),
    ];
    for (case, message) in cases {
        let error = applied(&mut hours, &mut routing, &case)
            .unwrap_err()
            .to_string();
        assert!(error.contains(message), "{error} (wanted {message})");
    }
    assert_eq!(routing, SiteRouting::default());
}
