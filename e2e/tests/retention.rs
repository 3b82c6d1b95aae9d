//! Retention (`relay::store::retention`), on both stores: old closed
//! conversations go with their messages while recent and open ones stay;
//! old anonymous visitors go while linked ones and those with a
//! conversation stay; expired sessions go (the embedded store; Redis
//! expires them itself); a batch limit smaller than the work deletes it
//! all over several calls. On Redis, no trace of a deleted conversation is
//! left under the prefix. `retention_sweeper.rs` has the relay's sweeper
//! and what only Redis needs (several relays, data from before).

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::future::Future;

use e2e::records::visitor_message;
use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::store::{AgentRecord, Store, StoreError, VisitorRecord};
use shared::contacts::Contact;
use shared::{AgentId, ConversationId, Presence, SiteId};

store_cases!(
    old_closed_conversations_go_and_the_rest_stay,
    old_anonymous_visitors_go_and_the_rest_stay,
    expired_sessions_go,
    a_small_batch_deletes_everything_over_several_calls,
);

const T0: u64 = 1_700_000_000_000;
const DAY: u64 = 24 * 3600 * 1000;
/// Everything before this is old.
const CUTOFF: u64 = T0 + 5 * DAY;

fn site() -> SiteId {
    SiteId::from("demo")
}

fn visitor(id: &str, created_at_ms: u64) -> VisitorRecord {
    VisitorRecord {
        id: id.into(),
        site: site(),
        token_hash: format!("hash-{id}"),
        created_at_ms,
    }
}

/// A new visitor `v` with conversation `c` opened at `at_ms` holding one
/// message, closed at `closed_ms` when given.
async fn chat(
    store: &dyn Store,
    v: &str,
    c: &str,
    at_ms: u64,
    closed_ms: Option<u64>,
) -> ConversationId {
    let visitor = visitor(v, at_ms);
    store.create_visitor(&visitor).await.unwrap();
    let (conversation, _) = store
        .open_conversation(&visitor, &c.into(), at_ms)
        .await
        .unwrap();
    let said = visitor_message(&conversation.id, &format!("m-{c}"), format!("text of {c}"));
    store.append_message(&said).await.unwrap();
    if let Some(closed) = closed_ms {
        store
            .close_conversation(&conversation.id, closed)
            .await
            .unwrap();
    }
    conversation.id
}

async fn gone(store: &dyn Store, c: &str) -> bool {
    let id = ConversationId::from(c);
    let messages = store.messages_after(&id, 0, 10).await.unwrap();
    store.conversation(&id).await.unwrap().is_none() && messages.is_empty()
}

async fn old_closed_conversations_go_and_the_rest_stay(s: Subject) {
    let store = &*s.store;
    let agent = AgentRecord {
        id: "a_1".into(),
        email: "a_1@example.com".into(),
        name: "Agent".into(),
        password_hash: "$argon2id$fake".into(),
        admin: false,
        max_concurrent: 5,
        created_at_ms: T0,
        disabled: false,
        languages: Vec::new(),
        skills: Vec::new(),
    };
    store.create_agent(&agent).await.unwrap();
    store
        .set_presence(&agent.id, Presence::Online, T0)
        .await
        .unwrap();
    // Assigned before it closed: the agent's open set held it too.
    let old = chat(store, "v_old", "c_gone", T0, None).await;
    store.assign(&old, &agent.id, T0).await.unwrap();
    store.close_conversation(&old, T0 + DAY).await.unwrap();
    chat(store, "v_recent", "c_recent", T0, Some(CUTOFF + DAY)).await;
    chat(store, "v_open", "c_open", T0, None).await;
    // The same visitor's next conversation stays on its list.
    let next = store
        .open_conversation(&visitor("v_old", T0), &"c_next".into(), T0 + 2 * DAY)
        .await
        .unwrap()
        .0;

    assert_eq!(
        store.delete_closed_conversations(CUTOFF, 10).await.unwrap(),
        1
    );
    assert!(gone(store, "c_gone").await);
    let theirs = store.visitor_conversations(&"v_old".into()).await.unwrap();
    assert_eq!(theirs.iter().map(|c| &c.id).collect::<Vec<_>>(), [&next.id]);
    for kept in ["c_recent", "c_open"] {
        let id = ConversationId::from(kept);
        assert!(store.conversation(&id).await.unwrap().is_some(), "{kept}");
        assert_eq!(store.messages_after(&id, 0, 10).await.unwrap().len(), 1);
    }
    assert!(store
        .agent_conversations(&agent.id)
        .await
        .unwrap()
        .is_empty());
    // Idempotent: nothing more is old enough.
    assert_eq!(
        store.delete_closed_conversations(CUTOFF, 10).await.unwrap(),
        0
    );
    let resend = visitor_message(&old, "m-c_gone", "again".into());
    let refused = store.append_message(&resend).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    if let Some(dump) = s.redis_dump() {
        for trace in ["c_gone", "text of c_gone"] {
            assert!(!dump.contains(trace), "{trace:?} is still stored:\n{dump}");
        }
        assert!(
            dump.contains("text of c_recent"),
            "the dump missed live data"
        );
    }
}

async fn old_anonymous_visitors_go_and_the_rest_stay(s: Subject) {
    let store = &*s.store;
    for (id, at) in [("v_anon", T0), ("v_new", CUTOFF + DAY), ("v_linked", T0)] {
        store.create_visitor(&visitor(id, at)).await.unwrap();
    }
    let contact = Contact {
        id: "ct_1".into(),
        site: site(),
        name: None,
        identities: Vec::new(),
        attributes: std::collections::BTreeMap::new(),
        created_at_ms: T0,
    };
    store.create_contact(&contact).await.unwrap();
    store
        .link_visitor(&"v_linked".into(), &contact.id)
        .await
        .unwrap();
    chat(store, "v_open", "c_open", T0, None).await;
    chat(store, "v_closed", "c_closed", T0, Some(T0 + DAY)).await;

    assert_eq!(
        store.delete_anonymous_visitors(CUTOFF, 10).await.unwrap(),
        1
    );
    assert_eq!(store.visitor_by_token("hash-v_anon").await.unwrap(), None);
    for kept in ["v_new", "v_linked", "v_open", "v_closed"] {
        let found = store.visitor_by_token(&format!("hash-{kept}")).await;
        assert!(found.unwrap().is_some(), "{kept}");
    }
    // Its token is free again.
    let reused = VisitorRecord {
        token_hash: "hash-v_anon".into(),
        ..visitor("v_anon3", CUTOFF + DAY)
    };
    store.create_visitor(&reused).await.unwrap();

    // A visitor goes once its last conversation has gone.
    assert_eq!(
        store.delete_closed_conversations(CUTOFF, 10).await.unwrap(),
        1
    );
    assert_eq!(
        store.delete_anonymous_visitors(CUTOFF, 10).await.unwrap(),
        1
    );
    assert_eq!(store.visitor_by_token("hash-v_closed").await.unwrap(), None);
    // Erasing its contact leaves a visitor anonymous: it goes next.
    store
        .erase_contact(&site(), &contact.id, "api", T0)
        .await
        .unwrap();
    assert_eq!(
        store.delete_anonymous_visitors(CUTOFF, 10).await.unwrap(),
        1
    );
    assert_eq!(store.visitor_by_token("hash-v_linked").await.unwrap(), None);
    assert_eq!(
        store.delete_anonymous_visitors(CUTOFF, 10).await.unwrap(),
        0
    );
    let open = store.visitor_by_token("hash-v_open").await.unwrap();
    assert!(open.is_some());
}

async fn expired_sessions_go(s: Subject) {
    let store = &*s.store;
    let now = relay::now_ms();
    let agent: AgentId = "a_1".into();
    store.create_session("old", &agent, T0).await.unwrap();
    store
        .create_session("recent", &agent, CUTOFF + DAY)
        .await
        .unwrap();
    store
        .create_session("live", &agent, now + DAY)
        .await
        .unwrap();
    let deleted = store.delete_expired_sessions(CUTOFF, 10).await.unwrap();
    // Redis drops an expired session by itself; there is nothing to sweep.
    let embedded = s.data_dir().is_some();
    assert_eq!(deleted, usize::from(embedded));
    // Read as of the epoch, an existing session answers however old.
    if embedded {
        assert_eq!(store.session_agent("old", 0).await.unwrap(), None);
        assert!(store.session_agent("recent", 0).await.unwrap().is_some());
    }
    assert!(store.session_agent("live", now).await.unwrap().is_some());
}

async fn a_small_batch_deletes_everything_over_several_calls(s: Subject) {
    let store = &*s.store;
    for i in 0..7 {
        chat(
            store,
            &format!("v_{i}"),
            &format!("c_{i}"),
            T0,
            Some(T0 + i),
        )
        .await;
        store
            .create_visitor(&visitor(&format!("v_anon_{i}"), T0 + i))
            .await
            .unwrap();
    }
    let calls = drain(|| store.delete_closed_conversations(CUTOFF, 3)).await;
    assert_eq!(calls, [3, 3, 1, 0]);
    for i in 0..7 {
        assert!(gone(store, &format!("c_{i}")).await, "c_{i}");
    }
    // The anonymous ones and the chats' visitors, now without conversations.
    let calls = drain(|| store.delete_anonymous_visitors(CUTOFF, 4)).await;
    assert_eq!(calls, [4, 4, 4, 2, 0]);
    if s.data_dir().is_some() {
        let agent: AgentId = "a_1".into();
        for i in 0..5 {
            store
                .create_session(&format!("s_{i}"), &agent, T0 + i)
                .await
                .unwrap();
        }
        let calls = drain(|| store.delete_expired_sessions(CUTOFF, 2)).await;
        assert_eq!(calls, [2, 2, 1, 0]);
    }
}

/// What successive calls of `batch` deleted, until one deleted nothing.
async fn drain<F, Fut>(mut batch: F) -> Vec<usize>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, StoreError>>,
{
    let mut calls = Vec::new();
    loop {
        let n = batch().await.unwrap();
        calls.push(n);
        if n == 0 || calls.len() > 100 {
            return calls;
        }
    }
}
