//! Contact search by name through the name index, on both stores: words
//! found by their beginnings in any script, renames and merges keeping the
//! index true, sites kept apart, and (Redis) contacts stored before the
//! index existed indexed at startup (and data from a newer version
//! refused). The search reads the index, never
//! every contact (SECURITY.md: a search cannot walk a whole site).

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::store::{Site, Store};
use shared::contacts::{Contact, Identity, IdentityKind, MergeDecision, MergeProposal};
use shared::{ContactId, SiteId};

store_cases!(
    words_are_found_by_their_beginnings,
    renames_and_merges_keep_the_index_true,
    sites_do_not_mix_and_the_index_survives_reopening,
);

const T0: u64 = 1_700_000_000_000;

fn person(id: &str, site: &str, name: Option<&str>) -> Contact {
    Contact {
        id: ContactId::from(id),
        site: SiteId::from(site),
        name: name.map(str::to_owned),
        identities: Vec::new(),
        attributes: BTreeMap::new(),
        created_at_ms: T0,
    }
}

async fn found(store: &dyn Store, site: &str, query: &str) -> Vec<String> {
    store
        .search_contacts(&SiteId::from(site), query, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id.0)
        .collect()
}

async fn create(store: &dyn Store, people: &[(&str, &str, Option<&str>)]) {
    for (id, site, name) in people {
        store
            .create_contact(&person(id, site, *name))
            .await
            .unwrap();
    }
}

async fn words_are_found_by_their_beginnings(s: Subject) {
    let store = &*s.store;
    create(
        store,
        &[
            ("ct_ada", "demo", Some("Ada Lovelace")),
            ("ct_anna", "demo", Some("Анна Каренина")),
            ("ct_dash", "demo", Some("Jean-Luc O'Brien")),
            ("ct_none", "demo", None),
        ],
    )
    .await;
    assert_eq!(found(store, "demo", "love").await, ["ct_ada"]);
    assert_eq!(found(store, "demo", "ADA love").await, ["ct_ada"]);
    assert_eq!(found(store, "demo", "lovelace ada").await, ["ct_ada"]);
    // Every word must begin a word of the name.
    assert!(found(store, "demo", "ada smith").await.is_empty());
    // Inside a word is not a beginning.
    assert!(found(store, "demo", "velace").await.is_empty());
    assert_eq!(found(store, "demo", "анна").await, ["ct_anna"]);
    assert_eq!(found(store, "demo", "КАР").await, ["ct_anna"]);
    assert_eq!(found(store, "demo", "luc").await, ["ct_dash"]);
    assert_eq!(found(store, "demo", "o brien").await, ["ct_dash"]);
    assert!(found(store, "demo", "---").await.is_empty());
}

async fn renames_and_merges_keep_the_index_true(s: Subject) {
    let store = &*s.store;
    create(
        store,
        &[
            ("ct_a", "demo", Some("Grace Hopper")),
            ("ct_b", "demo", None),
            ("ct_c", "demo", Some("Edsger Dijkstra")),
        ],
    )
    .await;
    store
        .update_contact(&"ct_a".into(), Some("Grace Murray"), &BTreeMap::new())
        .await
        .unwrap();
    assert!(found(store, "demo", "hopper").await.is_empty());
    assert_eq!(found(store, "demo", "murray").await, ["ct_a"]);
    // A nameless survivor takes the merged record's name: found under it
    // as itself, and the merged-away record is found no more.
    let proposal = MergeProposal {
        id: "mp_1".into(),
        from: "ct_c".into(),
        into: "ct_b".into(),
        matched: Identity::new(IdentityKind::Email, "e@example.com", false),
        created_at_ms: T0,
    };
    store.propose_merge(&proposal).await.unwrap();
    store
        .resolve_merge(&proposal.id, MergeDecision::Accept, &"a_1".into(), T0 + 1)
        .await
        .unwrap();
    assert_eq!(found(store, "demo", "dijkstra").await, ["ct_b"]);
    store
        .update_contact(&"ct_b".into(), Some(""), &BTreeMap::new())
        .await
        .unwrap();
    assert!(found(store, "demo", "edsger").await.is_empty());
}

async fn sites_do_not_mix_and_the_index_survives_reopening(s: Subject) {
    create(
        &*s.store,
        &[
            ("ct_here", "demo", Some("Margaret Hamilton")),
            ("ct_there", "other", Some("Margaret Hamilton")),
        ],
    )
    .await;
    let s = s.reopen().await;
    let store = &*s.store;
    assert_eq!(found(store, "demo", "marg").await, ["ct_here"]);
    assert_eq!(found(store, "other", "hamilton").await, ["ct_there"]);
    assert!(found(store, "nowhere", "hamilton").await.is_empty());
}

/// Contacts stored by a relay before the index existed have no index
/// entries; the next relay to connect indexes them once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_indexes_names_stored_before_the_index() {
    let s = Subject::redis("old_names").await;
    create(&*s.store, &[("ct_old", "demo", Some("Barbara Liskov"))]).await;
    s.store
        .put_site(&Site {
            id: "demo".into(),
            name: "Demo".into(),
            origins: vec![],
            languages: vec!["en".into()],
            identity_secret: None,
            previous_identity_secret: None,
            previous_secret_until_ms: None,
            api_key_hashes: vec![],
            prechat_form: false,
            hours: None,
            routing: Default::default(),
        })
        .await
        .unwrap();
    let (server, prefix) = s.redis.clone().unwrap();
    for key in ["site:demo:names", "names-indexed"] {
        server.cli(&["DEL", &format!("{prefix}{key}")]).unwrap();
    }
    server
        .cli(&["HDEL", &format!("{prefix}contact:ct_old"), "name_words"])
        .unwrap();
    assert!(found(&*s.store, "demo", "liskov").await.is_empty());
    let s = s.reopen().await;
    assert_eq!(found(&*s.store, "demo", "liskov").await, ["ct_old"]);
    let flag = server
        .cli(&["GET", &format!("{prefix}names-indexed")])
        .unwrap();
    assert_eq!(flag.trim(), "1");
}

/// The key layout carries its version: a relay marks it, and refuses data
/// a newer Switchboard wrote rather than misreading it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_data_from_a_newer_version_is_refused() {
    let s = Subject::redis("format").await;
    let (server, prefix) = s.redis.clone().unwrap();
    let key = format!("{prefix}format");
    assert_eq!(server.cli(&["GET", &key]).unwrap().trim(), "1");
    server.cli(&["SET", &key, "99"]).unwrap();
    let refused = relay::store::redis::RedisStore::connect(&server.url(), &prefix).await;
    let err = refused.unwrap_err().to_string();
    assert!(err.contains("newer Switchboard"), "{err}");
    assert_eq!(server.cli(&["GET", &key]).unwrap().trim(), "99");
}
