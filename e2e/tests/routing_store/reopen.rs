//! Opening a closed conversation again (`Store::reopen_conversation`): it
//! waits at the back of the queue with its history and rating, holds no
//! agent's capacity, is its visitor's open conversation again, and never
//! gives a visitor two open conversations, however the race goes.

use e2e::store_subject::Subject;
use relay::store::{Conversation, Store, StoreError, VisitorRecord};
use shared::csat::Csat;
use shared::routing::Match;
use shared::{ConversationId, ConversationStatus};

use super::fixtures::*;

/// The visitor `open` created for `name`, read back by its token.
async fn visitor(store: &dyn Store, name: &str) -> VisitorRecord {
    store
        .visitor_by_token(&format!("hash-{name}"))
        .await
        .unwrap()
        .unwrap()
}

/// The ids of the visitor's open conversations: one at most, by the rule
/// these cases hold the stores to.
async fn open_ids(store: &dyn Store, name: &str) -> Vec<ConversationId> {
    let v = visitor(store, name).await;
    store
        .visitor_conversations(&v.id)
        .await
        .unwrap()
        .into_iter()
        .filter(Conversation::is_open)
        .map(|c| c.id)
        .collect()
}

/// Every Redis key and value as sorted lines (`None` off a plain redis-server): Redis
/// may list a large hash's fields in another order from one read to the
/// next, so only what is stored is compared, not its order.
fn dump(s: &Subject) -> Option<Vec<String>> {
    let mut lines: Vec<String> = s.redis_dump()?.lines().map(str::to_owned).collect();
    lines.sort();
    Some(lines)
}

fn not_found(r: &Result<Conversation, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotFound))
}

fn busy(r: &Result<Conversation, StoreError>) -> bool {
    matches!(r, Err(StoreError::Conflict("visitor_busy")))
}

pub(crate) async fn a_closed_conversation_reopens_at_the_back_of_the_queue(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 1).await;
    let c1 = open(store, "1", &asks("he"), T0).await.id;
    store
        .assign_matched(&c1, &a1, Some(Match::Exact), T0 + 10)
        .await
        .unwrap();
    store
        .append_message(&says(&c1, "m1", None, T0 + 20))
        .await
        .unwrap();
    store
        .append_message(&says(&c1, "m2", Some(&a1), T0 + 30))
        .await
        .unwrap();
    store.close_conversation(&c1, T0 + 40).await.unwrap();
    let rating = Csat {
        rating: 4,
        comment: Some("quick".into()),
        at_ms: T0 + 50,
    };
    let rated = store.rate_conversation(&c1, &rating).await.unwrap();
    let c2 = waiting_one(store, "2").await;

    let reopened = store.reopen_conversation(&c1, T0 + 100).await.unwrap();
    assert_eq!(reopened.status, ConversationStatus::Waiting);
    assert_eq!(
        (reopened.agent.clone(), reopened.agent_name.clone()),
        (None, None)
    );
    assert_eq!(
        (reopened.closed_at_ms, reopened.assigned_at_ms),
        (None, None)
    );
    assert_eq!(reopened.version, rated.version + 1);
    let route = shared::routing::Route {
        queued_at_ms: T0 + 100,
        matched: None,
        returned_from: None,
        ..rated.route.clone()
    };
    assert_eq!(reopened.route, route, "the rest of the route is kept");
    assert_eq!(reopened.csat, Some(rating), "the rating stays");
    assert_eq!(
        (reopened.last_seq, reopened.case_code.clone()),
        (rated.last_seq, rated.case_code.clone())
    );
    let history = store.messages_after(&c1, 0, 10).await.unwrap();
    let ids: Vec<_> = history.iter().map(|m| m.client_msg_id.as_str()).collect();
    assert_eq!(ids, ["m1", "m2"], "its messages stay");
    assert_eq!(read(store, &c1).await, reopened);
    assert_eq!(
        queue(store).await,
        vec![c2.clone(), c1.clone()],
        "behind whoever was waiting"
    );
    let c3 = waiting_one(store, "3").await;
    assert_eq!(
        queue(store).await,
        vec![c2.clone(), c1.clone(), c3.clone()],
        "ahead of whoever comes next"
    );
    let snapshot = store.routing_snapshot().await.unwrap();
    assert_eq!(snapshot.waiting[1].route, reopened.route);

    let (again, created) = store
        .open_routed_conversation(
            &visitor(store, "1").await,
            &"c-1b".into(),
            &asks("en"),
            T0 + 110,
        )
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again, reopened, "it is the visitor's open conversation");

    let taken = store.assign(&c1, &a1, T0 + 200).await.unwrap();
    assert_eq!(
        (taken.agent.as_ref(), taken.assigned_at_ms),
        (Some(&a1), Some(T0 + 200))
    );
    assert_eq!(queue(store).await, vec![c2, c3]);
    let closed = store.close_conversation(&c1, T0 + 300).await.unwrap();
    assert_eq!(
        (closed.status, closed.closed_at_ms),
        (ConversationStatus::Closed, Some(T0 + 300))
    );
    assert_eq!(load(store, &a1).await, 0);

    store.reopen_conversation(&c1, T0 + 400).await.unwrap();
    let kept = read(store, &c1).await;
    let s = s.reopen().await;
    let store = s.store.as_ref();
    let after = read(store, &c1).await;
    // Reopening the store counts as a sighting of the visitor.
    assert_eq!(
        Conversation {
            visitor_seen_ms: kept.visitor_seen_ms,
            ..after
        },
        kept,
        "a reopen is durable"
    );
    assert_eq!(queue(store).await.last(), Some(&c1));
}

pub(crate) async fn only_a_closed_conversation_reopens(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 2).await;
    let waiting = waiting_one(store, "1").await;
    let held = waiting_one(store, "2").await;
    store.assign(&held, &a1, T0 + 10).await.unwrap();
    let before = (read(store, &waiting).await, read(store, &held).await);
    let queued = queue(store).await;
    let before_dump = dump(&s);
    assert!(
        not_found(&store.reopen_conversation(&waiting, T0 + 20).await),
        "waiting"
    );
    assert!(
        not_found(&store.reopen_conversation(&held, T0 + 20).await),
        "assigned"
    );
    assert!(
        not_found(&store.reopen_conversation(&"c-none".into(), T0 + 20).await),
        "missing"
    );
    assert!(
        not_found(&store.reopen_conversation(&"c:none".into(), T0 + 20).await),
        "not an id"
    );
    assert_eq!(
        (read(store, &waiting).await, read(store, &held).await),
        before,
        "nothing changed"
    );
    assert_eq!(queue(store).await, queued);
    assert_eq!(load(store, &a1).await, 1);
    assert_eq!(dump(&s), before_dump, "nothing was written");
}

pub(crate) async fn a_visitor_busy_elsewhere_keeps_the_conversation_closed(s: Subject) {
    let store = s.store.as_ref();
    let first = waiting_one(store, "1").await;
    store.close_conversation(&first, T0 + 10).await.unwrap();
    let v = visitor(store, "1").await;
    let second = ConversationId::from("c-1b");
    let (newer, created) = store
        .open_routed_conversation(&v, &second, &asks("en"), T0 + 20)
        .await
        .unwrap();
    assert!(created);
    let closed = read(store, &first).await;
    let before_dump = dump(&s);
    let refused = store.reopen_conversation(&first, T0 + 30).await;
    assert!(busy(&refused), "{refused:?}");
    assert_eq!(read(store, &first).await, closed, "nothing changed");
    assert_eq!(read(store, &second).await, newer);
    assert_eq!(queue(store).await, vec![second.clone()]);
    assert_eq!(dump(&s), before_dump, "nothing was written");
    assert_eq!(open_ids(store, "1").await, vec![second.clone()]);

    store.close_conversation(&second, T0 + 40).await.unwrap();
    let reopened = store.reopen_conversation(&first, T0 + 50).await.unwrap();
    assert_eq!(reopened.version, closed.version + 1);
    assert_eq!(open_ids(store, "1").await, vec![first.clone()]);
    assert_eq!(queue(store).await, vec![first.clone()]);
    let refused = store.reopen_conversation(&second, T0 + 60).await;
    assert!(
        busy(&refused),
        "its own other conversation is open now: {refused:?}"
    );
    let (found, created) = store
        .open_routed_conversation(&v, &"c-1c".into(), &asks("en"), T0 + 70)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(found.id, first);
}

pub(crate) async fn a_reopen_takes_no_agent_capacity(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 1).await;
    let c1 = waiting_one(store, "1").await;
    store.assign(&c1, &a1, T0 + 10).await.unwrap();
    assert_eq!(load(store, &a1).await, 1);
    store.close_conversation(&c1, T0 + 20).await.unwrap();
    assert_eq!(load(store, &a1).await, 0, "closing freed the agent");
    let reopened = store.reopen_conversation(&c1, T0 + 30).await.unwrap();
    assert_eq!(reopened.agent, None);
    assert_eq!(load(store, &a1).await, 0, "reopening takes no capacity");
    assert!(store.agent_conversations(&a1).await.unwrap().is_empty());
    assert!(store.assigned_conversations().await.unwrap().is_empty());
    // Its one seat is free: another conversation can have it.
    let c2 = waiting_one(store, "2").await;
    store.assign(&c2, &a1, T0 + 40).await.unwrap();
    assert!(matches!(
        store.assign(&c1, &a1, T0 + 50).await,
        Err(StoreError::AgentUnavailable)
    ));
    assert_eq!(queue(store).await, vec![c1]);
}

pub(crate) async fn racing_reopens_leave_one_open_conversation(s: Subject) {
    let store = s.store.as_ref();
    let c = waiting_one(store, "1").await;
    let closed = store.close_conversation(&c, T0 + 10).await.unwrap();
    let (x, y) = tokio::join!(
        store.reopen_conversation(&c, T0 + 20),
        store.reopen_conversation(&c, T0 + 21),
    );
    assert_eq!(
        usize::from(x.is_ok()) + usize::from(y.is_ok()),
        1,
        "{x:?} {y:?}"
    );
    assert!(not_found(&x) || not_found(&y), "{x:?} {y:?}");
    assert_eq!(read(store, &c).await.version, closed.version + 1);
    assert_eq!(queue(store).await, vec![c.clone()]);

    // Against the visitor opening a new one: whichever wins, one is open.
    store.close_conversation(&c, T0 + 30).await.unwrap();
    let v = visitor(store, "1").await;
    let (fresh, route) = (ConversationId::from("c-1b"), asks("en"));
    let (reopen, opened) = tokio::join!(
        store.reopen_conversation(&c, T0 + 40),
        store.open_routed_conversation(&v, &fresh, &route, T0 + 40),
    );
    let (opened, created) = opened.unwrap();
    if created {
        assert!(busy(&reopen), "{reopen:?}");
        assert_eq!(opened.id, fresh);
    } else {
        assert_eq!(reopen.unwrap().id, c);
        assert_eq!(opened.id, c);
    }
    assert_eq!(open_ids(store, "1").await, vec![opened.id.clone()]);
    assert_eq!(queue(store).await, vec![opened.id]);
}

/// A route another system garbled is reported, and the reopen changes
/// nothing (Redis does not roll a failed script back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_reopen_refuses_a_garbled_route_untouched() {
    let s = Subject::redis("reopen_garbled_route").await;
    let store = s.store.as_ref();
    let (server, prefix) = s.redis.clone().unwrap();
    let c = waiting_one(store, "1").await;
    store.close_conversation(&c, T0 + 10).await.unwrap();
    let key = format!("{prefix}conversation:{c}");
    server.cli(&["HSET", &key, "route", "[1,2"]).unwrap();
    let before_dump = dump(&s).unwrap();
    let refused = store.reopen_conversation(&c, T0 + 20).await;
    assert!(
        matches!(refused, Err(StoreError::Corrupt(_))),
        "{refused:?}"
    );
    assert_eq!(dump(&s).unwrap(), before_dump, "nothing was written");
    // One stored before routing (no route at all) reopens with the default.
    server.cli(&["HDEL", &key, "route"]).unwrap();
    let reopened = store.reopen_conversation(&c, T0 + 30).await.unwrap();
    let route = shared::routing::Route {
        queued_at_ms: T0 + 30,
        ..Default::default()
    };
    assert_eq!(reopened.route, route);
}
