//! The queue explained: offline messages apart from the live queue, why
//! each conversation waits where it does, how routing widened, and taking
//! an offline message by hand.

use shared::hours::OpeningHours;
use shared::routing::Priority;
use shared::routing::{AttributeRule, Match, PriorityRules, Route, SiteRouting, Team, Topic};
use shared::{AgentFrame, ConversationId, ErrorCode, ServerFrame};

use super::*;
use crate::i18n::EN;
use crate::model::Why;

fn routed(id: &str, route: Route) -> ConversationSummary {
    ConversationSummary {
        route,
        ..waiting(id, 1)
    }
}

fn offline(id: &str) -> ConversationSummary {
    routed(
        id,
        Route {
            offline: true,
            ..Route::default()
        },
    )
}

fn ids(list: &[&str]) -> Vec<ConversationId> {
    list.iter().map(|id| ConversationId::from(*id)).collect()
}

/// Names languages as a browser in English would.
fn english(tag: &str) -> String {
    match tag {
        "fa" => "Persian".into(),
        other => other.into(),
    }
}

fn billing_settings() -> ServerFrame {
    ServerFrame::SiteSettings {
        site: "demo".into(),
        routing: Box::new(SiteRouting {
            teams: vec![Team {
                id: "billing".into(),
                name: "Billing".into(),
                members: vec![],
                hours: None,
                answer_within_secs: None,
            }],
            topics: vec![Topic {
                id: "refunds".into(),
                label: "Refunds".into(),
                team: Some("billing".into()),
                skill: None,
                url_contains: vec![],
            }],
            priority: PriorityRules {
                identified: true,
                attribute: Some(AttributeRule {
                    key: "plan".into(),
                    value: "vip".into(),
                }),
            },
            ..SiteRouting::default()
        }),
        hours: None::<OpeningHours>,
    }
}

#[test]
fn offline_messages_are_listed_apart_from_the_live_queue_in_routing_order() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    let back = Route {
        returned: 1,
        ..Route::default()
    };
    m.apply(ServerFrame::Queue {
        waiting: vec![routed("w3", back), offline("w1"), waiting("w2", 1)],
    });
    assert_eq!(m.list(), ids(&["c1", "w3", "w2"]));
    assert_eq!(m.offline_messages(), ids(&["w1"]));
    // A delta keeps them apart too.
    m.apply(ServerFrame::QueueDelta {
        added: vec![offline("w4")],
        removed: vec![ConversationId::from("w1")],
    });
    assert_eq!(m.offline_messages(), ids(&["w4"]));
    assert_eq!(m.list(), ids(&["c1", "w3", "w2"]));
}

#[test]
fn each_waiting_conversation_says_why_it_is_where_it_is() {
    let mut m = signed_in(vec![]);
    let route = |priority, returned| Route {
        language: Some("fa".into()),
        topic: Some("refunds".into()),
        team: Some("billing".into()),
        priority,
        returned,
        queued_at_ms: 5_000,
        ..Route::default()
    };
    m.apply(ServerFrame::Queue {
        waiting: vec![
            routed("back", route(Priority::Normal, 1)),
            routed("again", route(Priority::Normal, 3)),
            routed("vip", route(Priority::Attribute, 0)),
            routed("known", route(Priority::Identified, 0)),
            waiting("plain", 1),
        ],
    });
    let line = |m: &Model, id: &str| {
        let view = m.row(&ConversationId::from(id)).unwrap().route;
        EN.queue_line(&view.why, "14:05")
    };
    assert_eq!(
        line(&m, "back"),
        "Returned: not answered · Waiting since 14:05"
    );
    assert_eq!(
        line(&m, "again"),
        "Returned 3 times: not answered · Waiting since 14:05"
    );
    assert_eq!(
        line(&m, "vip"),
        "Priority: site priority attribute · Waiting since 14:05"
    );
    assert_eq!(
        line(&m, "known"),
        "Priority: identified customer · Waiting since 14:05"
    );
    assert_eq!(line(&m, "plain"), "Waiting since 14:05");
    // Without the settings the ids stand in; with them, names and the rule.
    let view = m.row(&ConversationId::from("vip")).unwrap().route;
    assert_eq!(
        EN.route_facts(&view, &english),
        "Persian · refunds · team billing"
    );
    assert_eq!(view.since_ms, 5_000);
    m.apply(billing_settings());
    let view = m.row(&ConversationId::from("vip")).unwrap().route;
    assert_eq!(
        EN.route_facts(&view, &english),
        "Persian · Refunds · team Billing"
    );
    assert_eq!(
        EN.queue_reason(&view.why).as_deref(),
        Some("Priority: plan=vip attribute")
    );
    // Queued before routing existed: waiting since it started.
    let plain = m.row(&ConversationId::from("plain")).unwrap().route;
    assert_eq!((&plain.why, plain.since_ms), (&Why::Arrival, 1));
    assert_eq!(EN.route_facts(&plain, &english), "");
}

#[test]
fn an_agent_sees_how_far_routing_widened_to_find_them() {
    let mut m = signed_in(vec![]);
    m.apply(billing_settings());
    let assigned = |id: &str, route: Route| ConversationSummary {
        route,
        ..mine(id, 0)
    };
    let asked = |language: Option<&str>, skill: Option<&str>, team: Option<&str>, matched| Route {
        language: language.map(Into::into),
        skill: skill.map(Into::into),
        team: team.map(Into::into),
        matched: Some(matched),
        ..Route::default()
    };
    for (id, route) in [
        (
            "lang",
            asked(Some("fa"), None, Some("billing"), Match::Team),
        ),
        (
            "skill",
            asked(None, Some("vat"), Some("billing"), Match::Team),
        ),
        (
            "team",
            asked(Some("fa"), None, Some("billing"), Match::Anyone),
        ),
        ("none", asked(Some("fa"), None, None, Match::Anyone)),
        (
            "exact",
            asked(Some("fa"), None, Some("billing"), Match::Exact),
        ),
    ] {
        m.apply(ServerFrame::Conversation(assigned(id, route)));
    }
    let widened = |id: &str| {
        let view = m.row(&ConversationId::from(id)).unwrap().route;
        EN.widened(&view, &english)
    };
    assert_eq!(
        widened("lang").as_deref(),
        Some("Widened: no Persian-speaking agent free; routed to team Billing")
    );
    assert_eq!(
        widened("skill").as_deref(),
        Some("Widened: no agent with the vat skill free; routed to team Billing")
    );
    assert_eq!(
        widened("team").as_deref(),
        Some("Widened: no one in team Billing free; routed to anyone free")
    );
    assert_eq!(
        widened("none").as_deref(),
        Some("Widened: no Persian-speaking agent free; routed to anyone free")
    );
    assert_eq!(widened("exact"), None);
}

#[test]
fn a_taken_offline_message_opens_once_it_is_the_agents() {
    let mut m = signed_in(vec![]);
    m.apply(ServerFrame::Queue {
        waiting: vec![offline("w1"), waiting("w2", 1)],
    });
    let w1 = ConversationId::from("w1");
    assert_eq!(
        m.take(&w1),
        Some(AgentFrame::Take {
            conversation: w1.clone()
        })
    );
    assert!(m.taking(&w1));
    assert_eq!(m.take(&w1), None, "one take at a time");
    assert_eq!(m.take(&ConversationId::from("nope")), None);
    let fx = m.apply(ServerFrame::Conversation(ConversationSummary {
        route: Route {
            offline: true,
            ..Route::default()
        },
        ..mine("w1", 1)
    }));
    assert_eq!(m.open, Some(w1.clone()));
    assert!(!m.taking(&w1));
    let frames = sent(&fx);
    assert!(frames.contains(&card_request("w1")));
    assert!(frames.contains(&notes_request("w1")));
    assert_eq!(m.list(), ids(&["w1", "w2"]));
    assert!(m.offline_messages().is_empty());
    // Now the agent's: no "Take" any more.
    assert_eq!(m.take(&w1), None);
}

#[test]
fn a_refused_take_says_why_and_may_be_tried_again() {
    let mut m = signed_in(vec![]);
    m.apply(ServerFrame::Queue {
        waiting: vec![offline("w1")],
    });
    let w1 = ConversationId::from("w1");
    m.take(&w1).unwrap();
    m.apply(ServerFrame::error(
        ErrorCode::NotFound,
        "no such waiting conversation",
    ));
    assert_eq!(
        m.routing.take_failed,
        Some((w1.clone(), ErrorCode::NotFound))
    );
    assert_eq!(m.banner, None);
    assert_eq!(
        EN.take_error(ErrorCode::NotFound),
        "Someone else has taken it already"
    );
    assert!(EN
        .take_error(ErrorCode::AgentUnavailable)
        .starts_with("You have no room"));
    assert!(m.take(&w1).is_some());
    assert_eq!(m.routing.take_failed, None);
}
