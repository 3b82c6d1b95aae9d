//! Erasing a contact (`relay::store::erasure`), on both stores: every copy
//! of the person's data goes (the record, a record merged into it, the
//! identity, external-id, case and name indexes, timeline items, merge
//! proposals), their visitors are unlinked, their messages redacted, and
//! one audit line says so; a stranger's record is untouched. Then the
//! proof that nothing is left: every Redis key under the prefix, and the
//! embedded store's journal file, read byte for byte, before and after a
//! restart.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use e2e::records::{timeline_item, visitor_message};
use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::store::erasure::{CONTACT_ERASED, ERASED_TEXT};
use relay::store::{Store, StoreError, VisitorRecord};
use shared::contacts::{Channel, Contact, Identity, IdentityKind, MergeDecision, MergeProposal};
use shared::{ContactId, ConversationId, SiteId};

store_cases!(
    erasure_leaves_no_copy_and_one_audit_line,
    erasing_twice_or_on_another_site_finds_nothing,
);

const T0: u64 = 1_700_000_000_000;

/// Strings only the erased person's data contains.
const SECRETS: [&str; 7] = [
    "Ada Lovelace",
    "Augusta",
    "ada@example.com",
    "555 0100",
    "Analytical Engine",
    "my parcel 1182",
    "sms-ada-1",
];

fn site() -> SiteId {
    SiteId::from("demo")
}

fn person(id: &str, name: &str, identities: Vec<Identity>, attrs: &[(&str, &str)]) -> Contact {
    Contact {
        id: ContactId::from(id),
        site: site(),
        name: Some(name.to_owned()),
        identities,
        attributes: attrs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        created_at_ms: T0,
    }
}

fn merge(id: &str, from: &str, into: &str) -> MergeProposal {
    MergeProposal {
        id: id.into(),
        from: from.into(),
        into: into.into(),
        matched: Identity::new(IdentityKind::Email, "x@example.com", false),
        created_at_ms: T0,
    }
}

/// Ada's record (with a second record of hers merged in, a timeline, a
/// proven visitor who chatted, an open proposal with Bob) and Bob's.
/// Returns Ada's conversation.
async fn ada_and_bob(store: &dyn Store) -> ConversationId {
    let email = Identity::new(IdentityKind::Email, "ada@example.com", true);
    let phone = Identity::new(IdentityKind::Phone, "555 0100", false);
    store
        .create_contact(&person(
            "ct_ada",
            "Ada Lovelace",
            vec![email],
            &[("project", "Analytical Engine")],
        ))
        .await
        .unwrap();
    store
        .create_contact(&person("ct_aug", "Augusta", vec![phone], &[]))
        .await
        .unwrap();
    store
        .create_contact(&person(
            "ct_bob",
            "Bob Stranger",
            vec![],
            &[("plan", "free")],
        ))
        .await
        .unwrap();
    let mut case = timeline_item("ti_1", Channel::Sms, T0 + 1, "my parcel 1182 is late");
    (case.case_code, case.external_id) = (Some("CASE-1001".into()), Some("sms-ada-1".into()));
    store
        .record(&site(), &"ct_aug".into(), &case)
        .await
        .unwrap();
    store
        .record(
            &site(),
            &"ct_bob".into(),
            &timeline_item("ti_2", Channel::Email, T0 + 2, "bob's mail"),
        )
        .await
        .unwrap();
    store
        .propose_merge(&merge("mp_1", "ct_aug", "ct_ada"))
        .await
        .unwrap();
    store
        .resolve_merge(&"mp_1".into(), MergeDecision::Accept, &"a_1".into(), T0 + 3)
        .await
        .unwrap();
    store
        .propose_merge(&merge("mp_2", "ct_bob", "ct_ada"))
        .await
        .unwrap();

    let visitor = VisitorRecord {
        id: "v_ada".into(),
        site: site(),
        token_hash: "hash-ada".into(),
        created_at_ms: T0,
    };
    store.create_visitor(&visitor).await.unwrap();
    store
        .prove_visitor(&visitor.id, &"ct_ada".into())
        .await
        .unwrap();
    let (conversation, _) = store
        .open_conversation(&visitor, &"c_ada".into(), T0 + 4)
        .await
        .unwrap();
    let mut said = visitor_message(&conversation.id, "m1", "my parcel 1182 is late".into());
    said.author.name = Some("Ada Lovelace".into());
    store.append_message(&said).await.unwrap();
    conversation.id
}

async fn erasure_leaves_no_copy_and_one_audit_line(s: Subject) {
    let conversation = ada_and_bob(&*s.store).await;
    // Through the merged-away id: erasure follows merges like every call.
    let erased = s
        .store
        .erase_contact(&site(), &"ct_aug".into(), "agent:a_1", T0 + 10)
        .await
        .unwrap();
    assert_eq!(erased.contact.as_str(), "ct_ada");
    assert_eq!(
        (
            erased.records,
            erased.timeline_items,
            erased.visitors_unlinked
        ),
        (2, 2, 1),
        "{erased:?}"
    );
    assert_eq!((erased.conversations, erased.messages_redacted), (1, 1));
    check_erased(&*s.store, &conversation).await;
    let log = s.store.audit_log(&site(), 10).await.unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].action, CONTACT_ERASED);
    assert_eq!(
        (log[0].by.as_str(), log[0].subject.as_str()),
        ("agent:a_1", "ct_ada")
    );
    assert_eq!(log[0].counts.get("messages_redacted"), Some(&1));
    assert_eq!(log[0].at_ms, T0 + 10);

    no_secret_stored(&s);
    let s = s.reopen().await;
    check_erased(&*s.store, &conversation).await;
    assert_eq!(s.store.audit_log(&site(), 10).await.unwrap().len(), 1);
    no_secret_stored(&s);
    // The identities are free again: a new record may hold them.
    let email = Identity::new(IdentityKind::Email, "ada@example.com", false);
    s.store
        .create_contact(&person("ct_new", "New", vec![email], &[]))
        .await
        .unwrap();
}

/// What every read of the store says after Ada's erasure.
async fn check_erased(store: &dyn Store, conversation: &ConversationId) {
    for id in ["ct_ada", "ct_aug"] {
        assert_eq!(store.contact(&id.into()).await.unwrap(), None, "{id}");
    }
    for (kind, value) in [
        (IdentityKind::Email, "ada@example.com"),
        (IdentityKind::Phone, "555 0100"),
    ] {
        assert_eq!(
            store
                .contact_by_identity(&site(), kind, value)
                .await
                .unwrap(),
            None
        );
    }
    assert_eq!(
        store
            .item_by_external_id(&site(), "sms-ada-1")
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.find_case(&site(), "CASE-1001").await.unwrap(), None);
    assert!(store
        .search_contacts(&site(), "ada", 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .search_contacts(&site(), "augusta", 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.visitor_contact(&"v_ada".into()).await.unwrap(), None);
    assert!(store
        .merge_proposals(&"ct_bob".into())
        .await
        .unwrap()
        .is_empty());
    let messages = store.messages_after(conversation, 0, 10).await.unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].text, ERASED_TEXT);
    assert_eq!(messages[0].author.name, None);
    // The stranger keeps everything.
    let bob = store.contact(&"ct_bob".into()).await.unwrap().unwrap();
    assert_eq!(bob.attributes.get("plan").map(String::as_str), Some("free"));
    assert_eq!(store.timeline(&bob.id, None, 10).await.unwrap().len(), 1);
    assert_eq!(
        store
            .search_contacts(&site(), "bob", 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Every byte the store keeps: the embedded data directory, or every Redis key
/// under the prefix with its whole value.
fn stored_bytes(s: &Subject) -> String {
    match s.redis_dump() {
        Some(all) => all,
        None => {
            let dir = s.data_dir().unwrap();
            let mut all = String::new();
            for entry in std::fs::read_dir(dir).unwrap() {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                all.push_str(&String::from_utf8_lossy(&bytes));
            }
            all
        }
    }
}

fn no_secret_stored(s: &Subject) {
    let all = stored_bytes(s);
    assert!(all.contains("Bob Stranger"), "the dump missed live data");
    for secret in SECRETS {
        assert!(!all.contains(secret), "{secret:?} is still stored");
    }
}

async fn erasing_twice_or_on_another_site_finds_nothing(s: Subject) {
    let store = &*s.store;
    ada_and_bob(store).await;
    let elsewhere = store
        .erase_contact(&"other".into(), &"ct_bob".into(), "api", T0)
        .await;
    assert!(
        matches!(elsewhere, Err(StoreError::NotFound)),
        "{elsewhere:?}"
    );
    assert!(store.contact(&"ct_bob".into()).await.unwrap().is_some());
    store
        .erase_contact(&site(), &"ct_bob".into(), "api", T0)
        .await
        .unwrap();
    let again = store
        .erase_contact(&site(), &"ct_bob".into(), "api", T0)
        .await;
    assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
    let ghost = store
        .erase_contact(&site(), &"ct_none".into(), "api", T0)
        .await;
    assert!(matches!(ghost, Err(StoreError::NotFound)), "{ghost:?}");
    assert_eq!(store.audit_log(&site(), 10).await.unwrap().len(), 1);
    assert!(store
        .audit_log(&"other".into(), 10)
        .await
        .unwrap()
        .is_empty());
}
