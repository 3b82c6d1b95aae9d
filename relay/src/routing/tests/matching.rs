//! What a conversation asks of its agent (team, language, skill), and how
//! routing lets go of it with time.

use shared::routing::{Match, Route};

use super::*;

#[test]
fn a_visitor_goes_to_an_agent_who_speaks_their_language() {
    let agents = vec![
        speaking(online("en", 9), &["en"]),
        speaking(online("fa", 1), &["fa"]),
    ];
    let got = plan(
        agents,
        vec![conv("c1", in_language("fa"))],
        &Policies::default(),
        1,
    );
    assert_eq!(pairs(&got), [("c1", "fa", Match::Exact)]);
}

#[test]
fn languages_match_on_their_primary_subtag() {
    let agents = vec![
        speaking(online("en", 9), &["en-GB"]),
        speaking(online("fa", 1), &["fa"]),
    ];
    let waiting = vec![
        conv("c1", in_language("fa-IR")),
        conv("c2", in_language("EN_us")),
    ];
    let got = plan(agents, waiting, &Policies::default(), 1);
    assert_eq!(
        pairs(&got),
        [("c1", "fa", Match::Exact), ("c2", "en", Match::Exact)]
    );
}

#[test]
fn an_agent_without_languages_takes_any_language() {
    let agents = vec![speaking(online("en", 9), &["en"]), online("polyglot", 1)];
    let waiting = vec![conv("c1", in_language("fa")), conv("c2", in_language("fa"))];
    let got = plan(agents, waiting, &Policies::default(), 1);
    // c2 has no one left who speaks fa, and the site never widens.
    assert_eq!(pairs(&got), [("c1", "polyglot", Match::Exact)]);
}

#[test]
fn a_skill_goes_to_an_agent_who_has_it() {
    let agents = vec![
        online("plain", 9),
        skilled(online("vat", 1), &["refunds", "vat"]),
    ];
    let asks = Route {
        skill: Some("vat".into()),
        ..Route::default()
    };
    let waiting = vec![
        conv("c1", asks.clone()),
        conv("c2", Route::default()),
        conv("c3", asks),
    ];
    let got = plan(agents, waiting, &Policies::default(), 1);
    assert_eq!(
        pairs(&got),
        [("c1", "vat", Match::Exact), ("c2", "plain", Match::Exact)]
    );
}

#[test]
fn a_team_goes_to_its_members() {
    let p = policies(&[("billing", &["b1", "b2"])], 0);
    let agents = vec![online("outsider", 9), online("b2", 2), online("b1", 1)];
    let to_billing = Route {
        team: Some("billing".into()),
        ..Route::default()
    };
    let waiting = vec![conv("c1", to_billing.clone()), conv("c2", to_billing)];
    let got = plan(agents, waiting, &p, 1);
    assert_eq!(
        pairs(&got),
        [("c1", "b2", Match::Exact), ("c2", "b1", Match::Exact)]
    );
}

#[test]
fn a_team_that_no_longer_exists_asks_nothing() {
    let p = policies(&[("billing", &["b1"])], 0);
    let asks = Route {
        team: Some("gone".into()),
        ..Route::default()
    };
    let got = plan(vec![online("x", 1)], vec![conv("c1", asks)], &p, 1);
    assert_eq!(pairs(&got), [("c1", "x", Match::Exact)]);
}

/// A fa visitor for team `sales`: the member speaks only en, the fa agent
/// is not in the team.
fn widening_case(at: u64, widen_after: u64, member_free: u32) -> Vec<Decision> {
    let p = policies(&[("sales", &["member"])], widen_after);
    let agents = vec![
        speaking(online("member", member_free), &["en"]),
        speaking(online("outsider", 1), &["fa"]),
    ];
    let mut route = in_language("fa");
    route.team = Some("sales".into());
    route.queued_at_ms = 1_000;
    plan(agents, vec![conv("c1", route)], &p, 1_000 + at)
}

#[test]
fn routing_widens_to_the_team_then_to_anyone() {
    assert!(widening_case(59_999, 60_000, 1).is_empty());
    assert_eq!(
        pairs(&widening_case(60_000, 60_000, 1)),
        [("c1", "member", Match::Team)]
    );
    assert!(widening_case(119_999, 60_000, 0).is_empty());
    assert_eq!(
        pairs(&widening_case(120_000, 60_000, 0)),
        [("c1", "outsider", Match::Anyone)]
    );
    // Widened to anyone, the team still comes first if a member is free.
    assert_eq!(
        pairs(&widening_case(120_000, 60_000, 1)),
        [("c1", "member", Match::Team)]
    );
}

#[test]
fn routing_never_widens_with_zero_or_without_a_policy() {
    assert!(widening_case(86_400_000, 0, 1).is_empty());
    let mut route = in_language("fa");
    route.queued_at_ms = 1;
    let agents = vec![speaking(online("en", 1), &["en"])];
    assert!(plan(
        agents,
        vec![conv("c1", route)],
        &Policies::default(),
        u64::MAX
    )
    .is_empty());
}

#[test]
fn widening_counts_from_creation_when_the_queue_time_is_unknown() {
    let p = policies(&[], 1_000);
    let agents = vec![speaking(online("en", 2), &["en"])];
    let mut old = conv("old", in_language("fa"));
    old.created_at_ms = 5_000;
    let mut requeued = conv("requeued", in_language("fa"));
    requeued.route.queued_at_ms = 5_500;
    let got = plan(agents, vec![requeued, old], &p, 6_000);
    assert_eq!(pairs(&got), [("old", "en", Match::Team)]);
}
