//! Routing's store contract (issue 14: teams, languages, reassignment),
//! run against the embedded store and the Redis store alike: a
//! conversation's route read back everywhere routing looks, when and how
//! it was assigned, when an agent last wrote, sending an unanswered
//! conversation back to the front of the queue without losing a race to a
//! reply or to another node, opening a closed conversation again at the
//! back of the queue, and agents' and sites' routing settings.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

#[path = "routing_store/fixtures.rs"]
mod fixtures;
#[path = "routing_store/reopen.rs"]
mod reopen;
#[path = "routing_store/requeue.rs"]
mod requeue;
#[path = "routing_store/settings.rs"]
mod settings;

use e2e::store_cases;
use e2e::store_subject::Subject;
use fixtures::*;
use relay::routing::Waiting;
use relay::store::Conversation;
use reopen::*;
use requeue::*;
use settings::*;
use shared::routing::{Match, Route};
use shared::ConversationStatus;

store_cases!(
    on_a_cluster_too:
    a_route_reads_back_wherever_routing_looks,
    assigning_notes_when_and_how,
    only_an_agent_message_counts_as_a_reply,
    an_unanswered_requeue_goes_to_the_front_and_frees_the_agent,
    a_reply_wins_over_a_requeue,
    requeue_needs_the_holder_and_an_open_conversation,
    racing_requeues_let_one_through,
    a_stale_requeue_loses_to_a_new_assignment,
    a_transfer_restarts_the_answer_clock,
    a_closed_conversation_reopens_at_the_back_of_the_queue,
    only_a_closed_conversation_reopens,
    a_visitor_busy_elsewhere_keeps_the_conversation_closed,
    a_reopen_takes_no_agent_capacity,
    racing_reopens_leave_one_open_conversation,
    assigned_conversations_are_exactly_the_assigned_ones,
    agent_routing_settings_are_stored,
    site_routing_settings_are_stored,
);

async fn a_route_reads_back_wherever_routing_looks(s: Subject) {
    let store = s.store.as_ref();
    let asked = Route {
        queued_at_ms: 5,
        returned: 0,
        ..asks("he")
    };
    let c = open(store, "1", &asked, T0 + 1).await;
    let expected = Route {
        queued_at_ms: T0 + 1,
        ..asked
    };
    assert_eq!(c.route, expected, "the store stamps queued_at_ms");
    assert_eq!((c.assigned_at_ms, c.agent_replied_at_ms), (None, None));
    assert_eq!(read(store, &c.id).await, c);
    assert_eq!(store.waiting().await.unwrap(), vec![c.clone()]);
    let snapshot = store.routing_snapshot().await.unwrap();
    let entry = Waiting {
        id: c.id.clone(),
        site: "demo".into(),
        route: expected.clone(),
        created_at_ms: T0 + 1,
    };
    assert_eq!(snapshot.waiting, vec![entry]);
    let v = store.visitor_by_token("hash-1").await.unwrap().unwrap();
    let (again, created) = store
        .open_routed_conversation(&v, &"c-other".into(), &asks("fr"), T0 + 9)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again, c, "an open conversation is returned unchanged");
    let plain = waiting_one(store, "2").await;
    let default = Route {
        queued_at_ms: T0,
        ..Route::default()
    };
    assert_eq!(read(store, &plain).await.route, default);
    let reopened = s.reopen().await;
    let kept = read(reopened.store.as_ref(), &c.id).await;
    // Reopening counts as a sighting of the visitor; the rest is kept.
    assert_eq!(
        Conversation {
            visitor_seen_ms: c.visitor_seen_ms,
            ..kept
        },
        c
    );
}

async fn assigning_notes_when_and_how(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 3).await;
    let c1 = open(store, "1", &asks("en"), T0).await;
    let got = store
        .assign_matched(&c1.id, &a1, Some(Match::Team), T0 + 10)
        .await
        .unwrap();
    assert_eq!(got.status, ConversationStatus::Assigned);
    assert_eq!(
        (got.assigned_at_ms, got.route.matched),
        (Some(T0 + 10), Some(Match::Team))
    );
    assert_eq!(got.version, c1.version + 1);
    assert_eq!(got.route.queued_at_ms, T0, "the rest of the route is kept");
    assert_eq!(read(store, &c1.id).await, got);
    let c2 = waiting_one(store, "2").await;
    let taken = store.assign(&c2, &a1, T0 + 20).await.unwrap();
    assert_eq!(
        (taken.assigned_at_ms, taken.route.matched),
        (Some(T0 + 20), None)
    );
    assert!(taken.unanswered());
}

async fn only_an_agent_message_counts_as_a_reply(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 1).await;
    let c = waiting_one(store, "1").await;
    store.assign(&c, &a1, T0 + 10).await.unwrap();
    let before = read(store, &c).await;
    store
        .append_message(&says(&c, "m1", None, T0 + 20))
        .await
        .unwrap();
    let after = read(store, &c).await;
    assert_eq!(
        after.agent_replied_at_ms, None,
        "a visitor's message is no reply"
    );
    assert_eq!(after.version, before.version + 1);
    assert!(after.unanswered());
    store
        .append_message(&says(&c, "m2", Some(&a1), T0 + 30))
        .await
        .unwrap();
    let replied = read(store, &c).await;
    assert_eq!(replied.agent_replied_at_ms, Some(T0 + 30));
    assert_eq!(replied.version, after.version + 1);
    assert!(!replied.unanswered());
    let resent = store
        .append_message(&says(&c, "m2", Some(&a1), T0 + 40))
        .await
        .unwrap();
    assert!(resent.duplicate);
    assert_eq!(read(store, &c).await, replied, "a resend changes nothing");
}

async fn assigned_conversations_are_exactly_the_assigned_ones(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 5).await;
    let a2 = online_agent(store, "a2", 5).await;
    assert!(store.assigned_conversations().await.unwrap().is_empty());
    let ids: Vec<_> = [
        waiting_one(store, "1").await,
        waiting_one(store, "2").await,
        waiting_one(store, "3").await,
        waiting_one(store, "4").await,
        waiting_one(store, "5").await,
    ]
    .into();
    store.assign(&ids[1], &a1, T0).await.unwrap();
    store.assign(&ids[2], &a2, T0).await.unwrap();
    store.assign(&ids[3], &a1, T0).await.unwrap();
    store.close_conversation(&ids[3], T0 + 1).await.unwrap();
    store.assign(&ids[4], &a2, T0).await.unwrap();
    store.requeue(&ids[4], &a2, None, T0 + 1).await.unwrap();
    let mut got = store.assigned_conversations().await.unwrap();
    got.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(
        got,
        vec![read(store, &ids[1]).await, read(store, &ids[2]).await]
    );
}

/// Records a relay stored before routing existed have none of its fields
/// in Redis; they read as the defaults, and the scripts that edit a route
/// in place start from the default one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_reads_records_stored_before_routing() {
    let s = Subject::redis("before_routing").await;
    let store = s.store.as_ref();
    let (server, prefix) = s.redis.clone().unwrap();
    let a1 = online_agent(store, "a1", 1).await;
    let c = waiting_one(store, "1").await;
    let mut site = relay::store::Site {
        id: "demo".into(),
        name: "Demo".into(),
        origins: vec![],
        languages: vec!["en".into()],
        identity_secret: None,
        previous_identity_secret: None,
        previous_secret_until_ms: None,
        api_key_hashes: vec![],
        prechat_form: false,
        hours: None,
        routing: shared::routing::SiteRouting {
            widen_after_secs: 5,
            ..Default::default()
        },
    };
    store.put_site(&site).await.unwrap();
    let hdel = |key: &str, fields: &[&str]| {
        let key = format!("{prefix}{key}");
        let mut args = vec!["HDEL", key.as_str()];
        args.extend_from_slice(fields);
        server.cli(&args).unwrap();
    };
    hdel("agent:a1", &["languages", "skills"]);
    hdel("site:demo", &["routing"]);
    hdel(&format!("conversation:{c}"), &["route"]);
    let old = store.agent(&a1).await.unwrap().unwrap();
    assert_eq!((old.languages, old.skills), (vec![], vec![]));
    site.routing = Default::default();
    assert_eq!(store.site(&site.id).await.unwrap(), Some(site));
    assert_eq!(read(store, &c).await.route, Route::default());
    let got = store
        .assign_matched(&c, &a1, Some(Match::Anyone), T0 + 10)
        .await
        .unwrap();
    let matched = Route {
        matched: Some(Match::Anyone),
        ..Route::default()
    };
    assert_eq!(got.route, matched);
    let back = store.requeue(&c, &a1, None, T0 + 20).await.unwrap();
    assert_eq!((back.route.returned, back.route.queued_at_ms), (1, T0 + 20));
}

/// Scripts rewrite a route in Lua; its numbers must come back exactly,
/// also past the 14 digits Redis's cjson keeps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_route_numbers_survive_the_scripts() {
    let s = Subject::redis("route_numbers").await;
    let store = s.store.as_ref();
    let far: u64 = 4_000_000_000_000_123;
    let a1 = online_agent(store, "a1", 1).await;
    let c = open(store, "1", &asks("he"), far).await;
    let got = store
        .assign_matched(&c.id, &a1, Some(Match::Exact), far + 1)
        .await
        .unwrap();
    assert_eq!(got.route.queued_at_ms, far);
    assert_eq!(got.assigned_at_ms, Some(far + 1));
    let back = store
        .requeue(&c.id, &a1, Some(far + 1), far + 2)
        .await
        .unwrap();
    let expected = Route {
        returned: 1,
        returned_from: Some(a1),
        queued_at_ms: far + 2,
        ..asks("he")
    };
    assert_eq!(back.route, expected);
    assert_eq!(read(store, &c.id).await, back);
}

/// A route another system garbled is reported, and the script that met it
/// changes nothing (Redis does not roll a failed script back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_garbled_route_is_refused_untouched() {
    let s = Subject::redis("garbled_route").await;
    let store = s.store.as_ref();
    let (server, prefix) = s.redis.clone().unwrap();
    let a1 = online_agent(store, "a1", 2).await;
    let a2 = online_agent(store, "a2", 2).await;
    let waiting = waiting_one(store, "1").await;
    let held = waiting_one(store, "2").await;
    store.assign(&held, &a1, T0).await.unwrap();
    for c in [&waiting, &held] {
        let key = format!("{prefix}conversation:{c}");
        server.cli(&["HSET", &key, "route", "[1,2"]).unwrap();
    }
    let dump = s.redis_dump().unwrap();
    let corrupt = |r: Result<relay::store::Conversation, relay::store::StoreError>| {
        matches!(r, Err(relay::store::StoreError::Corrupt(_)))
    };
    assert!(corrupt(store.assign(&waiting, &a2, T0 + 1).await));
    assert!(corrupt(store.transfer(&held, &a1, &a2, T0 + 1).await));
    assert!(corrupt(store.requeue(&held, &a1, None, T0 + 1).await));
    assert_eq!(s.redis_dump().unwrap(), dump, "nothing was written");
}
