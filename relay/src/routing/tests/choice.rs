//! Queue order, capacity and the tie-breaks between agents: the v1
//! policy, which still holds when nobody asks for a team, language or skill.

use shared::routing::{Match, Priority, Route};
use shared::{ConversationId, Presence};

use super::*;

#[test]
fn most_free_capacity_wins() {
    let agents = [
        agent("a", Presence::Online, 3, 2, 0),
        agent("b", Presence::Online, 5, 1, 100),
    ];
    assert_eq!(choose_agent(&agents).unwrap().id.as_str(), "b");
    let got = plan(agents.to_vec(), plain(&["c1"]), &Policies::default(), 1);
    assert_eq!(pairs(&got), [("c1", "b", Match::Exact)]);
}

#[test]
fn tie_goes_to_the_agent_idle_longest_then_to_the_smaller_id() {
    let agents = [
        agent("a", Presence::Online, 2, 0, 500),
        agent("b", Presence::Online, 2, 0, 100),
        agent("c", Presence::Online, 2, 0, 300),
    ];
    assert_eq!(choose_agent(&agents).unwrap().id.as_str(), "b");
    let tied = [
        agent("z", Presence::Online, 2, 0, 1),
        agent("m", Presence::Online, 2, 0, 1),
    ];
    assert_eq!(choose_agent(&tied).unwrap().id.as_str(), "m");
    let got = plan(tied.to_vec(), plain(&["c1"]), &Policies::default(), 1);
    assert_eq!(pairs(&got), [("c1", "m", Match::Exact)]);
}

#[test]
fn away_offline_and_full_agents_get_nothing() {
    let agents = [
        agent("away", Presence::Away, 9, 0, 0),
        agent("off", Presence::Offline, 9, 0, 0),
        agent("full", Presence::Online, 2, 2, 0),
        agent("over", Presence::Online, 1, 3, 0),
    ];
    assert!(choose_agent(&agents).is_none());
    assert!(plan(agents.to_vec(), plain(&["c1"]), &Policies::default(), 1).is_empty());
}

#[test]
fn plan_follows_queue_order_and_spreads_load() {
    let agents = vec![
        agent("a", Presence::Online, 2, 0, 10),
        agent("b", Presence::Online, 2, 0, 20),
    ];
    let got = plan(
        agents,
        plain(&["c1", "c2", "c3", "c4", "c5"]),
        &Policies::default(),
        1_000,
    );
    // a, idle longest, takes c1; then b has more free; then both have one
    // free and were active at 1000: the tie goes to a by id. c5: nobody.
    let exact = Match::Exact;
    assert_eq!(
        pairs(&got),
        [
            ("c1", "a", exact),
            ("c2", "b", exact),
            ("c3", "a", exact),
            ("c4", "b", exact)
        ]
    );
}

#[test]
fn plan_is_empty_without_capacity_or_queue() {
    let none = Policies::default();
    assert!(plan(vec![], plain(&["c1"]), &none, 0).is_empty());
    assert!(plan(vec![online("a", 2)], vec![], &none, 0).is_empty());
}

#[test]
fn queue_positions_are_one_based_in_routing_order() {
    let mut waiting = plain(&["c1", "c2", "c3"]);
    waiting[2].route.returned = 1;
    waiting.push(conv(
        "gone",
        Route {
            offline: true,
            ..Route::default()
        },
    ));
    let queue = live_queue(&waiting);
    let position = |id: &str| queue_position(&queue, &ConversationId::from(id));
    assert_eq!(
        (position("c3"), position("c1"), position("c2")),
        (Some(1), Some(2), Some(3))
    );
    assert_eq!(position("gone"), None);
    assert_eq!(position("zz"), None);
}

#[test]
fn returned_then_priority_then_store_order() {
    let ranked = |id: &str, returned: u32, priority: Priority| {
        conv(
            id,
            Route {
                returned,
                priority,
                ..Route::default()
            },
        )
    };
    let waiting = vec![
        ranked("plain", 0, Priority::Normal),
        ranked("known", 0, Priority::Identified),
        ranked("vip", 0, Priority::Attribute),
        ranked("back", 1, Priority::Normal),
        ranked("plain2", 0, Priority::Normal),
        ranked("vip2", 0, Priority::Attribute),
    ];
    let order: Vec<&str> = live_queue(&waiting).iter().map(|w| w.id.as_str()).collect();
    assert_eq!(order, ["back", "vip", "vip2", "known", "plain", "plain2"]);
    let got = plan(vec![online("a", 3)], waiting, &Policies::default(), 1);
    let taken: Vec<&str> = got.iter().map(|d| d.conversation.as_str()).collect();
    assert_eq!(taken, ["back", "vip", "vip2"]);
}

#[test]
fn offline_conversations_are_never_planned() {
    let waiting = vec![conv(
        "note",
        Route {
            offline: true,
            ..Route::default()
        },
    )];
    assert!(plan(vec![online("a", 5)], waiting, &Policies::default(), 1).is_empty());
}

#[test]
fn a_conversation_nobody_fits_does_not_block_the_ones_behind_it() {
    let agents = vec![speaking(online("en", 1), &["en"])];
    let waiting = vec![conv("de", in_language("de")), conv("en", in_language("en"))];
    let got = plan(agents, waiting, &Policies::default(), 1);
    assert_eq!(pairs(&got), [("en", "en", Match::Exact)]);
}

#[test]
fn plans_never_exceed_capacity_and_do_not_depend_on_agent_order() {
    let mut agents = vec![
        agent("a", Presence::Online, 3, 1, 50),
        agent("b", Presence::Online, 2, 0, 50),
        agent("c", Presence::Away, 5, 0, 0),
        speaking(agent("d", Presence::Online, 4, 3, 10), &["fa"]),
    ];
    let ids: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
    let waiting = plain(&ids.iter().map(String::as_str).collect::<Vec<_>>());
    let first = plan(agents.clone(), waiting.clone(), &Policies::default(), 99);
    assert_eq!(first.len(), 5, "2 + 2 + 1 free slots");
    for a in &agents {
        let got = first.iter().filter(|d| d.agent == a.id).count();
        assert!(
            got as u32 <= a.max_concurrent.saturating_sub(a.load),
            "{}",
            a.id
        );
    }
    agents.reverse();
    assert_eq!(plan(agents, waiting, &Policies::default(), 99), first);
}

#[test]
fn the_agent_it_was_taken_from_is_passed_over_unless_alone() {
    let back = Route {
        returned: 1,
        returned_from: Some(AgentId::from("slow")),
        ..Route::default()
    };
    // "slow" is the better pick by idle time, but it just failed to answer.
    let agents = vec![
        agent("slow", Presence::Online, 1, 0, 10),
        agent("quick", Presence::Online, 1, 0, 20),
    ];
    let got = plan(
        agents,
        vec![conv("c1", back.clone())],
        &Policies::default(),
        99,
    );
    assert_eq!(pairs(&got), vec![("c1", "quick", Match::Exact)]);
    // Nobody else: it goes back to them rather than wait for ever.
    let alone = vec![agent("slow", Presence::Online, 1, 0, 10)];
    let got = plan(alone, vec![conv("c1", back)], &Policies::default(), 99);
    assert_eq!(pairs(&got), vec![("c1", "slow", Match::Exact)]);
}
