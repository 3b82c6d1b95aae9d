//! The routing form and its hours rows, to and from the protocol: what
//! the relay stored comes back unchanged, times read as `<input
//! type="time">` gives them, and what cannot be saved says why.

use shared::hours::{DayException, Holiday, HoursError, OpenSpan, OpeningHours, TimeSpan};
use shared::routing::{AttributeRule, PriorityRules, RoutingProblem, SiteRouting, Team, Topic};
use shared::AgentId;

use crate::i18n::EN;
use crate::model::hours_form::{clock, minutes};
use crate::model::{
    FormProblem, HoursForm, HoursOwner, HoursProblem, Keys, RoutingForm, SecondsField,
};

fn span(weekday: u8, opens: u16, closes: u16) -> OpenSpan {
    OpenSpan {
        weekday,
        opens,
        closes,
    }
}

fn schedule() -> OpeningHours {
    OpeningHours {
        time_zone: "Asia/Tehran".into(),
        utc_offset_minutes: 0,
        // Two periods on Saturday, one until midnight.
        spans: vec![span(5, 540, 780), span(5, 840, 1440), span(0, 0, 1440)],
        holidays: vec![Holiday {
            date: "2026-03-21".into(),
            name: "Nowruz".into(),
        }],
        exceptions: vec![
            DayException {
                date: "2026-12-27".into(),
                spans: vec![TimeSpan {
                    opens: 600,
                    closes: 840,
                }],
            },
            DayException {
                date: "2026-12-31".into(),
                spans: vec![],
            },
        ],
    }
}

fn routing() -> SiteRouting {
    SiteRouting {
        teams: vec![Team {
            id: "billing".into(),
            name: "Billing".into(),
            members: vec![AgentId::from("a_bea")],
            hours: Some(schedule()),
            answer_within_secs: Some(120),
        }],
        topics: vec![Topic {
            id: "refunds".into(),
            label: "Refunds".into(),
            team: Some("billing".into()),
            skill: Some("vat".into()),
            url_contains: vec!["/refund".into(), "/returns".into()],
        }],
        widen_after_secs: 30,
        answer_within_secs: 300,
        offline_grace_secs: 0,
        priority: PriorityRules {
            identified: true,
            attribute: Some(AttributeRule {
                key: "plan".into(),
                value: "vip".into(),
            }),
        },
        offline_form: false,
    }
}

#[test]
fn times_read_as_the_time_input_gives_them() {
    assert_eq!(minutes("09:30", false), Some(570));
    assert_eq!(minutes("9:30", false), Some(570));
    assert_eq!(minutes("00:00", false), Some(0));
    assert_eq!(minutes("00:00", true), Some(1440), "closing at midnight");
    assert_eq!(minutes("24:00", true), Some(1440));
    for bad in ["24:00", "25:00", "9:5", "9h30", "", "12:60", "-1:00"] {
        assert_eq!(minutes(bad, false), None, "{bad}");
    }
    assert_eq!(
        (clock(570), clock(0), clock(1440)),
        ("09:30".into(), "00:00".into(), "00:00".into())
    );
}

#[test]
fn hours_come_back_from_the_editor_unchanged() {
    let mut keys = Keys::default();
    let form = HoursForm::of(&schedule(), &mut keys);
    assert_eq!(form.periods[1].opens, "14:00");
    assert_eq!(form.periods[1].closes, "00:00");
    assert!(form.exceptions[1].closed && !form.exceptions[0].closed);
    assert_eq!(form.to_hours(), Ok(schedule()));
    // Every row has its own key.
    let mut all: Vec<u64> = form.periods.iter().map(|r| r.key).collect();
    all.extend(form.holidays.iter().map(|r| r.key));
    all.extend(
        form.exceptions
            .iter()
            .flat_map(|e| std::iter::once(e.key).chain(e.spans.iter().map(|s| s.key))),
    );
    let count = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), count);
}

#[test]
fn a_schedule_that_cannot_be_saved_says_why() {
    let mut keys = Keys::default();
    let mut form = HoursForm::office("Europe/Berlin", &mut keys);
    assert_eq!(form.to_hours().map(|h| h.spans.len()), Ok(5));
    form.periods[0].opens = "9h".into();
    assert_eq!(form.to_hours(), Err(HoursProblem::Time("9h".into())));
    form.periods[0].opens = "18:00".into();
    assert_eq!(form.to_hours(), Err(HoursProblem::Shape(HoursError::Span)));
    form.periods[0].opens = "08:00".into();
    form.add_holiday(&mut keys);
    assert_eq!(
        form.to_hours(),
        Err(HoursProblem::Shape(HoursError::Date(String::new())))
    );
    form.holidays[0].date = "2026-12-25".into();
    form.holidays[0].name = "Christmas".into();
    form.time_zone = " ".into();
    assert_eq!(form.to_hours(), Err(HoursProblem::NoTimeZone));
    // An old schedule with a fixed offset still saves without a zone.
    form.utc_offset_minutes = 60;
    assert_eq!(form.to_hours().map(|h| h.utc_offset_minutes), Ok(60));
    // A closed exception keeps no periods, whatever its rows say.
    form.time_zone = "Europe/Berlin".into();
    form.add_exception(&mut keys);
    let exception = form.exceptions[0].key;
    form.exceptions[0].date = "2026-12-24".into();
    form.add_exception_span(exception, &mut keys);
    assert_eq!(form.to_hours().map(|h| h.exceptions[0].spans.len()), Ok(1));
    form.exceptions[0].closed = true;
    assert_eq!(form.to_hours().map(|h| h.exceptions[0].spans.len()), Ok(0));
    // A new period follows the last one's day, with its times.
    form.add_period(&mut keys);
    let last = form.periods.last().unwrap();
    assert_eq!((last.weekday, last.opens.as_str()), (5, "09:00"));
    form.remove(last.key);
    assert_eq!(form.periods.len(), 5);
}

#[test]
fn routing_settings_come_back_from_the_form_unchanged() {
    let form = RoutingForm::of(&routing(), Some(&schedule()));
    assert_eq!(form.topics[0].team, Some(form.teams[0].key));
    assert_eq!(form.topics[0].urls, "/refund, /returns");
    assert_eq!(form.teams[0].answer_within, "120");
    assert_eq!(form.to_settings(), Ok((routing(), Some(schedule()))));
    let none = RoutingForm::of(&SiteRouting::default(), None);
    assert_eq!(none.to_settings(), Ok((SiteRouting::default(), None)));
}

#[test]
fn the_form_checks_what_the_relay_checks_and_names_the_field() {
    let base = RoutingForm::of(&routing(), None);
    let problem = |change: fn(&mut RoutingForm)| {
        let mut form = base.clone();
        change(&mut form);
        form.to_settings().err()
    };
    assert_eq!(
        problem(|f| f.widen_after = "soon".into()),
        Some(FormProblem::Seconds(SecondsField::WidenAfter))
    );
    assert_eq!(
        problem(|f| f.offline_grace = "90000".into()),
        Some(FormProblem::Seconds(SecondsField::OfflineGrace))
    );
    assert_eq!(
        problem(|f| f.teams[0].answer_within = "x".into()),
        Some(FormProblem::Seconds(SecondsField::Team("billing".into())))
    );
    assert_eq!(problem(|f| f.teams[0].answer_within = " ".into()), None);
    assert_eq!(
        problem(|f| f.topics[0].id = "Refunds".into()),
        Some(FormProblem::Routing(RoutingProblem::BadId(
            "Refunds".into()
        )))
    );
    assert_eq!(
        problem(|f| f.attribute_value = String::new()),
        Some(FormProblem::Routing(RoutingProblem::BadLabel(
            "plan=".into()
        )))
    );
    assert!(problem(|f| f.attribute_key = String::new()).is_some());
    let team_hours = problem(|f| {
        let key = f.teams[0].key;
        f.set_hours(HoursOwner::Team(key), true, "");
    });
    assert_eq!(
        team_hours,
        Some(FormProblem::Hours {
            team: Some("billing".into()),
            problem: HoursProblem::NoTimeZone
        })
    );
    assert_eq!(
        EN.form_problem(&team_hours.unwrap()),
        "Team billing: Choose a time zone"
    );
    assert_eq!(
        EN.form_problem(&FormProblem::Seconds(SecondsField::WidenAfter)),
        "Widen after must be a whole number of seconds, at most 86400"
    );
}

#[test]
fn topics_follow_their_team_through_renames_and_removals() {
    let mut form = RoutingForm::of(&routing(), None);
    let billing = form.teams[0].key;
    form.team_mut(billing).unwrap().id = "money".into();
    let (saved, _) = form.to_settings().unwrap();
    assert_eq!(saved.topics[0].team.as_deref(), Some("money"));
    form.set_member(billing, &AgentId::from("a_cy"), true);
    form.set_member(billing, &AgentId::from("a_bea"), false);
    assert_eq!(form.teams[0].members, vec![AgentId::from("a_cy")]);
    form.add_team();
    assert_eq!(form.teams.len(), 2);
    form.remove_team(billing);
    assert_eq!(form.topics[0].team, None);
    form.remove_team(form.teams[0].key);
    form.add_topic();
    form.remove_topic(form.topics[0].key);
    assert_eq!(form.topics.len(), 1);
    // Site hours are switched on with office hours in the given zone.
    form.set_hours(HoursOwner::Site, true, "Europe/Berlin");
    form.edit_hours(HoursOwner::Site, |h, keys| h.add_holiday(keys));
    let hours = form.hours(HoursOwner::Site).unwrap();
    assert_eq!(
        (
            hours.time_zone.as_str(),
            hours.periods.len(),
            hours.holidays.len()
        ),
        ("Europe/Berlin", 5, 1)
    );
    form.set_hours(HoursOwner::Site, false, "");
    assert_eq!(form.hours, None);
}
