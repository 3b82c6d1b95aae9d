//! The customer card: which answers land, timeline paging and filtering,
//! merge decisions, past conversations, reconnects and refusals.

use shared::card::{CustomerCard, ProposalView, TimelineCursor};
use shared::contacts::{
    Channel, Contact, Direction, Identity, IdentityKind, MergeDecision, MergeProposal, TimelineItem,
};
use shared::{AgentFrame, ContactId, ConversationId, ConversationStatus, ErrorCode, ServerFrame};

use super::*;
use crate::model::{Fetch, Subject};

pub(super) fn contact(id: &str) -> Contact {
    Contact {
        id: ContactId::from(id),
        site: "demo".into(),
        name: Some(format!("Name {id}")),
        identities: vec![Identity::new(
            IdentityKind::Email,
            &format!("{id}@x.io"),
            true,
        )],
        attributes: Default::default(),
        created_at_ms: 1,
    }
}

fn item(id: &str, at_ms: u64, channel: Channel) -> TimelineItem {
    TimelineItem {
        id: id.into(),
        channel,
        direction: Direction::In,
        at_ms,
        text: format!("item {id}"),
        agent: None,
        case_code: None,
        external_id: None,
        conversation: None,
        csat: None,
    }
}

/// Contact `id`'s card listing `convs`, with a two-item first page.
pub(super) fn card(id: &str, convs: &[&str]) -> CustomerCard {
    let timeline = vec![
        item("t9", 900, Channel::Chat),
        item("t8", 800, Channel::Email),
    ];
    CustomerCard {
        contact: contact(id),
        next: Some(TimelineCursor::after(&timeline[1])),
        timeline,
        conversations: convs
            .iter()
            .map(|c| summary(c, ConversationStatus::Closed, Some("a_other"), 2))
            .collect(),
        proposals: vec![],
    }
}

fn ids(m: &Model) -> Vec<String> {
    m.card.timeline().into_iter().map(|i| i.id.0).collect()
}

#[test]
fn opening_a_conversation_asks_for_its_card_and_shows_the_answer() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    let frames = m.open(&"c1".into());
    assert_eq!(
        frames[frames.len() - 2..],
        [card_request("c1"), notes_request("c1")]
    );
    assert_eq!(
        (m.card.fetch, m.card.card.is_none()),
        (Fetch::Pending, true)
    );
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert_eq!(m.card.fetch, Fetch::Settled);
    assert_eq!(
        m.card.card.as_ref().unwrap().contact.id,
        ContactId::from("k1")
    );
    assert_eq!(ids(&m), ["t9", "t8"]);
}

#[test]
fn a_late_card_for_a_conversation_left_behind_is_ignored() {
    let mut m = signed_in(vec![mine("c1", 0), mine("c2", 0)]);
    m.open(&"c1".into());
    m.open(&"c2".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert_eq!((m.card.card.clone(), m.card.fetch), (None, Fetch::Pending));
    m.apply(ServerFrame::Card(card("k2", &["c2"])));
    assert_eq!(
        m.card.card.as_ref().unwrap().contact.id,
        ContactId::from("k2")
    );
    // Unasked, and not the customer on screen: ignored too.
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert_eq!(
        m.card.card.as_ref().unwrap().contact.id,
        ContactId::from("k2")
    );
}

#[test]
fn a_timeline_page_appends_once_and_moves_the_cursor() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    let before = TimelineCursor {
        at_ms: 800,
        id: "t8".into(),
    };
    let frame = m.load_older();
    assert_eq!(
        frame,
        Some(AgentFrame::Timeline {
            contact: "k1".into(),
            before: before.clone(),
        })
    );
    assert_eq!(m.load_older(), None, "one page at a time");
    let page = |next| ServerFrame::TimelinePage {
        contact: "k1".into(),
        // A repeat of a shown item is dropped.
        items: vec![
            item("t8", 800, Channel::Email),
            item("t5", 500, Channel::Sms),
        ],
        next,
    };
    let next = TimelineCursor {
        at_ms: 500,
        id: "t5".into(),
    };
    m.apply(page(Some(next.clone())));
    assert_eq!(ids(&m), ["t9", "t8", "t5"]);
    assert_eq!(m.card.card.as_ref().unwrap().next, Some(next));
    assert_eq!(m.card.older, Fetch::Settled);
    // An unasked page changes nothing.
    m.apply(page(None));
    assert_eq!(ids(&m), ["t9", "t8", "t5"]);
    assert!(m.card.card.as_ref().unwrap().next.is_some());
}

#[test]
fn the_channel_filter_narrows_the_loaded_items() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    m.filter_channel(Some(Channel::Email));
    assert_eq!(ids(&m), ["t8"]);
    m.filter_channel(Some(Channel::Phone));
    assert!(ids(&m).is_empty());
    // A refresh of the same contact keeps the filter; another contact resets it.
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert_eq!(m.card.channel, Some(Channel::Phone));
    m.filter_channel(None);
    assert_eq!(ids(&m), ["t9", "t8"]);
}

fn with_proposal(mut card: CustomerCard, other: &str) -> CustomerCard {
    card.proposals.push(ProposalView {
        proposal: MergeProposal {
            id: "p1".into(),
            from: card.contact.id.clone(),
            into: ContactId::from(other),
            matched: Identity::new(IdentityKind::Email, "same@x.io", false),
            created_at_ms: 5,
        },
        other: contact(other),
    });
    card
}

#[test]
fn deciding_a_merge_sends_it_once_and_shows_the_survivor() {
    let mut m = signed_in(vec![]);
    m.open_contact(&"k1".into());
    m.apply(ServerFrame::Card(with_proposal(card("k1", &[]), "k2")));
    let frame = m.decide_merge(&"p1".into(), MergeDecision::Accept);
    assert_eq!(
        frame,
        Some(AgentFrame::DecideMerge {
            proposal: "p1".into(),
            decision: MergeDecision::Accept,
        })
    );
    assert_eq!(m.decide_merge(&"p1".into(), MergeDecision::Reject), None);
    assert_eq!(m.decide_merge(&"nope".into(), MergeDecision::Reject), None);
    // k1 was merged into k2: the card and its subject follow the survivor.
    m.apply(ServerFrame::Card(card("k2", &[])));
    assert_eq!(m.card.deciding, None);
    assert_eq!(m.card.subject, Some(Subject::Contact("k2".into())));
    assert_eq!(
        m.card.card.as_ref().unwrap().contact.id,
        ContactId::from("k2")
    );
}

#[test]
fn a_rejected_merge_beside_a_conversation_keeps_its_customer() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(with_proposal(card("k1", &["c1"]), "k2")));
    m.decide_merge(&"p1".into(), MergeDecision::Reject);
    // The answer is the other contact's card: c1's customer is asked again.
    let fx = m.apply(ServerFrame::Card(card("k2", &[])));
    assert_eq!(sent(&fx), vec![card_request("c1")]);
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert_eq!(
        m.card.card.as_ref().unwrap().contact.id,
        ContactId::from("k1")
    );
}

#[test]
fn a_past_conversation_opens_read_only_and_keeps_the_card() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1", "old"])));
    let old = ConversationId::from("old");
    // History (and notes) only: the card already is this customer's.
    assert_eq!(m.open(&old), vec![resume("old", 0), notes_request("old")]);
    assert_eq!(
        (m.open.clone(), m.reading.clone()),
        (Some(old.clone()), Some(old.clone()))
    );
    assert!(!m.convs[&old].mine, "no composer");
    assert!(m.card.card.is_some());
    assert_eq!(m.list(), vec![ConversationId::from("c1")], "not listed");
    m.apply(message("old", 1, shared::Role::Visitor, "back then"));
    assert_eq!(m.transcript(&old).len(), 1);
    // A queue update keeps it; opening another drops it.
    m.apply(ServerFrame::Queue { waiting: vec![] });
    assert_eq!(m.open, Some(old.clone()));
    m.open(&"c1".into());
    assert!(!m.convs.contains_key(&old));
    assert_eq!(m.open(&"unknown".into()), Vec::<AgentFrame>::new());
}

#[test]
fn reconnecting_asks_again_for_the_open_conversations_card() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    m.load_older();
    let fx = m.apply(welcome(vec![mine("c1", 0)], vec![]));
    assert!(sent(&fx).contains(&card_request("c1")));
    assert_eq!(m.card.older, Fetch::Settled);
    // The old socket's answer is lost; the new card answers the new request.
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert_eq!(m.card.fetch, Fetch::Settled);

    m.close_view();
    let fx = m.apply(welcome(vec![mine("c1", 0)], vec![]));
    assert!(!sent(&fx)
        .iter()
        .any(|f| matches!(f, AgentFrame::Card { .. })));
}

#[test]
fn a_refused_card_shows_on_the_panel_not_the_banner_and_can_be_retried() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    m.apply(ServerFrame::error(ErrorCode::NotFound, "no contact"));
    assert_eq!(m.card.fetch, Fetch::Failed(ErrorCode::NotFound));
    assert_eq!(m.banner, None);
    assert_eq!(m.retry_card(), Some(card_request("c1")));
    assert_eq!(m.card.fetch, Fetch::Pending);
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert_eq!(m.card.fetch, Fetch::Settled);

    // A refused page and a refused decision land on the card too.
    m.load_older();
    m.apply(ServerFrame::error(ErrorCode::Unavailable, "x"));
    assert_eq!(m.card.older, Fetch::Failed(ErrorCode::Unavailable));
}

#[test]
fn a_right_answer_after_a_misattributed_error_still_lands() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&"c1".into());
    // Some other frame failed, but the card request is taken as refused...
    m.apply(ServerFrame::error(ErrorCode::ConversationClosed, "x"));
    assert_eq!(m.card.fetch, Fetch::Failed(ErrorCode::ConversationClosed));
    // ...until its real answer arrives, recognised by what it lists.
    m.apply(ServerFrame::Card(card("k1", &["c1"])));
    assert_eq!(m.card.fetch, Fetch::Settled);
    assert!(m.card.card.is_some());
}
