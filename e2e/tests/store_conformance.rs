//! One suite, every store: each case runs against the embedded store (a
//! temporary directory) and the Redis store (a private redis-server with a
//! unique key prefix), and all of them once more, in turn, on a
//! three-master Redis Cluster (hash-tagged prefixes). A store passes only
//! if it keeps the contract in `relay::store` — including atomicity under
//! concurrent callers.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::store::{AgentRecord, NewMessage, Site, Store, StoreError, VisitorRecord, NOT_ASSIGNED};
use shared::{AgentId, Author, ClientMsgId, ConversationId, ConversationStatus, Presence, Role};

store_cases!(
    on_a_cluster_too:
    sites_are_stored_and_replaced,
    agents_are_unique_by_email,
    presence_defaults_offline_and_online_marks_activity,
    sessions_expire_and_can_be_deleted,
    visitors_are_found_by_token_hash,
    a_visitor_has_one_open_conversation,
    messages_get_consecutive_seqs,
    resend_is_stored_once,
    messages_after_pages_in_order,
    closed_or_missing_conversations_refuse_messages,
    agent_messages_need_the_assignment_at_the_append,
    assignment_checks_presence_capacity_and_status,
    transfer_moves_load_between_agents,
    closing_frees_capacity_and_leaves_the_queue,
    racing_assignments_never_exceed_capacity,
    one_conversation_is_assigned_once_under_races,
    racing_resends_store_one_message,
    every_write_bumps_the_conversation_version,
    visitor_sightings_are_noted_and_create_nothing,
    everything_survives_reopening,
);

const T0: u64 = 1_700_000_000_000;

fn agent(id: &str, max: u32) -> AgentRecord {
    AgentRecord {
        id: AgentId::from(id),
        email: format!("{id}@example.com"),
        name: format!("Agent {id}"),
        password_hash: "$argon2id$fake".into(),
        admin: false,
        max_concurrent: max,
        created_at_ms: T0,
        disabled: false,
        languages: vec!["en".into()],
        skills: Vec::new(),
    }
}

fn waiting_ids(snapshot: &relay::routing::RoutingSnapshot) -> Vec<ConversationId> {
    snapshot.waiting.iter().map(|w| w.id.clone()).collect()
}

fn visitor(id: &str) -> VisitorRecord {
    VisitorRecord {
        id: id.into(),
        site: "demo".into(),
        token_hash: format!("hash-{id}"),
        created_at_ms: T0,
    }
}

fn text(conversation: &ConversationId, id: &str, body: &str) -> NewMessage {
    NewMessage {
        conversation: conversation.clone(),
        client_msg_id: ClientMsgId::from(id),
        author: Author {
            role: Role::Visitor,
            agent: None,
            name: None,
        },
        text: body.into(),
        at_ms: T0 + 5,
        assignee: None,
        report: None,
    }
}

/// A visitor with an open (waiting) conversation.
async fn conversation(store: &dyn Store, name: &str) -> ConversationId {
    let v = visitor(&format!("v-{name}"));
    store.create_visitor(&v).await.unwrap();
    let (c, created) = store
        .open_conversation(&v, &format!("c-{name}").as_str().into(), T0)
        .await
        .unwrap();
    assert!(created);
    c.id
}

async fn online_agent(store: &dyn Store, id: &str, max: u32) -> AgentId {
    store.create_agent(&agent(id, max)).await.unwrap();
    store
        .set_presence(&AgentId::from(id), Presence::Online, T0)
        .await
        .unwrap();
    AgentId::from(id)
}

async fn sites_are_stored_and_replaced(s: Subject) {
    let store = s.store.as_ref();
    assert!(store.site(&"nope".into()).await.unwrap().is_none());
    let mut site = Site {
        id: "shop".into(),
        name: "Shop".into(),
        origins: vec!["https://shop.example".into()],
        languages: vec!["en".into(), "he".into()],
        identity_secret: None,
        previous_identity_secret: None,
        previous_secret_until_ms: None,
        api_key_hashes: Vec::new(),
        prechat_form: false,
        hours: None,
        routing: Default::default(),
    };
    store.put_site(&site).await.unwrap();
    assert_eq!(
        store.site(&"shop".into()).await.unwrap(),
        Some(site.clone())
    );
    site.origins.push("https://www.shop.example".into());
    site.identity_secret = Some("s3cret".into());
    site.previous_identity_secret = Some("old-s3cret".into());
    site.previous_secret_until_ms = Some(T0 + 86_400_000);
    site.api_key_hashes = vec!["ab12".into(), "cd34".into()];
    site.prechat_form = true;
    site.hours = Some(shared::hours::OpeningHours {
        time_zone: "America/New_York".into(),
        spans: vec![shared::hours::OpenSpan {
            weekday: 2,
            opens: 480,
            closes: 1200,
        }],
        holidays: vec![shared::hours::Holiday {
            date: "2026-12-25".into(),
            name: "Christmas Day".into(),
        }],
        ..Default::default()
    });
    store.put_site(&site).await.unwrap();
    assert_eq!(store.site(&"shop".into()).await.unwrap(), Some(site));
}

async fn agents_are_unique_by_email(s: Subject) {
    let store = s.store.as_ref();
    store.create_agent(&agent("a1", 2)).await.unwrap();
    store.create_agent(&agent("a2", 3)).await.unwrap();
    let mut clash = agent("a3", 1);
    clash.email = "a1@example.com".into();
    assert!(matches!(
        store.create_agent(&clash).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .agent_by_email("a2@example.com")
            .await
            .unwrap()
            .unwrap()
            .id
            .as_str(),
        "a2"
    );
    assert!(store
        .agent_by_email("zz@example.com")
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        store.agent(&"a1".into()).await.unwrap(),
        Some(agent("a1", 2))
    );
    let ids: Vec<String> = store
        .agents()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id.0)
        .collect();
    assert_eq!(ids, vec!["a1", "a2"]);
}

async fn presence_defaults_offline_and_online_marks_activity(s: Subject) {
    let store = s.store.as_ref();
    store.create_agent(&agent("a1", 2)).await.unwrap();
    assert_eq!(
        store.agent_status(&"a1".into()).await.unwrap().presence,
        Presence::Offline
    );
    store
        .set_presence(&"a1".into(), Presence::Online, T0 + 7)
        .await
        .unwrap();
    let status = store.agent_status(&"a1".into()).await.unwrap();
    assert_eq!(
        (status.presence, status.last_activity_ms),
        (Presence::Online, T0 + 7)
    );
    store
        .set_presence(&"a1".into(), Presence::Away, T0 + 9)
        .await
        .unwrap();
    let status = store.agent_status(&"a1".into()).await.unwrap();
    assert_eq!(
        (status.presence, status.last_activity_ms),
        (Presence::Away, T0 + 7)
    );
}

async fn sessions_expire_and_can_be_deleted(s: Subject) {
    let store = s.store.as_ref();
    store.create_agent(&agent("a1", 2)).await.unwrap();
    let now = relay::now_ms();
    store
        .create_session("h1", &"a1".into(), now + 60_000)
        .await
        .unwrap();
    assert_eq!(
        store.session_agent("h1", now).await.unwrap(),
        Some("a1".into())
    );
    assert_eq!(store.session_agent("h1", now + 61_000).await.unwrap(), None);
    assert_eq!(store.session_agent("other", now).await.unwrap(), None);
    store.delete_session("h1").await.unwrap();
    assert_eq!(store.session_agent("h1", now).await.unwrap(), None);
}

async fn visitors_are_found_by_token_hash(s: Subject) {
    let store = s.store.as_ref();
    store.create_visitor(&visitor("v1")).await.unwrap();
    assert_eq!(
        store.visitor_by_token("hash-v1").await.unwrap(),
        Some(visitor("v1"))
    );
    assert_eq!(store.visitor_by_token("hash-v2").await.unwrap(), None);
}

async fn a_visitor_has_one_open_conversation(s: Subject) {
    let store = s.store.as_ref();
    let v = visitor("v1");
    store.create_visitor(&v).await.unwrap();
    let (first, created) = store.open_conversation(&v, &"c1".into(), T0).await.unwrap();
    assert!(created);
    assert_eq!(first.status, ConversationStatus::Waiting);
    let (again, created) = store
        .open_conversation(&v, &"c2".into(), T0 + 1)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again.id, first.id);
    // Case codes come from the site's case counter (which ingested cases
    // share) and only a created conversation takes one.
    assert_eq!(first.case_code.as_deref(), Some("CASE-1001"));
    assert_eq!(again.case_code, first.case_code);
    assert_eq!(store.next_case_number(&v.site).await.unwrap(), 2);
    assert!(store.conversation(&"c2".into()).await.unwrap().is_none());
    let other = conversation(store, "x").await;
    let waiting: Vec<ConversationId> = store
        .waiting()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(waiting, vec![first.id.clone(), other]);
    store.close_conversation(&first.id, T0 + 2).await.unwrap();
    let (third, created) = store
        .open_conversation(&v, &"c3".into(), T0 + 3)
        .await
        .unwrap();
    assert!(created);
    // c1 took 1001, the explicit draw 1002, conversation "x" 1003.
    assert_eq!(third.case_code.as_deref(), Some("CASE-1004"));
    let mine: Vec<String> = store
        .visitor_conversations(&v.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id.0)
        .collect();
    assert_eq!(mine, vec!["c1".to_owned(), third.id.0]);
}

async fn messages_get_consecutive_seqs(s: Subject) {
    let store = s.store.as_ref();
    let c = conversation(store, "1").await;
    for (i, id) in ["m1", "m2", "m3"].iter().enumerate() {
        let appended = store.append_message(&text(&c, id, "hi")).await.unwrap();
        assert!(!appended.duplicate);
        assert_eq!(appended.message.seq, i as u64 + 1);
    }
    assert_eq!(store.conversation(&c).await.unwrap().unwrap().last_seq, 3);
    let other = conversation(store, "2").await;
    assert_eq!(
        store
            .append_message(&text(&other, "m1", "x"))
            .await
            .unwrap()
            .message
            .seq,
        1
    );
}

async fn resend_is_stored_once(s: Subject) {
    let store = s.store.as_ref();
    let c = conversation(store, "1").await;
    let first = store
        .append_message(&text(&c, "m1", "hello"))
        .await
        .unwrap();
    store
        .append_message(&text(&c, "m2", "second"))
        .await
        .unwrap();
    let again = store
        .append_message(&text(&c, "m1", "hello (resent)"))
        .await
        .unwrap();
    assert!(again.duplicate);
    assert_eq!(
        again.message, first.message,
        "the stored message is returned unchanged"
    );
    let all = store.messages_after(&c, 0, 100).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].text, "hello");
}

async fn messages_after_pages_in_order(s: Subject) {
    let store = s.store.as_ref();
    let c = conversation(store, "1").await;
    for i in 1..=7 {
        store
            .append_message(&text(&c, &format!("m{i}"), &format!("text {i}")))
            .await
            .unwrap();
    }
    let seqs = |list: Vec<shared::ChatMessage>| list.into_iter().map(|m| m.seq).collect::<Vec<_>>();
    assert_eq!(
        seqs(store.messages_after(&c, 0, 3).await.unwrap()),
        vec![1, 2, 3]
    );
    assert_eq!(
        seqs(store.messages_after(&c, 3, 3).await.unwrap()),
        vec![4, 5, 6]
    );
    assert_eq!(seqs(store.messages_after(&c, 6, 3).await.unwrap()), vec![7]);
    assert!(store.messages_after(&c, 7, 3).await.unwrap().is_empty());
    assert!(store
        .messages_after(&"missing".into(), 0, 3)
        .await
        .unwrap()
        .is_empty());
    let m = &store.messages_after(&c, 4, 1).await.unwrap()[0];
    assert_eq!(
        (m.text.as_str(), m.client_msg_id.as_str(), m.sent_at_ms),
        ("text 5", "m5", T0 + 5)
    );
}

async fn closed_or_missing_conversations_refuse_messages(s: Subject) {
    let store = s.store.as_ref();
    assert!(matches!(
        store.append_message(&text(&"nope".into(), "m1", "x")).await,
        Err(StoreError::NotFound)
    ));
    let c = conversation(store, "1").await;
    store.append_message(&text(&c, "m1", "x")).await.unwrap();
    store.close_conversation(&c, T0 + 1).await.unwrap();
    assert!(matches!(
        store.append_message(&text(&c, "m2", "y")).await,
        Err(StoreError::ConversationClosed)
    ));
    assert_eq!(store.messages_after(&c, 0, 10).await.unwrap().len(), 1);
}

/// A message by `agent`, stored only while the conversation is theirs.
fn reply(conversation: &ConversationId, id: &str, agent: &AgentId) -> NewMessage {
    NewMessage {
        author: Author {
            role: Role::Agent,
            agent: Some(agent.clone()),
            name: Some(format!("Agent {agent}")),
        },
        assignee: Some(agent.clone()),
        ..text(conversation, id, "an answer")
    }
}

fn not_assigned<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::Conflict(NOT_ASSIGNED)))
}

async fn agent_messages_need_the_assignment_at_the_append(s: Subject) {
    let store = s.store.as_ref();
    let c = conversation(store, "1").await;
    let a1 = online_agent(store, "a1", 2).await;
    let a2 = online_agent(store, "a2", 2).await;
    assert!(
        not_assigned(store.append_message(&reply(&c, "w", &a1)).await),
        "waiting"
    );
    store.assign(&c, &a1, T0).await.unwrap();
    assert!(
        not_assigned(store.append_message(&reply(&c, "x", &a2)).await),
        "a1's"
    );
    let visitor = store
        .append_message(&text(&c, "v1", "hello?"))
        .await
        .unwrap();
    assert!(!visitor.first_reply);
    let first = store.append_message(&reply(&c, "r1", &a1)).await.unwrap();
    assert!(first.first_reply && !first.duplicate);
    let second = store.append_message(&reply(&c, "r2", &a1)).await.unwrap();
    assert!(!second.first_reply);

    store.transfer(&c, &a1, &a2, T0 + 1).await.unwrap();
    let before = store.conversation(&c).await.unwrap().unwrap();
    assert!(
        not_assigned(store.append_message(&reply(&c, "r3", &a1)).await),
        "moved on"
    );
    // A resend of what a1 stored before the transfer is acked, not refused.
    let resent = store.append_message(&reply(&c, "r2", &a1)).await.unwrap();
    assert_eq!((resent.duplicate, resent.message.seq), (true, 3));
    let after = store.conversation(&c).await.unwrap().unwrap();
    assert_eq!(
        (after.last_seq, after.version),
        (before.last_seq, before.version)
    );
    let taken_over = store.append_message(&reply(&c, "r4", &a2)).await.unwrap();
    assert!(!taken_over.first_reply, "a1 answered already");
    assert_eq!(taken_over.message.seq, 4);

    store.close_conversation(&c, T0 + 2).await.unwrap();
    assert!(matches!(
        store.append_message(&reply(&c, "r5", &a2)).await,
        Err(StoreError::ConversationClosed)
    ));
    assert!(not_assigned(
        store.append_message(&reply(&c, "r6", &a1)).await
    ));
    let kept: Vec<String> = store
        .messages_after(&c, 0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.client_msg_id.to_string())
        .collect();
    assert_eq!(kept, ["v1", "r1", "r2", "r4"]);
}

async fn assignment_checks_presence_capacity_and_status(s: Subject) {
    let store = s.store.as_ref();
    let c1 = conversation(store, "1").await;
    let c2 = conversation(store, "2").await;
    store.create_agent(&agent("a1", 1)).await.unwrap();
    assert!(matches!(
        store.assign(&c1, &"a1".into(), T0).await,
        Err(StoreError::AgentUnavailable)
    ));
    store
        .set_presence(&"a1".into(), Presence::Online, T0)
        .await
        .unwrap();
    let assigned = store.assign(&c1, &"a1".into(), T0 + 50).await.unwrap();
    assert_eq!(assigned.status, ConversationStatus::Assigned);
    assert_eq!(assigned.agent_name.as_deref(), Some("Agent a1"));
    assert!(matches!(
        store.assign(&c1, &"a1".into(), T0).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.assign(&c2, &"a1".into(), T0).await,
        Err(StoreError::AgentUnavailable)
    ));
    let snapshot = store.routing_snapshot().await.unwrap();
    assert_eq!(waiting_ids(&snapshot), vec![c2.clone()]);
    let a1 = snapshot
        .agents
        .iter()
        .find(|a| a.id.as_str() == "a1")
        .unwrap();
    assert_eq!((a1.load, a1.last_activity_ms), (1, T0 + 50));
    let mine: Vec<ConversationId> = store
        .agent_conversations(&"a1".into())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(mine, vec![c1]);
    store
        .set_presence(&"a1".into(), Presence::Away, T0)
        .await
        .unwrap();
    store.create_agent(&agent("a2", 1)).await.unwrap();
    assert!(matches!(
        store.assign(&c2, &"a2".into(), T0).await,
        Err(StoreError::AgentUnavailable)
    ));
    assert_eq!(
        store.conversation(&c2).await.unwrap().unwrap().status,
        ConversationStatus::Waiting
    );
}

async fn transfer_moves_load_between_agents(s: Subject) {
    let store = s.store.as_ref();
    let c = conversation(store, "1").await;
    let a1 = online_agent(store, "a1", 2).await;
    let a2 = online_agent(store, "a2", 1).await;
    store.create_agent(&agent("a3", 5)).await.unwrap(); // offline
    store.assign(&c, &a1, T0).await.unwrap();
    assert!(matches!(
        store.transfer(&c, &a2, &a1, T0).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.transfer(&c, &a1, &"a3".into(), T0).await,
        Err(StoreError::AgentUnavailable)
    ));
    let moved = store.transfer(&c, &a1, &a2, T0 + 1).await.unwrap();
    assert_eq!(moved.agent, Some(a2.clone()));
    assert_eq!(moved.agent_name.as_deref(), Some("Agent a2"));
    assert!(store.agent_conversations(&a1).await.unwrap().is_empty());
    assert_eq!(store.agent_conversations(&a2).await.unwrap().len(), 1);
    let other = conversation(store, "2").await;
    store.assign(&other, &a1, T0).await.unwrap();
    assert!(
        matches!(
            store.transfer(&other, &a1, &a2, T0).await,
            Err(StoreError::AgentUnavailable)
        ),
        "a2 is full"
    );
}

async fn closing_frees_capacity_and_leaves_the_queue(s: Subject) {
    let store = s.store.as_ref();
    let c1 = conversation(store, "1").await;
    let c2 = conversation(store, "2").await;
    let c3 = conversation(store, "3").await;
    let a1 = online_agent(store, "a1", 1).await;
    store.assign(&c1, &a1, T0).await.unwrap();
    let closed = store.close_conversation(&c3, T0 + 3).await.unwrap();
    assert_eq!(
        (closed.status, closed.closed_at_ms),
        (ConversationStatus::Closed, Some(T0 + 3))
    );
    assert_eq!(
        waiting_ids(&store.routing_snapshot().await.unwrap()),
        vec![c2.clone()]
    );
    store.close_conversation(&c1, T0 + 4).await.unwrap();
    assert!(matches!(
        store.close_conversation(&c1, T0).await,
        Err(StoreError::ConversationClosed)
    ));
    assert!(matches!(
        store.close_conversation(&"nope".into(), T0).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.agent_conversations(&a1).await.unwrap().is_empty());
    store.assign(&c2, &a1, T0).await.unwrap();
}

async fn racing_assignments_never_exceed_capacity(s: Subject) {
    let store = Arc::clone(&s.store);
    let a1 = online_agent(store.as_ref(), "a1", 3).await;
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(conversation(store.as_ref(), &i.to_string()).await);
    }
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|c| {
            let (store, a1) = (Arc::clone(&store), a1.clone());
            tokio::spawn(async move { store.assign(&c, &a1, T0).await.is_ok() })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(won, 3);
    assert_eq!(store.agent_conversations(&a1).await.unwrap().len(), 3);
    assert_eq!(store.waiting().await.unwrap().len(), 17);
}

async fn one_conversation_is_assigned_once_under_races(s: Subject) {
    let store = Arc::clone(&s.store);
    let c = conversation(store.as_ref(), "1").await;
    let mut agents = Vec::new();
    for i in 0..8 {
        agents.push(online_agent(store.as_ref(), &format!("a{i}"), 2).await);
    }
    let tasks: Vec<_> = agents
        .iter()
        .map(|a| {
            let (store, a, c) = (Arc::clone(&store), a.clone(), c.clone());
            tokio::spawn(async move { store.assign(&c, &a, T0).await.is_ok() })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(won, 1);
    let mut holders = 0;
    for a in &agents {
        holders += store.agent_conversations(a).await.unwrap().len();
    }
    assert_eq!(holders, 1);
}

async fn racing_resends_store_one_message(s: Subject) {
    let store = Arc::clone(&s.store);
    let c = conversation(store.as_ref(), "1").await;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (store, c) = (Arc::clone(&store), c.clone());
            tokio::spawn(async move {
                store
                    .append_message(&text(&c, "same", "once"))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut seqs = Vec::new();
    let mut fresh = 0;
    for t in tasks {
        let appended = t.await.unwrap();
        seqs.push(appended.message.seq);
        fresh += usize::from(!appended.duplicate);
    }
    assert_eq!(fresh, 1);
    assert!(seqs.iter().all(|s| *s == 1));
    assert_eq!(store.messages_after(&c, 0, 10).await.unwrap().len(), 1);
}

/// Sessions drop conversation snapshots older than one they hold, so every
/// write to a conversation must give it a newer version than any before,
/// and a refused write (a resend, a closed conversation) must not.
async fn every_write_bumps_the_conversation_version(s: Subject) {
    let store = s.store.as_ref();
    let version = |c: &ConversationId| {
        let c = c.clone();
        async move { store.conversation(&c).await.unwrap().unwrap().version }
    };
    let c = conversation(store, "1").await;
    assert_eq!(version(&c).await, 1, "opened");
    let a1 = online_agent(store, "a1", 2).await;
    let a2 = online_agent(store, "a2", 2).await;
    let assigned = store.assign(&c, &a1, T0).await.unwrap();
    assert_eq!(
        assigned.version, 2,
        "the returned snapshot has the new version"
    );
    store.append_message(&text(&c, "m1", "hi")).await.unwrap();
    assert_eq!(version(&c).await, 3, "a message");
    store.append_message(&text(&c, "m1", "hi")).await.unwrap();
    assert_eq!(version(&c).await, 3, "a resend writes nothing");
    let moved = store.transfer(&c, &a1, &a2, T0).await.unwrap();
    assert_eq!(moved.version, 4, "a transfer");
    let closed = store.close_conversation(&c, T0).await.unwrap();
    assert_eq!(closed.version, 5, "a close");
    assert!(store.close_conversation(&c, T0).await.is_err());
    assert!(store.append_message(&text(&c, "m2", "late")).await.is_err());
    assert_eq!(version(&c).await, 5, "refused writes change nothing");
    let reopened = s.reopen().await;
    let kept = reopened.store.conversation(&c).await.unwrap().unwrap();
    assert_eq!(kept.version, 5, "versions survive reopening");
}

async fn visitor_sightings_are_noted_and_create_nothing(s: Subject) {
    let store = s.store.as_ref();
    let c = conversation(store, "1").await;
    let opened = store.conversation(&c).await.unwrap().unwrap();
    assert_eq!(opened.visitor_seen_ms, Some(T0), "opening is a sighting");
    let ghost = ConversationId::from("c-ghost");
    store
        .touch_visitors(&[c.clone(), ghost.clone()], T0 + 60_000)
        .await
        .unwrap();
    let seen = store.conversation(&c).await.unwrap().unwrap();
    assert_eq!(seen.visitor_seen_ms, Some(T0 + 60_000));
    assert_eq!(seen.version, opened.version, "a sighting is not a change");
    assert!(
        store.conversation(&ghost).await.unwrap().is_none(),
        "no stray record"
    );
    store.touch_visitors(&[], T0).await.unwrap();
}

async fn everything_survives_reopening(s: Subject) {
    let store = &s.store;
    let c = conversation(store.as_ref(), "1").await;
    let a1 = online_agent(store.as_ref(), "a1", 2).await;
    store.assign(&c, &a1, T0).await.unwrap();
    store.append_message(&text(&c, "m1", "kept")).await.unwrap();
    let waiting = conversation(store.as_ref(), "2").await;
    let now = relay::now_ms();
    store.create_session("h", &a1, now + 60_000).await.unwrap();
    let reopened = s.reopen().await;
    let r = reopened.store.as_ref();
    assert_eq!(r.messages_after(&c, 0, 10).await.unwrap()[0].text, "kept");
    let conv = r.conversation(&c).await.unwrap().unwrap();
    assert_eq!(
        (conv.status, conv.agent.clone(), conv.last_seq),
        (ConversationStatus::Assigned, Some(a1.clone()), 1)
    );
    assert_eq!(r.waiting().await.unwrap()[0].id, waiting);
    assert_eq!(r.session_agent("h", now).await.unwrap(), Some(a1.clone()));
    assert_eq!(
        r.visitor_by_token("hash-v-1")
            .await
            .unwrap()
            .unwrap()
            .id
            .as_str(),
        "v-1"
    );
    assert!(
        r.append_message(&text(&c, "m1", "again"))
            .await
            .unwrap()
            .duplicate
    );
    assert_eq!(
        r.append_message(&text(&c, "m2", "next"))
            .await
            .unwrap()
            .message
            .seq,
        2
    );
    assert_eq!(r.agent_conversations(&a1).await.unwrap().len(), 1);
}
