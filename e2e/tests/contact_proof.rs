//! What only a signed identity may do in a store, run against the embedded
//! store and the Redis store alike: a verified claim takes an identity
//! from a contact holding it unverified (never from one holding it
//! verified), and only proven visitors are listed as proven, across
//! merges and reopening.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::store::{Store, StoreError, VisitorRecord};
use shared::contacts::{Contact, Identity, IdentityKind, MergeDecision, MergeProposal};
use shared::{ContactId, MergeProposalId, VisitorId};

store_cases!(
    on_a_cluster_too:
    a_verified_claim_takes_an_identity_typed_elsewhere,
    a_verified_holder_keeps_its_identity,
    only_proven_visitors_are_proven_across_merges_and_reopening,
);

const T0: u64 = 1_700_000_000_000;

fn email(value: &str, verified: bool) -> Identity {
    Identity::new(IdentityKind::Email, value, verified)
}

async fn contact(store: &dyn Store, id: &str, identities: Vec<Identity>) -> ContactId {
    let contact = Contact {
        id: ContactId::from(id),
        site: "demo".into(),
        name: None,
        identities,
        attributes: BTreeMap::new(),
        created_at_ms: T0,
    };
    store.create_contact(&contact).await.unwrap();
    contact.id
}

async fn visitor(store: &dyn Store, id: &str) -> VisitorId {
    let record = VisitorRecord {
        id: id.into(),
        site: "demo".into(),
        token_hash: format!("hash-{id}"),
        created_at_ms: T0,
    };
    store.create_visitor(&record).await.unwrap();
    record.id
}

async fn holder(store: &dyn Store, value: &str) -> Option<ContactId> {
    store
        .contact_by_identity(&"demo".into(), IdentityKind::Email, value)
        .await
        .unwrap()
}

async fn a_verified_claim_takes_an_identity_typed_elsewhere(s: Subject) {
    let store = &*s.store;
    let typist = contact(store, "ct_typist", vec![email("Vera@Example.com", false)]).await;
    let owner = contact(store, "ct_owner", vec![]).await;
    let taken = store
        .take_identity(&owner, &email("vera@example.com", true))
        .await
        .unwrap();
    assert_eq!(taken, Some(typist.clone()), "taken from the typist");
    assert_eq!(holder(store, "vera@example.com").await, Some(owner.clone()));
    let typist_now = store.contact(&typist).await.unwrap().unwrap();
    assert!(typist_now.identities.is_empty(), "{typist_now:?}");
    let owner_now = store.contact(&owner).await.unwrap().unwrap();
    assert_eq!(owner_now.identities, vec![email("vera@example.com", true)]);
    // Taking it again, or a fresh one nobody holds, takes from nobody.
    let again = store
        .take_identity(&owner, &email("vera@example.com", true))
        .await;
    assert_eq!(again.unwrap(), None);
    let fresh = store
        .take_identity(&owner, &email("new@example.com", true))
        .await;
    assert_eq!(fresh.unwrap(), None);
    assert_eq!(holder(store, "new@example.com").await, Some(owner.clone()));
    let reopened = s.reopen().await;
    let r = &*reopened.store;
    assert_eq!(holder(r, "vera@example.com").await, Some(owner));
    assert!(r
        .contact(&typist)
        .await
        .unwrap()
        .unwrap()
        .identities
        .is_empty());
}

async fn a_verified_holder_keeps_its_identity(s: Subject) {
    let store = &*s.store;
    let owner = contact(store, "ct_owner", vec![email("vera@example.com", true)]).await;
    let other = contact(store, "ct_other", vec![]).await;
    let refused = store
        .take_identity(&other, &email("vera@example.com", true))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert_eq!(holder(store, "vera@example.com").await, Some(owner));
    assert!(store
        .contact(&other)
        .await
        .unwrap()
        .unwrap()
        .identities
        .is_empty());
    let missing = store
        .take_identity(&"ct_ghost".into(), &email("x@example.com", true))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

async fn only_proven_visitors_are_proven_across_merges_and_reopening(s: Subject) {
    let store = &*s.store;
    let hers = contact(store, "ct_hers", vec![email("vera@example.com", true)]).await;
    let his = contact(store, "ct_his", vec![]).await;
    let laptop = visitor(store, "v_laptop").await;
    let phone = visitor(store, "v_phone").await;
    let attacker = visitor(store, "v_attacker").await;
    store.prove_visitor(&laptop, &hers).await.unwrap();
    store.prove_visitor(&phone, &hers).await.unwrap();
    store.link_visitor(&attacker, &his).await.unwrap();
    assert_eq!(
        store.proven_visitors(&hers).await.unwrap(),
        vec![laptop.clone(), phone.clone()]
    );
    assert!(store.proven_visitors(&his).await.unwrap().is_empty());
    // His record merged into hers: his visitor is on her record now, but
    // not proven.
    let proposal = MergeProposal {
        id: MergeProposalId::from("mp_1"),
        from: his.clone(),
        into: hers.clone(),
        matched: email("vera@example.com", false),
        created_at_ms: T0,
    };
    store.propose_merge(&proposal).await.unwrap();
    store
        .resolve_merge(&proposal.id, MergeDecision::Accept, &"a_admin".into(), T0)
        .await
        .unwrap();
    assert_eq!(store.contact_visitors(&hers).await.unwrap().len(), 3);
    let proven = vec![laptop.clone(), phone.clone()];
    assert_eq!(store.proven_visitors(&hers).await.unwrap(), proven);
    assert_eq!(
        store.proven_visitors(&his).await.unwrap(),
        proven,
        "follows the merge"
    );
    let cross = store.prove_visitor(&"v_ghost".into(), &hers).await;
    assert!(matches!(cross, Err(StoreError::NotFound)), "{cross:?}");
    let reopened = s.reopen().await;
    assert_eq!(reopened.store.proven_visitors(&hers).await.unwrap(), proven);
}
