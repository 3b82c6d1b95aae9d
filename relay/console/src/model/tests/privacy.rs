//! An admin's export and erasure of the contact on the card: offered to
//! admins only, erasure only after a confirm for the contact still shown,
//! the frames sent, the answers' notes, the card and search hits an
//! erasure clears, and refusals routed to the card.

use shared::card::ContactHit;
use shared::privacy::{ContactExport, Erased, ERASED_TEXT};
use shared::{AgentFrame, ContactId, ErrorCode, Role, ServerFrame};

use super::card::{card, contact};
use super::*;
use crate::model::{Fetch, Note, Subject};

fn k1() -> ContactId {
    ContactId::from("k1")
}

/// Signed in as an admin with c1 open and its customer k1's card shown.
fn on_k1_card() -> Model {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    m
}

fn export_of(id: &str) -> ServerFrame {
    ServerFrame::ContactExport(Box::new(ContactExport {
        exported_at_ms: 7,
        contact: contact(id),
        timeline: vec![],
        merge_proposals: vec![],
        visitors: vec!["v_c1".into()],
        conversations: vec![],
    }))
}

fn erased(id: &str) -> Erased {
    Erased {
        contact: ContactId::from(id),
        records: 2,
        timeline_items: 3,
        visitors_unlinked: 1,
        conversations: 1,
        messages_redacted: 5,
    }
}

fn hit(id: &str) -> ContactHit {
    ContactHit {
        contact: contact(id),
        case_code: None,
    }
}

#[test]
fn only_admins_are_offered_export_and_erase_and_only_on_a_card() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    assert!(!m.offers_privacy(), "no card shown");
    assert_eq!(m.export_contact(), None);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert!(m.offers_privacy());

    if let Some(me) = m.me.as_mut() {
        me.admin = false;
    }
    assert!(!m.offers_privacy());
    assert_eq!(m.export_contact(), None);
    m.ask_erase();
    assert!(!m.confirming_erase());
    assert_eq!(m.erase_contact(), None);
    assert_eq!(m.requests, Default::default(), "nothing in flight");
}

#[test]
fn an_erasure_is_sent_only_once_confirmed() {
    let mut m = on_k1_card();
    assert_eq!(m.erase_contact(), None, "not confirmed");
    m.ask_erase();
    assert!(m.confirming_erase());
    m.cancel_erase();
    assert!(!m.confirming_erase());
    assert_eq!(m.erase_contact(), None, "cancelled");

    m.ask_erase();
    assert_eq!(
        m.erase_contact(),
        Some(AgentFrame::EraseContact { contact: k1() })
    );
    assert!(!m.confirming_erase(), "the question closes");
    assert!(m.erasing());
    m.ask_erase();
    assert!(!m.confirming_erase(), "not while one is in flight");
    assert_eq!(m.erase_contact(), None);
}

#[test]
fn a_confirm_is_for_the_contact_it_named() {
    let mut m = signed_in(vec![mine("c1", 0), mine("c2", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    m.ask_erase();
    // Another customer's card replaces k1's before the agent confirms.
    m.open(&"c2".into());
    m.apply(ServerFrame::Card(card("k2", &["c2"])));
    assert!(!m.confirming_erase());
    assert_eq!(m.erase_contact(), None);
}

#[test]
fn an_export_is_sent_once_and_its_answer_downloads_as_json() {
    let mut m = on_k1_card();
    assert_eq!(
        m.export_contact(),
        Some(AgentFrame::ExportContact { contact: k1() })
    );
    assert!(m.exporting());
    assert_eq!(m.export_contact(), None, "one at a time");

    let fx = m.apply(export_of("k1"));
    let [Effect::Download { file, json }] = fx.as_slice() else {
        panic!("one download expected: {fx:?}");
    };
    assert_eq!(file, "contact-k1.json");
    assert!(json.contains("\n  \"exported_at_ms\": 7"), "pretty: {json}");
    let saved: ContactExport = serde_json::from_str(json).unwrap();
    assert_eq!(saved.contact.id, k1());
    assert_eq!(
        m.card.note,
        Some(Note::ContactExported("contact-k1.json".into()))
    );
    assert!(!m.exporting());
    assert!(m.card.card.is_some(), "an export leaves the card");

    // A browser that will not save it says so on the card.
    m.export_not_saved();
    assert_eq!(m.card.note, Some(Note::ExportFailed(ErrorCode::Internal)));
}

#[test]
fn an_erasure_clears_the_card_its_hits_and_loaded_text_and_says_what_went() {
    let mut m = on_k1_card();
    m.apply(message("c1", 1, Role::Visitor, "parcel 1182 is late"));
    m.search_contacts("name");
    m.apply(ServerFrame::ContactResults {
        query: "name".into(),
        hits: vec![hit("k1"), hit("k2")],
    });
    m.ask_erase();
    m.erase_contact().unwrap();

    m.apply(ServerFrame::ContactErased(erased("k1")));
    assert_eq!(m.card.note, Some(Note::ContactErased(erased("k1"))));
    assert_eq!(m.card.card, None);
    assert_eq!(m.card.fetch, Fetch::Settled);
    assert!(!m.offers_privacy(), "nothing left to act on");
    assert!(!m.erasing());
    let hits: Vec<_> = m.search.as_ref().unwrap().hits.iter().collect();
    assert_eq!(hits, [&hit("k2")]);
    assert_eq!(m.transcript(&"c1".into())[0].text, ERASED_TEXT);
    assert_eq!(m.banner, None);
}

#[test]
fn an_erased_contact_shown_alone_keeps_its_note_and_is_not_asked_for_again() {
    let mut m = signed_in(vec![]);
    m.open_contact(&k1());
    m.apply(ServerFrame::Card(card("k1", &[])));
    m.ask_erase();
    m.erase_contact().unwrap();
    m.apply(ServerFrame::ContactErased(erased("k1")));
    assert_eq!(m.card.subject, Some(Subject::Contact(k1())));
    assert_eq!(m.card.card, None);
    assert!(matches!(m.card.note, Some(Note::ContactErased(_))));

    let fx = m.apply(welcome(vec![], vec![]));
    assert!(!sent(&fx)
        .iter()
        .any(|f| matches!(f, AgentFrame::Contact { .. })));
    // Opening another contact starts afresh.
    m.open_contact(&"k2".into());
    assert_eq!(m.card.note, None);
}

#[test]
fn refusals_land_on_the_card_that_asked() {
    let mut m = on_k1_card();
    m.export_contact().unwrap();
    m.apply(ServerFrame::error(ErrorCode::Forbidden, "admins only"));
    assert_eq!(m.card.note, Some(Note::ExportFailed(ErrorCode::Forbidden)));
    assert_eq!(m.banner, None);

    m.ask_erase();
    m.erase_contact().unwrap();
    m.apply(ServerFrame::error(ErrorCode::NotFound, "no such contact"));
    assert_eq!(m.card.note, Some(Note::EraseFailed(ErrorCode::NotFound)));
    assert!(m.card.card.is_some(), "a refused erasure leaves the card");
    assert!(!m.erasing());

    // Behind a card request, an outage is the card's; the next, the erasure's.
    m.retry_card().unwrap();
    m.ask_erase();
    m.erase_contact().unwrap();
    m.apply(ServerFrame::error(ErrorCode::Unavailable, "x"));
    assert_eq!(m.card.fetch, Fetch::Failed(ErrorCode::Unavailable));
    assert_eq!(m.card.note, None);
    m.apply(ServerFrame::error(ErrorCode::Unavailable, "x"));
    assert_eq!(m.card.note, Some(Note::EraseFailed(ErrorCode::Unavailable)));
}

#[test]
fn a_refusal_for_a_card_left_behind_is_not_shown_on_the_next() {
    let mut m = signed_in(vec![mine("c1", 0), mine("c2", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    m.export_contact().unwrap();
    m.open(&"c2".into());
    m.apply(ServerFrame::error(ErrorCode::Unavailable, "x"));
    m.apply(ServerFrame::Card(card("k2", &["c2"])));
    assert_eq!(m.card.note, None);
}
