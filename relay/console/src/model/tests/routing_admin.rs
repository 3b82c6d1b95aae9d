//! The admins' routing panel: loading and saving a site's settings (a
//! refusal keeps the form, a success refills it with what was stored),
//! answers to the background loads of every welcome, and each agent's
//! languages, skills and capacity.

use shared::hours::{OpenSpan, OpeningHours};
use shared::routing::{RoutingProblem, SiteRouting};
use shared::{AgentFrame, AgentId, AgentProfile, ErrorCode, Presence, ServerFrame, SiteId};

use super::*;
use crate::i18n::EN;
use crate::model::{Fetch, FormProblem, RoutingNote};

fn stored(widen_after_secs: u32, hours: Option<OpeningHours>) -> ServerFrame {
    ServerFrame::SiteSettings {
        site: "demo".into(),
        routing: Box::new(SiteRouting {
            widen_after_secs,
            ..SiteRouting::default()
        }),
        hours,
    }
}

fn berlin() -> OpeningHours {
    OpeningHours {
        time_zone: "Europe/Berlin".into(),
        spans: vec![OpenSpan {
            weekday: 0,
            opens: 540,
            closes: 1020,
        }],
        ..OpeningHours::default()
    }
}

/// Signed in, the welcome's background load answered, "demo" picked and loaded.
fn panel_open() -> Model {
    let mut m = signed_in(vec![]);
    m.apply(stored(60, None));
    let demo = SiteId::from("demo");
    assert_eq!(
        m.routing_pick_site(&demo),
        Some(AgentFrame::SiteSettings { site: demo })
    );
    assert_eq!(m.routing.admin.load, Fetch::Pending);
    m.apply(stored(60, Some(berlin())));
    assert_eq!(m.routing.admin.load, Fetch::Settled);
    m
}

#[test]
fn a_save_is_checked_first_then_refilled_with_what_was_stored() {
    let mut m = panel_open();
    let stamp = m.routing.admin.stamp;
    let mut form = m.routing_form();
    assert_eq!(form.widen_after, "60");
    assert_eq!(form.hours.as_ref().unwrap().time_zone, "Europe/Berlin");
    form.add_team();
    form.teams[0].id = "Billing!".into();
    form.teams[0].name = "Billing".into();
    assert_eq!(m.routing_save(&form), None);
    assert_eq!(
        m.routing.admin.note,
        Some(RoutingNote::Invalid(FormProblem::Routing(
            RoutingProblem::BadId("Billing!".into())
        )))
    );
    assert!(EN
        .routing_note(m.routing.admin.note.as_ref().unwrap())
        .starts_with("Not saved: “Billing!” is not a usable id"));
    form.teams[0].id = "billing".into();
    form.widen_after = "30".into();
    let Some(AgentFrame::SaveSiteSettings {
        site,
        routing,
        hours,
    }) = m.routing_save(&form)
    else {
        panic!("expected save_site_settings");
    };
    assert_eq!((site.as_str(), routing.widen_after_secs), ("demo", 30));
    assert_eq!(routing.teams[0].name, "Billing");
    assert_eq!(hours, Some(berlin()));
    assert!(m.routing.admin.saving);
    assert_eq!(m.routing_save(&form), None, "one save at a time");

    // Refused: the relay's words, the form not refilled.
    m.apply(ServerFrame::error(
        ErrorCode::InvalidFrame,
        "hours: \"Mars/Olympus\" is not a time zone name",
    ));
    assert!(!m.routing.admin.saving);
    assert_eq!(m.routing.admin.stamp, stamp);
    assert_eq!(
        EN.routing_note(m.routing.admin.note.as_ref().unwrap()),
        "Not saved: hours: \"Mars/Olympus\" is not a time zone name"
    );

    // Taken: the form is filled again from the stored settings.
    assert!(m.routing_save(&form).is_some());
    m.apply(stored(30, None));
    assert_eq!(m.routing.admin.note, Some(RoutingNote::Saved));
    assert_eq!(m.routing.admin.stamp, stamp + 1);
    assert_eq!(m.routing_form().widen_after, "30");
    assert_eq!(
        EN.routing_note(&RoutingNote::Saved),
        "Saved. The stored settings are shown."
    );
}

#[test]
fn the_welcomes_background_loads_do_not_answer_the_admin() {
    let mut m = signed_in(vec![]);
    let demo = SiteId::from("demo");
    m.routing_pick_site(&demo);
    // The welcome's own request for "demo" was sent first: its answer first.
    m.apply(stored(10, None));
    assert_eq!(m.routing.admin.load, Fetch::Pending);
    assert_eq!(m.routing.admin.stamp, 0);
    assert_eq!(
        m.routing_save(&m.routing_form()),
        None,
        "not before it is loaded"
    );
    m.apply(stored(10, None));
    assert_eq!(m.routing.admin.load, Fetch::Settled);
    assert_eq!(m.routing.admin.stamp, 1);
    // A reconnect forgets a save in flight; a load in flight is asked again.
    m.routing_save(&m.routing_form()).unwrap();
    let fx = m.apply(welcome(vec![], vec![]));
    assert!(!m.routing.admin.saving);
    assert_eq!(m.routing.admin.load, Fetch::Settled);
    let load = AgentFrame::SiteSettings { site: demo.clone() };
    assert_eq!(sent(&fx).iter().filter(|f| **f == load).count(), 1);
    m.routing_pick_site(&demo);
    let fx = m.apply(welcome(vec![], vec![]));
    assert_eq!(sent(&fx).iter().filter(|f| **f == load).count(), 2);
    assert_eq!(m.routing.admin.load, Fetch::Pending);
}

#[test]
fn only_admins_edit_routing() {
    let mut m = Model::new(Presence::Online);
    let mut frame = welcome(vec![], vec![]);
    if let ServerFrame::AgentWelcome { agent, .. } = &mut frame {
        agent.admin = false;
    }
    m.apply(frame);
    assert!(!m.can_edit_routing());
    assert_eq!(m.routing_pick_site(&SiteId::from("demo")), None);
    assert_eq!(
        m.set_agent_routing(&AgentId::from("a_me"), "fa", "", "2"),
        None
    );
}

fn bea(languages: &[&str], max_concurrent: u32) -> AgentProfile {
    AgentProfile {
        id: AgentId::from("a_bea"),
        email: "bea@example.com".into(),
        name: "Bea".into(),
        admin: false,
        max_concurrent,
        presence: Presence::Online,
        disabled: false,
        languages: languages.iter().map(|l| (*l).to_owned()).collect(),
        skills: vec!["vat".into()],
    }
}

#[test]
fn an_agents_routing_is_checked_saved_and_confirmed_by_the_list() {
    let mut m = signed_in(vec![]);
    let b = AgentId::from("a_bea");
    m.apply(ServerFrame::Agents {
        agents: vec![bea(&[], 2), me()],
    });
    assert_eq!(m.set_agent_routing(&b, "fa, not a tag", "", "2"), None);
    let (who, note) = m.routing.admin.agent_note.clone().unwrap();
    assert_eq!(who, b);
    assert_eq!(
        EN.routing_note(&note),
        "Not saved: “not a tag” is not a language tag (e.g. fa, en-GB)"
    );
    assert_eq!(m.set_agent_routing(&b, "fa", "Bad Skill", "2"), None);
    assert!(matches!(
        m.routing.admin.agent_note,
        Some((
            _,
            RoutingNote::Invalid(FormProblem::Routing(RoutingProblem::BadId(_)))
        ))
    ));
    assert_eq!(m.set_agent_routing(&b, "fa", "vat", "0"), None);
    assert_eq!(
        EN.routing_note(&m.routing.admin.agent_note.clone().unwrap().1),
        "Not saved: Capacity must be 1 to 100"
    );
    assert_eq!(
        m.set_agent_routing(&b, " fa, en-GB ,", "vat", " 3 "),
        Some(AgentFrame::SetAgentRouting {
            agent: b.clone(),
            languages: vec!["fa".into(), "en-GB".into()],
            skills: vec!["vat".into()],
            max_concurrent: 3,
        })
    );
    assert!(m.agent_routing_saving(&b));
    assert_eq!(m.set_agent_routing(&b, "fa", "vat", "3"), None);
    // A list asked for earlier does not show it yet.
    m.apply(ServerFrame::Agents {
        agents: vec![bea(&[], 2), me()],
    });
    assert!(m.agent_routing_saving(&b));
    m.apply(ServerFrame::Agents {
        agents: vec![bea(&["fa", "en-GB"], 3), me()],
    });
    assert!(!m.agent_routing_saving(&b));
    assert_eq!(
        m.routing.admin.agent_note,
        Some((b.clone(), RoutingNote::Saved))
    );
    // Refused: told on the row.
    m.set_agent_routing(&b, "fa", "vat", "4").unwrap();
    m.apply(ServerFrame::error(ErrorCode::Forbidden, "only admins"));
    assert_eq!(
        m.routing.admin.agent_note,
        Some((
            b,
            RoutingNote::Failed {
                code: ErrorCode::Forbidden,
                message: "only admins".into()
            }
        ))
    );
}
