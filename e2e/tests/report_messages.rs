//! A chat message counts in the reports with its own append, on every
//! store (issue 16: no round trip of its own): the report rows grow in the
//! same atomic step as the message, once — a resend of the same client
//! message id is a duplicate and adds nothing, and a message refused (its
//! conversation closed) counts nothing either.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use e2e::records::visitor_message;
use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::reports::layout::Count;
use relay::reports::row::Add;
use relay::store::{MessageReport, StoreError, VisitorRecord};
use shared::{ConversationId, SiteId};

store_cases!(
    on_a_cluster_too:
    a_message_counts_with_its_append_once,
);

/// 2026-03-02 00:00 UTC.
const DAY: u64 = 1_772_409_600_000;

fn counted(message: &mut relay::store::NewMessage, slot: usize) {
    message.report = Some(MessageReport {
        site: SiteId::from("demo"),
        adds: vec![
            Add::new(DAY, "channel:chat", slot, 1),
            Add::new(DAY, "agent:ana", slot, 1),
        ],
    });
}

async fn a_message_counts_with_its_append_once(s: Subject) {
    let store = &s.store;
    let visitor = VisitorRecord {
        id: "v1".into(),
        site: "demo".into(),
        token_hash: "hash-v1".into(),
        created_at_ms: DAY,
    };
    store.create_visitor(&visitor).await.unwrap();
    let (conversation, _) = store
        .open_conversation(&visitor, &ConversationId::from("c1"), DAY)
        .await
        .unwrap();
    let slot = Count::MessageIn.slot().unwrap();

    let mut first = visitor_message(&conversation.id, "m1", "Hello".into());
    counted(&mut first, slot);
    let appended = store.append_message(&first).await.unwrap();
    assert!(!appended.duplicate);
    // The resend of the same message, and a second message.
    assert!(store.append_message(&first).await.unwrap().duplicate);
    let mut second = visitor_message(&conversation.id, "m2", "Anyone?".into());
    counted(&mut second, slot);
    store.append_message(&second).await.unwrap();
    // A message without report increments counts nothing.
    let plain = visitor_message(&conversation.id, "m3", "Plain".into());
    store.append_message(&plain).await.unwrap();

    store
        .close_conversation(&conversation.id, DAY + 1)
        .await
        .unwrap();
    let mut refused = visitor_message(&conversation.id, "m4", "Too late".into());
    counted(&mut refused, slot);
    let closed = store.append_message(&refused).await;
    assert!(
        matches!(closed, Err(StoreError::ConversationClosed)),
        "{closed:?}"
    );

    let rows = store
        .rollup(&SiteId::from("demo"), DAY, DAY + 1)
        .await
        .unwrap();
    let read: Vec<(&str, Option<u64>)> = rows
        .iter()
        .map(|r| (r.row.as_str(), r.counts.get(slot).copied()))
        .collect();
    assert_eq!(read, [("agent:ana", Some(2)), ("channel:chat", Some(2))]);
}
