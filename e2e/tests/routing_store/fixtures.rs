//! What the routing-store cases share: agents, visitors with routed
//! conversations, messages from either side, and reads of the queue that
//! check `waiting()` and the routing snapshot agree.

use relay::store::{AgentRecord, Conversation, NewMessage, Store, VisitorRecord};
use shared::routing::{Priority, Route};
use shared::{AgentId, Author, ClientMsgId, ConversationId, Presence, Role};

pub(crate) const T0: u64 = 1_700_000_000_000;

pub(crate) fn agent(id: &str, max: u32) -> AgentRecord {
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

pub(crate) async fn online_agent(store: &dyn Store, id: &str, max: u32) -> AgentId {
    store.create_agent(&agent(id, max)).await.unwrap();
    let id = AgentId::from(id);
    store.set_presence(&id, Presence::Online, T0).await.unwrap();
    id
}

pub(crate) fn asks(language: &str) -> Route {
    Route {
        language: Some(language.into()),
        topic: Some("refunds".into()),
        team: Some("billing".into()),
        skill: Some("stripe".into()),
        priority: Priority::Identified,
        ..Route::default()
    }
}

/// A visitor with a waiting conversation asking for `route`, opened at `at`.
pub(crate) async fn open(store: &dyn Store, name: &str, route: &Route, at: u64) -> Conversation {
    let v = VisitorRecord {
        id: format!("v-{name}").as_str().into(),
        site: "demo".into(),
        token_hash: format!("hash-{name}"),
        created_at_ms: at,
    };
    store.create_visitor(&v).await.unwrap();
    let id = ConversationId::from(format!("c-{name}").as_str());
    let (c, created) = store
        .open_routed_conversation(&v, &id, route, at)
        .await
        .unwrap();
    assert!(created);
    c
}

pub(crate) async fn waiting_one(store: &dyn Store, name: &str) -> ConversationId {
    open(store, name, &Route::default(), T0).await.id
}

/// A message from `by` (an agent id) or, for `None`, from the visitor.
pub(crate) fn says(c: &ConversationId, id: &str, by: Option<&AgentId>, at_ms: u64) -> NewMessage {
    NewMessage {
        conversation: c.clone(),
        client_msg_id: ClientMsgId::from(id),
        author: Author {
            role: if by.is_some() {
                Role::Agent
            } else {
                Role::Visitor
            },
            agent: by.cloned(),
            name: None,
        },
        text: "hello".into(),
        at_ms,
        assignee: None,
        report: None,
    }
}

pub(crate) async fn read(store: &dyn Store, c: &ConversationId) -> Conversation {
    store.conversation(c).await.unwrap().unwrap()
}

pub(crate) async fn queue(store: &dyn Store) -> Vec<ConversationId> {
    let waiting: Vec<_> = store
        .waiting()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let snapshot: Vec<_> = store.routing_snapshot().await.unwrap().waiting;
    let ranked: Vec<_> = snapshot.into_iter().map(|w| w.id).collect();
    assert_eq!(waiting, ranked, "waiting() and the snapshot agree on order");
    waiting
}

pub(crate) async fn load(store: &dyn Store, agent: &AgentId) -> u32 {
    let snapshot = store.routing_snapshot().await.unwrap();
    snapshot
        .agents
        .iter()
        .find(|a| &a.id == agent)
        .unwrap()
        .load
}
