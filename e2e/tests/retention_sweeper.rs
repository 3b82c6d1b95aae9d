//! Retention beyond one store call: a relay started with retention
//! settings deletes old data on its own (both backends); on Redis two
//! relays sweeping at once delete each record once, and data stored
//! before the retention indexes existed is found all the same.
//! `retention.rs` has the store's rules.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use e2e::records::visitor_message;
use e2e::relay_harness::{Backend, TestRelay};
use e2e::store_subject::Subject;
use relay::retention::Retention;
use relay::store::redis::RedisStore;
use relay::store::{Store, VisitorRecord};
use shared::contacts::Contact;
use shared::{AgentId, ConversationId, VisitorId};

const DAY: u64 = 24 * 3600 * 1000;
const T0: u64 = 1_700_000_000_000;
const CUTOFF: u64 = T0 + 5 * DAY;

fn visitor(id: &str, created_at_ms: u64) -> VisitorRecord {
    VisitorRecord {
        id: id.into(),
        site: "demo".into(),
        token_hash: format!("hash-{id}"),
        created_at_ms,
    }
}

/// A new visitor `v` whose conversation `c`, with one message, opened and
/// closed at `at_ms`.
async fn closed_chat(store: &dyn Store, v: &str, c: &str, at_ms: u64) -> ConversationId {
    let visitor = visitor(v, at_ms);
    store.create_visitor(&visitor).await.unwrap();
    let id = ConversationId::from(c);
    store.open_conversation(&visitor, &id, at_ms).await.unwrap();
    let said = visitor_message(&id, "m1", format!("text of {c}"));
    store.append_message(&said).await.unwrap();
    store.close_conversation(&id, at_ms).await.unwrap();
    id
}

async fn exists(store: &dyn Store, c: &str) -> bool {
    store.conversation(&c.into()).await.unwrap().is_some()
}

async fn the_relay_sweeps_by_itself(backend: Backend) {
    let relay = TestRelay::start_with(backend, |config| {
        config.retention = Retention {
            retain_closed_days: 30,
            retain_anonymous_visitor_days: 30,
            retain_session_days: 30,
            sweep_every: Duration::from_millis(50),
            batch: 2,
        };
        // Chats planted 40 days back look abandoned: keep that sweep off them.
        config.limits.abandon_after_secs = 365 * 24 * 3600;
    })
    .await
    .unwrap();
    let store = relay.store();
    let (now, agent) = (relay::now_ms(), AgentId::from("a_1"));
    let old = now - 40 * DAY;
    for i in 0..5 {
        closed_chat(&*store, &format!("v_{i}"), &format!("c_{i}"), old).await;
    }
    closed_chat(&*store, "v_recent", "c_recent", now - DAY).await;
    store.create_visitor(&visitor("v_anon", old)).await.unwrap();
    store.create_session("s_old", &agent, old).await.unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut left = Vec::new();
        for i in 0..5 {
            let c = format!("c_{i}");
            if exists(&*store, &c).await {
                left.push(c);
            }
        }
        // The chats' visitors go too, once their conversations have.
        for v in ["v_anon", "v_0", "v_4"] {
            let token = format!("hash-{v}");
            if store.visitor_by_token(&token).await.unwrap().is_some() {
                left.push(v.to_owned());
            }
        }
        // Read as of the epoch, a stored session answers however old.
        let redis = backend == Backend::Redis;
        if !redis && store.session_agent("s_old", 0).await.unwrap().is_some() {
            left.push("s_old".to_owned());
        }
        if left.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "never swept: {left:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(exists(&*store, "c_recent").await);
    let recent = store.visitor_by_token("hash-v_recent").await.unwrap();
    assert!(recent.is_some());
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_embedded_relay_sweeps_by_itself() {
    the_relay_sweeps_by_itself(Backend::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_relay_sweeps_by_itself() {
    the_relay_sweeps_by_itself(Backend::Redis).await;
}

/// Deletes three at a time until a call deletes nothing; the total.
async fn drain(store: &dyn Store, conversations: bool) -> usize {
    let mut total = 0;
    loop {
        let n = if conversations {
            store.delete_closed_conversations(CUTOFF, 3).await
        } else {
            store.delete_anonymous_visitors(CUTOFF, 3).await
        };
        match n.unwrap() {
            0 => return total,
            n => total += n,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_relays_sweeping_at_once_delete_each_record_once() {
    let s = Subject::redis("two_sweepers").await;
    let (server, prefix) = s.redis.clone().unwrap();
    let other: Arc<dyn Store> =
        Arc::new(RedisStore::connect(&server.url(), &prefix).await.unwrap());
    for i in 0..40 {
        closed_chat(&*s.store, &format!("v_{i}"), &format!("c_{i}"), T0).await;
    }
    for conversations in [true, false] {
        let (a, b) = tokio::join!(
            drain(&*s.store, conversations),
            drain(&*other, conversations)
        );
        assert_eq!(a + b, 40, "{a} + {b}");
    }
    for i in 0..40 {
        assert!(!exists(&*s.store, &format!("c_{i}")).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_finds_data_stored_before_the_retention_indexes() {
    let s = Subject::redis("retention_indexed").await;
    let (server, p) = s.redis.clone().unwrap();
    let store = &*s.store;
    // Enough keys that the indexing walks several pages.
    for i in 0..600 {
        store
            .create_visitor(&visitor(&format!("v_anon_{i}"), T0))
            .await
            .unwrap();
    }
    for i in 0..3 {
        closed_chat(store, &format!("v_{i}"), &format!("c_{i}"), T0).await;
    }
    store
        .create_visitor(&visitor("v_linked", T0))
        .await
        .unwrap();
    let contact = Contact {
        id: "ct_1".into(),
        site: "demo".into(),
        name: None,
        identities: Vec::new(),
        attributes: std::collections::BTreeMap::new(),
        created_at_ms: T0,
    };
    store.create_contact(&contact).await.unwrap();
    let linked = VisitorId::from("v_linked");
    store.link_visitor(&linked, &contact.id).await.unwrap();
    // What an earlier version left: the data, no indexes.
    let [closed, by_time, flag] =
        ["closed", "visitors-by-time", "retention-indexed"].map(|k| format!("{p}{k}"));
    server.cli(&["DEL", &closed, &by_time, &flag]).unwrap();

    assert_eq!(
        store
            .delete_closed_conversations(CUTOFF, 1000)
            .await
            .unwrap(),
        3
    );
    assert_eq!(server.cli(&["GET", &flag]).unwrap().trim(), "1");
    assert_eq!(
        store.delete_anonymous_visitors(CUTOFF, 1000).await.unwrap(),
        603
    );
    assert_eq!(
        store.visitor_contact(&linked).await.unwrap(),
        Some(contact.id)
    );
    let left = store.visitor_by_token("hash-v_linked").await.unwrap();
    assert!(left.is_some());
}
