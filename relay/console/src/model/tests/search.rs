//! Contact search, opening a contact's card on its own, and errors that
//! no request claims.

use shared::card::ContactHit;
use shared::{AgentFrame, ContactId, ErrorCode, ServerFrame};

use super::card::{card, contact};
use super::*;
use crate::model::{Fetch, Note, Subject};

fn hit(id: &str, case_code: Option<&str>) -> ContactHit {
    ContactHit {
        contact: contact(id),
        case_code: case_code.map(Into::into),
    }
}

fn results(query: &str, hits: Vec<ContactHit>) -> ServerFrame {
    ServerFrame::ContactResults {
        query: query.into(),
        hits,
    }
}

#[test]
fn results_show_for_the_latest_query_only() {
    let mut m = signed_in(vec![]);
    assert_eq!(
        m.search_contacts("  ada "),
        Some(AgentFrame::SearchContacts {
            query: "ada".into()
        })
    );
    m.search_contacts("CASE-1001");
    m.apply(results("ada", vec![hit("k1", None)]));
    let search = m.search.clone().unwrap();
    assert_eq!((search.fetch, search.hits.len()), (Fetch::Pending, 0));
    m.apply(results("CASE-1001", vec![hit("k2", Some("CASE-1001"))]));
    let search = m.search.clone().unwrap();
    assert_eq!(search.fetch, Fetch::Settled);
    assert_eq!(search.hits[0].case_code.as_deref(), Some("CASE-1001"));
    // A blank query clears the results and sends nothing.
    assert_eq!(m.search_contacts("   "), None);
    assert_eq!(m.search, None);
}

#[test]
fn a_refused_search_shows_on_the_results() {
    let mut m = signed_in(vec![]);
    m.search_contacts("ada");
    m.apply(ServerFrame::error(ErrorCode::RateLimited, "slow down"));
    assert_eq!(
        m.search.as_ref().map(|s| s.fetch),
        Some(Fetch::Failed(ErrorCode::RateLimited))
    );
    assert_eq!(m.banner, None);
}

#[test]
fn a_hit_opens_the_contacts_card_without_a_conversation() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    let frame = m.open_contact(&"k2".into());
    assert_eq!(
        frame,
        AgentFrame::Contact {
            contact: "k2".into()
        }
    );
    assert_eq!(m.open, None);
    assert_eq!(
        m.card.card, None,
        "another contact's card is not shown meanwhile"
    );
    m.apply(ServerFrame::Card(card("k2", &["c7"])));
    assert_eq!(m.card.subject, Some(Subject::Contact("k2".into())));
    assert_eq!(
        m.card.card.as_ref().unwrap().contact.id,
        ContactId::from("k2")
    );
    m.close_contact();
    assert_eq!((m.card.subject.clone(), m.card.card.clone()), (None, None));
}

#[test]
fn errors_no_request_claims_still_reach_the_banner() {
    let mut m = signed_in(vec![]);
    m.apply(ServerFrame::error(ErrorCode::Forbidden, "x"));
    assert_eq!(m.banner, Some(Note::Error(ErrorCode::Forbidden)));
}
