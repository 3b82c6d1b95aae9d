//! Sending a conversation back to the queue (`Store::requeue`): to the
//! front, freeing the agent, and never past a reply, a new assignment or
//! another node's requeue; and a transfer restarting the answer clock.

use e2e::store_subject::Subject;
use relay::store::{Conversation, StoreError};
use shared::routing::Match;
use shared::ConversationStatus;

use super::fixtures::*;

pub(crate) async fn an_unanswered_requeue_goes_to_the_front_and_frees_the_agent(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 1).await;
    let [c1, c2, c3] = [
        waiting_one(store, "1").await,
        waiting_one(store, "2").await,
        waiting_one(store, "3").await,
    ];
    let assigned = store
        .assign_matched(&c2, &a1, Some(Match::Exact), T0 + 10)
        .await
        .unwrap();
    assert_eq!(load(store, &a1).await, 1);
    let back = store
        .requeue(&c2, &a1, Some(T0 + 10), T0 + 100)
        .await
        .unwrap();
    assert_eq!(back.status, ConversationStatus::Waiting);
    assert_eq!((back.agent.clone(), back.agent_name.clone()), (None, None));
    assert_eq!(back.assigned_at_ms, None);
    assert_eq!(
        (
            back.route.returned,
            back.route.queued_at_ms,
            back.route.matched
        ),
        (1, T0 + 100, None)
    );
    assert_eq!(
        back.route.returned_from,
        Some(a1.clone()),
        "routing passes a1 over"
    );
    assert_eq!(back.version, assigned.version + 1);
    assert_eq!(read(store, &c2).await, back);
    assert_eq!(queue(store).await, vec![c2.clone(), c1.clone(), c3.clone()]);
    let snapshot = store.routing_snapshot().await.unwrap();
    assert_eq!(snapshot.waiting[0].route, back.route);
    assert_eq!(
        load(store, &a1).await,
        0,
        "the agent's capacity is free again"
    );
    assert!(store.agent_conversations(&a1).await.unwrap().is_empty());
    store.assign(&c1, &a1, T0 + 200).await.unwrap();
    assert!(matches!(
        store.assign(&c3, &a1, T0 + 201).await,
        Err(StoreError::AgentUnavailable)
    ));
    let again = store.requeue(&c1, &a1, None, T0 + 300).await.unwrap();
    assert_eq!(again.route.returned, 1);
    assert_eq!(
        queue(store).await,
        vec![c1, c2, c3],
        "the latest return goes first"
    );
}

pub(crate) async fn a_reply_wins_over_a_requeue(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 1).await;
    let c = waiting_one(store, "1").await;
    store.assign(&c, &a1, T0 + 10).await.unwrap();
    // A reply in the same millisecond as the assignment is an answer.
    store
        .append_message(&says(&c, "m1", Some(&a1), T0 + 10))
        .await
        .unwrap();
    let before = read(store, &c).await;
    let refused = store.requeue(&c, &a1, Some(T0 + 10), T0 + 100).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict("answered"))),
        "{refused:?}"
    );
    assert_eq!(read(store, &c).await, before, "nothing changed");
    assert_eq!(load(store, &a1).await, 1);
    // Unconditionally (the agent is gone), it goes back all the same.
    let back = store.requeue(&c, &a1, None, T0 + 200).await.unwrap();
    assert_eq!(
        (back.status, back.route.returned),
        (ConversationStatus::Waiting, 1)
    );
}

pub(crate) async fn requeue_needs_the_holder_and_an_open_conversation(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 2).await;
    let a2 = online_agent(store, "a2", 2).await;
    let waiting = waiting_one(store, "1").await;
    let not_found = |r: Result<Conversation, StoreError>| matches!(r, Err(StoreError::NotFound));
    assert!(
        not_found(store.requeue(&waiting, &a1, None, T0).await),
        "waiting"
    );
    assert!(
        not_found(store.requeue(&"c-none".into(), &a1, None, T0).await),
        "missing"
    );
    let held = waiting_one(store, "2").await;
    store.assign(&held, &a1, T0 + 10).await.unwrap();
    let before = read(store, &held).await;
    assert!(
        not_found(store.requeue(&held, &a2, None, T0).await),
        "another agent's"
    );
    let wrong_time = store.requeue(&held, &a1, Some(T0 + 11), T0).await;
    assert!(
        matches!(wrong_time, Err(StoreError::Conflict(_))),
        "{wrong_time:?}"
    );
    assert_eq!(read(store, &held).await, before);
    store.close_conversation(&held, T0 + 20).await.unwrap();
    assert!(
        not_found(store.requeue(&held, &a1, None, T0).await),
        "closed"
    );
    assert_eq!(queue(store).await, vec![waiting]);
}

pub(crate) async fn racing_requeues_let_one_through(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 1).await;
    let c = waiting_one(store, "1").await;
    let assigned = store.assign(&c, &a1, T0 + 10).await.unwrap();
    let (x, y) = tokio::join!(
        store.requeue(&c, &a1, Some(T0 + 10), T0 + 100),
        store.requeue(&c, &a1, Some(T0 + 10), T0 + 101),
    );
    assert_eq!(
        usize::from(x.is_ok()) + usize::from(y.is_ok()),
        1,
        "{x:?} {y:?}"
    );
    let now = read(store, &c).await;
    assert_eq!((now.route.returned, now.version), (1, assigned.version + 1));
    assert_eq!(queue(store).await, vec![c]);
}

pub(crate) async fn a_stale_requeue_loses_to_a_new_assignment(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 1).await;
    let a2 = online_agent(store, "a2", 1).await;
    let c = waiting_one(store, "1").await;
    store.assign(&c, &a1, T0 + 10).await.unwrap();
    store
        .requeue(&c, &a1, Some(T0 + 10), T0 + 100)
        .await
        .unwrap();
    store.assign(&c, &a2, T0 + 200).await.unwrap();
    let before = read(store, &c).await;
    let old_holder = store.requeue(&c, &a1, Some(T0 + 10), T0 + 300).await;
    assert!(
        matches!(old_holder, Err(StoreError::NotFound)),
        "{old_holder:?}"
    );
    let old_time = store.requeue(&c, &a2, Some(T0 + 10), T0 + 300).await;
    assert!(
        matches!(old_time, Err(StoreError::Conflict(_))),
        "{old_time:?}"
    );
    assert_eq!(read(store, &c).await, before);
    // Back to the first agent: the deadline of the first assignment is void.
    store.requeue(&c, &a2, None, T0 + 400).await.unwrap();
    store.assign(&c, &a1, T0 + 500).await.unwrap();
    let stale = store.requeue(&c, &a1, Some(T0 + 10), T0 + 600).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let now = read(store, &c).await;
    assert_eq!((now.route.returned, now.route.returned_from), (2, Some(a2)));
}

pub(crate) async fn a_transfer_restarts_the_answer_clock(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 1).await;
    let a2 = online_agent(store, "a2", 1).await;
    let c = waiting_one(store, "1").await;
    store
        .assign_matched(&c, &a1, Some(Match::Exact), T0 + 10)
        .await
        .unwrap();
    store
        .append_message(&says(&c, "m1", Some(&a1), T0 + 20))
        .await
        .unwrap();
    let moved = store.transfer(&c, &a1, &a2, T0 + 30).await.unwrap();
    assert_eq!(
        (moved.assigned_at_ms, moved.route.matched),
        (Some(T0 + 30), None)
    );
    assert_eq!(moved.agent_replied_at_ms, Some(T0 + 20));
    assert!(moved.unanswered(), "a2 has not written yet");
    assert_eq!(read(store, &c).await, moved);
    let back = store
        .requeue(&c, &a2, Some(T0 + 30), T0 + 90)
        .await
        .unwrap();
    assert_eq!(back.route.returned, 1);
}
