//! Upgrading from the journal store: a data directory written by it
//! (`journal.jsonl`) opens in the SQLite store with every record the same
//! — sites, agents, sessions, the queue, conversations and messages,
//! contacts with a merge, timelines, cases, proposals, an erasure's audit
//! line — and the journal is gone afterwards (it would keep copies of
//! data erased later).

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use e2e::records::{timeline_item, visitor_message};
use relay::store::embedded::EmbeddedStore;
use relay::store::sqlite::SqliteStore;
use relay::store::{AgentRecord, ContactStore, Site, Store, VisitorRecord};
use shared::contacts::{Channel, Contact, Identity, IdentityKind, MergeDecision, MergeProposal};
use shared::{ContactId, ConversationId, Presence};

const T0: u64 = 1_700_000_000_000;

fn contact(id: &str, name: &str, identities: Vec<Identity>) -> Contact {
    Contact {
        id: ContactId::from(id),
        site: "demo".into(),
        name: Some(name.into()),
        identities,
        attributes: BTreeMap::from([("plan".to_owned(), format!("plan-{id}"))]),
        created_at_ms: T0,
    }
}

/// Writes a little of everything through the journal store.
async fn write_everything(store: &dyn Store) -> Vec<ConversationId> {
    store
        .put_site(&Site {
            id: "demo".into(),
            name: "Demo".into(),
            origins: vec!["https://shop.example".into()],
            languages: vec!["en".into(), "he".into()],
            identity_secret: Some("s3cret".into()),
            previous_identity_secret: None,
            previous_secret_until_ms: None,
            api_key_hashes: vec!["abc".into()],
            prechat_form: true,
            hours: None,
            routing: Default::default(),
        })
        .await
        .unwrap();
    for (n, email) in ["ann@example.com", "bo@example.com"]
        .into_iter()
        .enumerate()
    {
        let agent = AgentRecord {
            id: format!("a_{n}").as_str().into(),
            email: email.into(),
            name: format!("Agent {n}"),
            password_hash: "$argon2id$fake".into(),
            admin: n == 0,
            max_concurrent: 3,
            created_at_ms: T0,
            disabled: false,
            languages: Vec::new(),
            skills: Vec::new(),
        };
        store.create_agent(&agent).await.unwrap();
        store
            .create_session(&format!("session-{n}"), &agent.id, T0 * 2)
            .await
            .unwrap();
    }
    store
        .set_presence(&"a_0".into(), Presence::Online, T0)
        .await
        .unwrap();
    let mut conversations = Vec::new();
    for n in 0..3 {
        let visitor = VisitorRecord {
            id: format!("v_{n}").as_str().into(),
            site: "demo".into(),
            token_hash: format!("token-{n}"),
            created_at_ms: T0,
        };
        store.create_visitor(&visitor).await.unwrap();
        let (c, _) = store
            .open_conversation(&visitor, &format!("c_{n}").as_str().into(), T0 + n)
            .await
            .unwrap();
        for i in 0..5 {
            let said = visitor_message(&c.id, &format!("m{i}"), format!("hello {n}.{i}"));
            store.append_message(&said).await.unwrap();
        }
        conversations.push(c.id);
    }
    store
        .assign(&conversations[0], &"a_0".into(), T0 + 10)
        .await
        .unwrap();
    store
        .close_conversation(&conversations[1], T0 + 11)
        .await
        .unwrap();

    let ada = contact(
        "ct_ada",
        "Ada Lovelace",
        vec![Identity::new(IdentityKind::Email, "ada@example.com", true)],
    );
    let aug = contact(
        "ct_aug",
        "Augusta",
        vec![Identity::new(IdentityKind::Phone, "555 0100", false)],
    );
    let eve = contact("ct_eve", "Eve Gone", vec![]);
    for c in [&ada, &aug, &eve] {
        store.create_contact(c).await.unwrap();
    }
    let mut case = timeline_item("ti_1", Channel::Email, T0 + 1, "refund please");
    (case.case_code, case.external_id) = (Some("CASE-1001".into()), Some("mail-1".into()));
    store.record(&"demo".into(), &aug.id, &case).await.unwrap();
    store
        .record(
            &"demo".into(),
            &ada.id,
            &timeline_item("ti_2", Channel::Sms, T0 + 2, "on my way"),
        )
        .await
        .unwrap();
    store.link_visitor(&"v_0".into(), &aug.id).await.unwrap();
    store.prove_visitor(&"v_2".into(), &ada.id).await.unwrap();
    let merge = MergeProposal {
        id: "mp_1".into(),
        from: aug.id.clone(),
        into: ada.id.clone(),
        matched: Identity::new(IdentityKind::Email, "ada@example.com", false),
        created_at_ms: T0,
    };
    store.propose_merge(&merge).await.unwrap();
    store
        .resolve_merge(&merge.id, MergeDecision::Accept, &"a_0".into(), T0 + 20)
        .await
        .unwrap();
    let open = MergeProposal {
        id: "mp_2".into(),
        from: eve.id.clone(),
        into: ada.id.clone(),
        ..merge
    };
    store.propose_merge(&open).await.unwrap();
    store
        .erase_contact(&"demo".into(), &eve.id, "api", T0 + 30)
        .await
        .unwrap();
    conversations
}

/// Everything a relay reads, as one comparable text.
async fn everything(store: &dyn Store, conversations: &[ConversationId]) -> String {
    let mut out = format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n",
        store.site(&"demo".into()).await.unwrap(),
        store.agents().await.unwrap(),
        store.session_agent("session-1", T0).await.unwrap(),
        store.visitor_by_token("token-2").await.unwrap(),
        store
            .waiting()
            .await
            .unwrap()
            .iter()
            .map(|c| &c.id)
            .collect::<Vec<_>>(),
    );
    for c in conversations {
        let mut conversation = store.conversation(c).await.unwrap().unwrap();
        conversation.visitor_seen_ms = None; // soft state, reset by opening
        out += &format!(
            "{conversation:?}\n{:?}\n",
            store.messages_after(c, 0, 100).await.unwrap()
        );
    }
    for id in ["ct_ada", "ct_aug", "ct_eve"] {
        let id = ContactId::from(id);
        out += &format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n",
            store.contact(&id).await.unwrap(),
            store.timeline(&id, None, 50).await.unwrap(),
            store.contact_visitors(&id).await.unwrap(),
            store.proven_visitors(&id).await.unwrap(),
            store.merge_proposals(&id).await.unwrap(),
        );
    }
    out += &format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n",
        store
            .search_contacts(&"demo".into(), "ada", 10)
            .await
            .unwrap(),
        store.find_case(&"demo".into(), "CASE-1001").await.unwrap(),
        store
            .item_by_external_id(&"demo".into(), "mail-1")
            .await
            .unwrap(),
        store
            .contact_by_identity(&"demo".into(), IdentityKind::Phone, "555 0100")
            .await
            .unwrap(),
        store.audit_log(&"demo".into(), 10).await.unwrap(),
    );
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_directory_opens_with_every_record_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (conversations, before) = {
        let journal = EmbeddedStore::open(dir.path()).unwrap();
        let conversations = write_everything(&journal).await;
        let before = everything(&journal, &conversations).await;
        (conversations, before)
    };
    assert!(dir.path().join("journal.jsonl").exists());
    let store = SqliteStore::open(dir.path(), 16).unwrap();
    let after = everything(&store, &conversations).await;
    assert_eq!(after, before);
    assert!(
        !dir.path().join("journal.jsonl").exists(),
        "the journal was left behind"
    );
    drop(store);
    // Opening again imports nothing twice, and case numbers go on.
    let again = SqliteStore::open(dir.path(), 16).unwrap();
    assert_eq!(everything(&again, &conversations).await, before);
    assert_eq!(again.next_case_number(&"demo".into()).await.unwrap(), 4);
}
