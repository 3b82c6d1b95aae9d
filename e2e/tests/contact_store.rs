//! The customer record's contract (`relay::store::contacts`), run against
//! the embedded store and the Redis store alike: identity uniqueness and
//! normalisation, timelines idempotent by external id, case numbers under
//! races, search, and merges that move the whole record or nothing.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use e2e::records::timeline_item;
use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::store::{Store, StoreError, VisitorRecord};
use shared::card::TimelineCursor;
use shared::contacts::{
    Channel, Contact, Identity, IdentityKind, MergeDecision, MergeProposal, TimelineItem,
};
use shared::{AgentId, ContactId, MergeProposalId, SiteId, VisitorId};

store_cases!(
    on_a_cluster_too:
    contacts_are_created_and_read,
    a_held_identity_conflicts_and_changes_nothing,
    racing_claims_of_one_identity_make_one_holder,
    identities_are_found_normalised,
    adding_an_identity_can_only_verify_it,
    updates_set_the_name_and_merge_attributes,
    visitors_link_relink_and_stay_on_their_site,
    items_are_recorded_once_per_external_id,
    the_timeline_is_newest_first_and_pages,
    case_numbers_count_up_and_never_repeat_under_races,
    cases_are_found_by_code,
    search_finds_by_name_email_and_phone,
    proposals_are_deduplicated_by_pair,
    accepting_a_merge_moves_the_whole_record,
    rejecting_a_merge_changes_nothing,
    merges_chain_to_the_last_survivor,
    a_proposal_settles_once,
    the_record_survives_reopening,
);

const T0: u64 = 1_700_000_000_000;

fn site() -> SiteId {
    SiteId::from("demo")
}

/// A cursor meaning "strictly before `at_ms`" (the empty id sorts first).
fn before(at_ms: u64) -> TimelineCursor {
    TimelineCursor {
        at_ms,
        id: "".into(),
    }
}

fn email(value: &str, verified: bool) -> Identity {
    Identity::new(IdentityKind::Email, value, verified)
}

fn phone(value: &str, verified: bool) -> Identity {
    Identity::new(IdentityKind::Phone, value, verified)
}

fn person(id: &str, name: Option<&str>, identities: Vec<Identity>) -> Contact {
    Contact {
        id: ContactId::from(id),
        site: site(),
        name: name.map(str::to_owned),
        identities,
        attributes: BTreeMap::new(),
        created_at_ms: T0,
    }
}

fn item(id: &str, at_ms: u64, text: &str) -> TimelineItem {
    timeline_item(id, Channel::Email, at_ms, text)
}

fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Contacts with nothing but an id, on the test site.
async fn blank_contacts(store: &dyn Store, ids: &[&str]) {
    for id in ids {
        let contact = person(id, None, vec![]);
        store.create_contact(&contact).await.unwrap();
    }
}

async fn visitor(store: &dyn Store, id: &str, site: &str) -> VisitorId {
    let record = VisitorRecord {
        id: id.into(),
        site: site.into(),
        token_hash: format!("hash-{id}"),
        created_at_ms: T0,
    };
    store.create_visitor(&record).await.unwrap();
    record.id
}

fn proposal(id: &str, from: &str, into: &str, matched: Identity) -> MergeProposal {
    MergeProposal {
        id: MergeProposalId::from(id),
        from: from.into(),
        into: into.into(),
        matched,
        created_at_ms: T0,
    }
}

async fn ids_of(items: Vec<TimelineItem>) -> Vec<String> {
    items.into_iter().map(|i| i.id.0).collect()
}

async fn contacts_are_created_and_read(s: Subject) {
    let store = &*s.store;
    let mut ada = person("ct_ada", Some("Ada"), vec![email("Ada@Example.com", true)]);
    ada.attributes = attrs(&[("plan", "pro")]);
    store.create_contact(&ada).await.unwrap();
    let read = store.contact(&ada.id).await.unwrap().unwrap();
    assert_eq!(read.identities, vec![email("ada@example.com", true)]);
    assert_eq!(
        (read.name.as_deref(), read.created_at_ms),
        (Some("Ada"), T0)
    );
    assert_eq!(read.attributes, attrs(&[("plan", "pro")]));
    assert_eq!(store.contact(&"ct_nobody".into()).await.unwrap(), None);
    assert_eq!(store.contact(&"ct:x".into()).await.unwrap(), None);
    let again = store.create_contact(&person("ct_ada", None, vec![])).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}

async fn a_held_identity_conflicts_and_changes_nothing(s: Subject) {
    let store = &*s.store;
    let ada = person("ct_ada", Some("Ada"), vec![email("ada@example.com", true)]);
    store.create_contact(&ada).await.unwrap();
    let twin = person(
        "ct_twin",
        Some("Twin"),
        vec![phone("555 0100", false), email("ADA@example.com", false)],
    );
    let result = store.create_contact(&twin).await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    assert_eq!(store.contact(&twin.id).await.unwrap(), None);
    let by_phone = store
        .contact_by_identity(&site(), IdentityKind::Phone, "5550100")
        .await
        .unwrap();
    assert_eq!(by_phone, None, "the phone of a refused contact was claimed");

    let bob = person("ct_bob", Some("Bob"), vec![]);
    store.create_contact(&bob).await.unwrap();
    let taken = store
        .add_identity(&bob.id, &email("ada@example.com", true))
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    assert!(store
        .contact(&bob.id)
        .await
        .unwrap()
        .unwrap()
        .identities
        .is_empty());
}

/// How many of the racing calls succeeded; the rest must be conflicts.
async fn winners(calls: Vec<tokio::task::JoinHandle<Result<(), StoreError>>>) -> usize {
    let mut won = 0;
    for call in calls {
        match call.await.unwrap() {
            Ok(()) => won += 1,
            Err(StoreError::Conflict(_)) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    won
}

async fn racing_claims_of_one_identity_make_one_holder(s: Subject) {
    let creates = (0..10)
        .map(|n| {
            let store = std::sync::Arc::clone(&s.store);
            let c = person(
                &format!("ct_{n}"),
                None,
                vec![email("ada@example.com", true)],
            );
            tokio::spawn(async move { store.create_contact(&c).await })
        })
        .collect();
    assert_eq!(winners(creates).await, 1);
    let ids: Vec<String> = (0..10).map(|n| format!("ct_p{n}")).collect();
    blank_contacts(
        &*s.store,
        &ids.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await;
    let adds = ids
        .into_iter()
        .map(|id| {
            let store = std::sync::Arc::clone(&s.store);
            let phone = phone("555 0100", false);
            tokio::spawn(async move { store.add_identity(&ContactId(id), &phone).await })
        })
        .collect();
    assert_eq!(winners(adds).await, 1);
}

async fn identities_are_found_normalised(s: Subject) {
    let store = &*s.store;
    let ada = person(
        "ct_ada",
        None,
        vec![
            email(" Ada@Example.COM ", false),
            phone("+1 (555) 010-9999", true),
        ],
    );
    store.create_contact(&ada).await.unwrap();
    for (kind, value) in [
        (IdentityKind::Email, "ADA@example.com"),
        (IdentityKind::Phone, "+1 555 010 9999"),
        (IdentityKind::Phone, "+15550109999"),
    ] {
        let found = store
            .contact_by_identity(&site(), kind, value)
            .await
            .unwrap();
        assert_eq!(found, Some(ada.id.clone()), "{kind:?} {value}");
    }
    let other_site = store
        .contact_by_identity(&"other".into(), IdentityKind::Email, "ada@example.com")
        .await
        .unwrap();
    assert_eq!(other_site, None);
    // The same identity on another site is another person.
    let mut elsewhere = person("ct_else", None, vec![email("ada@example.com", true)]);
    elsewhere.site = "other".into();
    store.create_contact(&elsewhere).await.unwrap();
}

async fn adding_an_identity_can_only_verify_it(s: Subject) {
    let store = &*s.store;
    let ada = person("ct_ada", None, vec![email("ada@example.com", false)]);
    store.create_contact(&ada).await.unwrap();
    store
        .add_identity(&ada.id, &email("ADA@example.com", true))
        .await
        .unwrap();
    store
        .add_identity(&ada.id, &email("ada@example.com", false))
        .await
        .unwrap();
    store
        .add_identity(&ada.id, &phone("555-0100", false))
        .await
        .unwrap();
    let read = store.contact(&ada.id).await.unwrap().unwrap();
    assert_eq!(
        read.identities,
        vec![email("ada@example.com", true), phone("5550100", false)]
    );
    let missing = store
        .add_identity(&"ct_nobody".into(), &phone("1", true))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

async fn updates_set_the_name_and_merge_attributes(s: Subject) {
    let store = &*s.store;
    let mut ada = person("ct_ada", None, vec![]);
    ada.attributes = attrs(&[("plan", "free"), ("city", "London")]);
    store.create_contact(&ada).await.unwrap();
    let updated = store
        .update_contact(
            &ada.id,
            Some("Ada L."),
            &attrs(&[("plan", "pro"), ("city", "")]),
        )
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Ada L."));
    assert_eq!(updated.attributes, attrs(&[("plan", "pro")]));
    let kept = store
        .update_contact(&ada.id, None, &attrs(&[("tier", "gold")]))
        .await
        .unwrap();
    assert_eq!(kept.name.as_deref(), Some("Ada L."));
    assert_eq!(kept, store.contact(&ada.id).await.unwrap().unwrap());
    let missing = store
        .update_contact(&"ct_x".into(), None, &BTreeMap::new())
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

async fn visitors_link_relink_and_stay_on_their_site(s: Subject) {
    let store = &*s.store;
    blank_contacts(store, &["ct_a", "ct_b"]).await;
    let v = visitor(store, "v_1", "demo").await;
    assert_eq!(store.visitor_contact(&v).await.unwrap(), None);
    store.link_visitor(&v, &"ct_a".into()).await.unwrap();
    assert_eq!(
        store.visitor_contact(&v).await.unwrap(),
        Some("ct_a".into())
    );
    store.link_visitor(&v, &"ct_b".into()).await.unwrap();
    assert_eq!(
        store.visitor_contact(&v).await.unwrap(),
        Some("ct_b".into())
    );
    assert!(store
        .contact_visitors(&"ct_a".into())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.contact_visitors(&"ct_b".into()).await.unwrap(),
        vec![v.clone()]
    );

    let stranger = visitor(store, "v_other", "other").await;
    let cross = store.link_visitor(&stranger, &"ct_a".into()).await;
    assert!(matches!(cross, Err(StoreError::NotFound)), "{cross:?}");
    let ghost = store.link_visitor(&"v_ghost".into(), &"ct_a".into()).await;
    assert!(matches!(ghost, Err(StoreError::NotFound)), "{ghost:?}");
    assert_eq!(store.visitor_contact(&stranger).await.unwrap(), None);
}

async fn items_are_recorded_once_per_external_id(s: Subject) {
    let store = &*s.store;
    blank_contacts(store, &["ct_a", "ct_b"]).await;
    let mut first = item("ti_1", T0 + 1, "Where is my order?");
    first.external_id = Some("mail-42".into());
    first.agent = Some("Grace".into());
    let recorded = store.record(&site(), &"ct_a".into(), &first).await.unwrap();
    assert_eq!(
        (recorded.item.clone(), recorded.duplicate),
        (first.clone(), false)
    );
    let mut resend = item("ti_2", T0 + 9, "changed text");
    resend.external_id = Some("mail-42".into());
    let again = store
        .record(&site(), &"ct_b".into(), &resend)
        .await
        .unwrap();
    assert_eq!(
        (again.item, again.contact, again.duplicate),
        (first.clone(), "ct_a".into(), true)
    );
    assert!(store
        .timeline(&"ct_b".into(), None, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.timeline(&"ct_a".into(), None, 10).await.unwrap(),
        vec![first.clone()]
    );
    let found = store.item_by_external_id(&site(), "mail-42").await.unwrap();
    assert_eq!(found, Some(("ct_a".into(), first)));
    assert_eq!(
        store
            .item_by_external_id(&"other".into(), "mail-42")
            .await
            .unwrap(),
        None
    );

    let same_id = store
        .record(&site(), &"ct_b".into(), &item("ti_1", T0, "x"))
        .await;
    assert!(
        matches!(same_id, Err(StoreError::Conflict(_))),
        "{same_id:?}"
    );
    let wrong_site = store
        .record(&"other".into(), &"ct_a".into(), &item("ti_3", T0, "x"))
        .await;
    assert!(
        matches!(wrong_site, Err(StoreError::NotFound)),
        "{wrong_site:?}"
    );
    let nobody = store
        .record(&site(), &"ct_x".into(), &item("ti_4", T0, "x"))
        .await;
    assert!(matches!(nobody, Err(StoreError::NotFound)), "{nobody:?}");
}

async fn the_timeline_is_newest_first_and_pages(s: Subject) {
    let store = &*s.store;
    store
        .create_contact(&person("ct_a", None, vec![]))
        .await
        .unwrap();
    for (id, at) in [
        ("ti_b", 20),
        ("ti_a", 10),
        ("ti_d", 40),
        ("ti_c", 30),
        ("ti_c2", 30),
    ] {
        store
            .record(&site(), &"ct_a".into(), &item(id, T0 + at, id))
            .await
            .unwrap();
    }
    let c = ContactId::from("ct_a");
    let all = ids_of(store.timeline(&c, None, 10).await.unwrap()).await;
    assert_eq!(all, ["ti_d", "ti_c2", "ti_c", "ti_b", "ti_a"]);
    let first = ids_of(store.timeline(&c, None, 2).await.unwrap()).await;
    assert_eq!(first, ["ti_d", "ti_c2"]);
    // The page ended inside the run of two items at T0 + 30: the cursor
    // goes on with the rest of that run, not past it.
    let after_first = TimelineCursor {
        at_ms: T0 + 30,
        id: "ti_c2".into(),
    };
    let second = ids_of(store.timeline(&c, Some(&after_first), 2).await.unwrap()).await;
    assert_eq!(second, ["ti_c", "ti_b"]);
    let older = ids_of(store.timeline(&c, Some(&before(T0 + 30)), 2).await.unwrap()).await;
    assert_eq!(older, ["ti_b", "ti_a"]);
    assert!(store
        .timeline(&c, Some(&before(T0 + 10)), 5)
        .await
        .unwrap()
        .is_empty());
    assert!(store.timeline(&c, None, 0).await.unwrap().is_empty());
    assert!(store
        .timeline(&"ct_x".into(), None, 5)
        .await
        .unwrap()
        .is_empty());
}

async fn case_numbers_count_up_and_never_repeat_under_races(s: Subject) {
    let store = &s.store;
    for expected in 1..=3 {
        assert_eq!(store.next_case_number(&site()).await.unwrap(), expected);
    }
    assert_eq!(store.next_case_number(&"other".into()).await.unwrap(), 1);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = std::sync::Arc::clone(store);
            tokio::spawn(async move { store.next_case_number(&site()).await.unwrap() })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap());
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (4..=23).collect::<Vec<u64>>());
}

async fn cases_are_found_by_code(s: Subject) {
    let store = &*s.store;
    store
        .create_contact(&person("ct_a", None, vec![]))
        .await
        .unwrap();
    let mut opened = item("ti_1", T0, "Refund please");
    opened.case_code = Some("CASE-1001".into());
    let mut follow_up = item("ti_2", T0 + 5, "Any news?");
    follow_up.case_code = Some("CASE-1001".into());
    for i in [&opened, &follow_up] {
        store.record(&site(), &"ct_a".into(), i).await.unwrap();
    }
    let found = store.find_case(&site(), "CASE-1001").await.unwrap();
    assert_eq!(found, Some(("ct_a".into(), opened)));
    assert_eq!(store.find_case(&site(), "CASE-9999").await.unwrap(), None);
    assert_eq!(
        store.find_case(&"other".into(), "CASE-1001").await.unwrap(),
        None
    );
}

async fn search_finds_by_name_email_and_phone(s: Subject) {
    let store = &*s.store;
    let people = [
        person(
            "ct_ada",
            Some("Ada Lovelace"),
            vec![email("ada@example.com", true)],
        ),
        person(
            "ct_bob",
            Some("Bob Adams"),
            vec![phone("+44 20 7946 0000", false)],
        ),
        person("ct_cy", Some("Cy"), vec![email("cy@adams.example", false)]),
    ];
    for p in &people {
        store.create_contact(p).await.unwrap();
    }
    let mut elsewhere = person("ct_far", Some("Ada Far"), vec![]);
    elsewhere.site = "other".into();
    store.create_contact(&elsewhere).await.unwrap();
    let ids = |found: Vec<Contact>| found.into_iter().map(|c| c.id.0).collect::<Vec<_>>();
    let by_name = ids(store.search_contacts(&site(), "ADA", 10).await.unwrap());
    assert_eq!(by_name, ["ct_ada", "ct_bob"]);
    assert_eq!(
        ids(store.search_contacts(&site(), "ada", 1).await.unwrap()),
        ["ct_ada"]
    );
    let by_email = ids(store
        .search_contacts(&site(), "Cy@Adams.example", 10)
        .await
        .unwrap());
    assert_eq!(by_email, ["ct_cy"]);
    let by_phone = ids(store
        .search_contacts(&site(), "+44 (20) 7946-0000", 10)
        .await
        .unwrap());
    assert_eq!(by_phone, ["ct_bob"]);
    assert!(store
        .search_contacts(&site(), "  ", 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .search_contacts(&site(), "nobody", 10)
        .await
        .unwrap()
        .is_empty());
}

async fn proposals_are_deduplicated_by_pair(s: Subject) {
    let store = &*s.store;
    blank_contacts(store, &["ct_a", "ct_b"]).await;
    let matched = email("ada@example.com", false);
    // Again, the other way round, and a contact with itself: all no-ops.
    for (id, from, into) in [
        ("mp_1", "ct_a", "ct_b"),
        ("mp_2", "ct_a", "ct_b"),
        ("mp_3", "ct_b", "ct_a"),
        ("mp_4", "ct_a", "ct_a"),
    ] {
        let p = proposal(id, from, into, matched.clone());
        store.propose_merge(&p).await.unwrap();
    }
    let open = store.merge_proposals(&"ct_b".into()).await.unwrap();
    assert_eq!(
        open,
        vec![proposal("mp_1", "ct_a", "ct_b", matched.clone())]
    );
    assert_eq!(store.merge_proposals(&"ct_a".into()).await.unwrap(), open);
    let ghost = store
        .propose_merge(&proposal("mp_5", "ct_a", "ct_x", matched))
        .await;
    assert!(matches!(ghost, Err(StoreError::NotFound)), "{ghost:?}");
}

/// Ada (`ct_ada`, the survivor) and a second record of her (`ct_new`),
/// each with identities, attributes, items, a visitor; `ct_new` also has
/// an open proposal with `ct_c`. Returns the proposal to merge them.
async fn two_records_of_ada(store: &dyn Store) -> MergeProposalId {
    let mut ada = person("ct_ada", Some("Ada"), vec![email("ada@example.com", true)]);
    ada.attributes = attrs(&[("plan", "pro"), ("city", "London")]);
    let mut new = person("ct_new", Some("Augusta"), vec![phone("555-0100", false)]);
    new.attributes = attrs(&[("plan", "free"), ("vip", "yes")]);
    for c in [&ada, &new, &person("ct_c", None, vec![])] {
        store.create_contact(c).await.unwrap();
    }
    let mut case = item("ti_20", T0 + 20, "SMS: refund?");
    (case.case_code, case.external_id) = (Some("CASE-1001".into()), Some("sms-1".into()));
    let items = [
        ("ct_ada", item("ti_10", T0 + 10, "first email")),
        ("ct_new", case),
        ("ct_ada", item("ti_30", T0 + 30, "reply")),
        ("ct_new", item("ti_40", T0 + 40, "call notes")),
    ];
    for (c, i) in &items {
        store.record(&site(), &(*c).into(), i).await.unwrap();
    }
    for (v, c) in [("v_1", "ct_ada"), ("v_2", "ct_new")] {
        let v = visitor(store, v, "demo").await;
        store.link_visitor(&v, &c.into()).await.unwrap();
    }
    let other = proposal("mp_other", "ct_new", "ct_c", phone("555-0100", false));
    store.propose_merge(&other).await.unwrap();
    let main = proposal("mp_1", "ct_new", "ct_ada", email("ada@example.com", false));
    store.propose_merge(&main).await.unwrap();
    main.id
}

/// A contact as its card shows it: the record, timeline and visitors.
async fn everything_about(store: &dyn Store, contact: &str) -> String {
    let c = ContactId::from(contact);
    format!(
        "{:?} {:?} {:?}",
        store.contact(&c).await.unwrap(),
        store.timeline(&c, None, 10).await.unwrap(),
        store.contact_visitors(&c).await.unwrap(),
    )
}

async fn accepting_a_merge_moves_the_whole_record(s: Subject) {
    let store = &*s.store;
    let mp = two_records_of_ada(store).await;
    let agent = AgentId::from("a_1");
    let survivor = store
        .resolve_merge(&mp, MergeDecision::Accept, &agent, T0 + 100)
        .await
        .unwrap();
    assert_eq!(
        (survivor.id.as_str(), survivor.name.as_deref()),
        ("ct_ada", Some("Ada"))
    );
    assert_eq!(
        survivor.identities,
        vec![email("ada@example.com", true), phone("5550100", false)]
    );
    let expected = attrs(&[("plan", "pro"), ("city", "London"), ("vip", "yes")]);
    assert_eq!(survivor.attributes, expected);
    assert_eq!(
        store.contact(&"ct_new".into()).await.unwrap(),
        Some(survivor.clone())
    );
    let by_phone = store
        .contact_by_identity(&site(), IdentityKind::Phone, "5550100")
        .await;
    assert_eq!(by_phone.unwrap(), Some(survivor.id.clone()));

    let timeline = store.timeline(&"ct_ada".into(), None, 10).await.unwrap();
    let merged = &timeline[0];
    assert_eq!(
        (merged.channel, merged.at_ms, merged.agent.as_deref()),
        (Channel::System, T0 + 100, Some("a_1"))
    );
    assert!(merged.text.contains("ct_new"), "{}", merged.text);
    let ids = ids_of(timeline.clone()).await;
    assert_eq!(ids[1..], ["ti_40", "ti_30", "ti_20", "ti_10"]);
    assert_eq!(
        store.timeline(&"ct_new".into(), None, 10).await.unwrap(),
        timeline
    );

    let visitors = store.contact_visitors(&"ct_ada".into()).await.unwrap();
    assert_eq!(
        visitors,
        vec![VisitorId::from("v_1"), VisitorId::from("v_2")]
    );
    assert_eq!(
        store.visitor_contact(&"v_2".into()).await.unwrap(),
        Some("ct_ada".into())
    );
    let case = store
        .find_case(&site(), "CASE-1001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((case.0.as_str(), case.1.id.as_str()), ("ct_ada", "ti_20"));
    let external = store
        .item_by_external_id(&site(), "sms-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(external.0.as_str(), "ct_ada");

    // The other proposal now concerns the survivor.
    let open = store.merge_proposals(&"ct_new".into()).await.unwrap();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(
        (open[0].from.as_str(), open[0].into.as_str()),
        ("ct_ada", "ct_c")
    );
    assert_eq!(store.merge_proposals(&"ct_c".into()).await.unwrap(), open);
    // Writes to the old id land on the survivor; search shows one record.
    let late = store
        .record(&site(), &"ct_new".into(), &item("ti_50", T0 + 50, "late"))
        .await;
    assert_eq!(late.unwrap().contact.as_str(), "ct_ada");
    assert!(store
        .search_contacts(&site(), "Augusta", 10)
        .await
        .unwrap()
        .is_empty());
    let found = store
        .search_contacts(&site(), "555 0100", 10)
        .await
        .unwrap();
    assert_eq!(
        found,
        vec![store.contact(&"ct_ada".into()).await.unwrap().unwrap()]
    );
}

async fn rejecting_a_merge_changes_nothing(s: Subject) {
    let store = &*s.store;
    let mp = two_records_of_ada(store).await;
    let records = ["ct_ada", "ct_new"];
    let mut before = Vec::new();
    for c in records {
        before.push(everything_about(store, c).await);
    }
    let kept = store
        .resolve_merge(&mp, MergeDecision::Reject, &"a_1".into(), T0 + 100)
        .await
        .unwrap();
    assert_eq!(kept.id.as_str(), "ct_ada");
    for (c, was) in records.into_iter().zip(before) {
        assert_eq!(everything_about(store, c).await, was);
    }
    assert!(store
        .merge_proposals(&"ct_ada".into())
        .await
        .unwrap()
        .is_empty());
    let left = store.merge_proposals(&"ct_new".into()).await.unwrap();
    assert_eq!(
        left.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["mp_other"]
    );
}

async fn merges_chain_to_the_last_survivor(s: Subject) {
    let store = &*s.store;
    let mp = two_records_of_ada(store).await;
    let a = AgentId::from("a_1");
    store
        .resolve_merge(&mp, MergeDecision::Accept, &a, T0 + 100)
        .await
        .unwrap();
    // `mp_other` was re-pointed from ct_new to ct_ada by the first merge.
    let other = MergeProposalId::from("mp_other");
    let last = store
        .resolve_merge(&other, MergeDecision::Accept, &a, T0 + 200)
        .await
        .unwrap();
    assert_eq!(last.id.as_str(), "ct_c");
    for old in ["ct_new", "ct_ada"] {
        assert_eq!(
            store.contact(&old.into()).await.unwrap(),
            Some(last.clone()),
            "{old}"
        );
    }
    assert_eq!(last.identities.len(), 2, "{last:?}");
    let timeline = store.timeline(&"ct_new".into(), None, 10).await.unwrap();
    let system: Vec<u64> = timeline
        .iter()
        .filter(|i| i.channel == Channel::System)
        .map(|i| i.at_ms)
        .collect();
    assert_eq!((timeline.len(), system), (6, vec![T0 + 200, T0 + 100]));
    let visitors = store.contact_visitors(&"ct_new".into()).await.unwrap();
    assert_eq!(
        visitors,
        vec![VisitorId::from("v_1"), VisitorId::from("v_2")]
    );
    assert_eq!(
        store.visitor_contact(&"v_2".into()).await.unwrap(),
        Some(last.id)
    );
    assert!(store
        .merge_proposals(&"ct_c".into())
        .await
        .unwrap()
        .is_empty());
}

async fn a_proposal_settles_once(s: Subject) {
    let store = &*s.store;
    let mp = two_records_of_ada(store).await;
    let a = AgentId::from("a_1");
    store
        .resolve_merge(&mp, MergeDecision::Accept, &a, T0)
        .await
        .unwrap();
    for decision in [MergeDecision::Accept, MergeDecision::Reject] {
        let again = store.resolve_merge(&mp, decision, &a, T0).await;
        assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
    }
    let unknown = store
        .resolve_merge(&"mp_x".into(), MergeDecision::Reject, &a, T0)
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
}

async fn the_record_survives_reopening(s: Subject) {
    let mp = two_records_of_ada(&*s.store).await;
    let store = &*s.store;
    store.next_case_number(&site()).await.unwrap();
    store
        .update_contact(&"ct_c".into(), Some("Cy"), &attrs(&[("k", "v")]))
        .await
        .unwrap();
    store
        .add_identity(&"ct_c".into(), &email("cy@example.com", true))
        .await
        .unwrap();
    store
        .resolve_merge(&mp, MergeDecision::Accept, &"a_1".into(), T0 + 100)
        .await
        .unwrap();
    let snapshot = |store: std::sync::Arc<dyn Store>| async move {
        let mut out = Vec::new();
        for c in ["ct_ada", "ct_new", "ct_c"] {
            out.push(everything_about(&*store, c).await);
            let proposals = store.merge_proposals(&c.into()).await.unwrap();
            out.push(format!("{proposals:?}"));
        }
        out.push(format!(
            "{:?}",
            store.find_case(&site(), "CASE-1001").await.unwrap()
        ));
        out.push(format!(
            "{:?}",
            store.visitor_contact(&"v_2".into()).await.unwrap()
        ));
        out
    };
    let before = snapshot(std::sync::Arc::clone(&s.store)).await;
    let s = s.reopen().await;
    let reopened = &s.store;
    assert_eq!(snapshot(std::sync::Arc::clone(reopened)).await, before);
    assert_eq!(reopened.next_case_number(&site()).await.unwrap(), 2);
    let mut resend = item("ti_99", T0, "again");
    resend.external_id = Some("sms-1".into());
    let again = reopened
        .record(&site(), &"ct_c".into(), &resend)
        .await
        .unwrap();
    assert_eq!((again.duplicate, again.contact.as_str()), (true, "ct_ada"));
}
