//! Tests of the transcript: exactly once, in order, gaps, unread counts,
//! and where acknowledgements and case codes show.

use shared::card::Acknowledgement;
use shared::{Author, ChatMessage, ConversationStatus, ConversationSummary, Role};

use super::*;
use crate::outbox::{Outbox, OutboxItem};

fn summary(id: &str, status: ConversationStatus, last_seq: u64, at: u64) -> ConversationSummary {
    ConversationSummary {
        id: id.into(),
        site: "demo".into(),
        visitor: "v1".into(),
        status,
        agent: None,
        agent_name: None,
        last_seq,
        created_at_ms: at,
        case_code: None,
        route: Default::default(),
        csat: None,
    }
}

fn with_code(summary: ConversationSummary, code: &str) -> ConversationSummary {
    ConversationSummary {
        case_code: Some(code.into()),
        ..summary
    }
}

fn ack(conversation: &str, code: &str) -> Acknowledgement {
    Acknowledgement {
        conversation: conversation.into(),
        case_code: code.into(),
        queue_position: Some(2),
        expected_wait_ms: None,
        away: None,
        offline: false,
    }
}

fn msg(conversation: &str, seq: u64, role: Role, id: &str) -> ChatMessage {
    ChatMessage {
        conversation: conversation.into(),
        seq,
        client_msg_id: id.into(),
        author: Author {
            role,
            agent: None,
            name: (role == Role::Agent).then(|| "Dana".to_owned()),
        },
        text: format!("text {seq}"),
        sent_at_ms: seq,
    }
}

/// Each row as `kind:text`, e.g. `Agent:text 2`.
fn keys(t: &Transcript, outbox: &Outbox) -> Vec<String> {
    t.entries(outbox)
        .into_iter()
        .map(|e| format!("{:?}:{}", e.kind, e.text))
        .collect()
}

#[test]
fn each_message_is_shown_once_in_seq_order() {
    let mut t = Transcript::default();
    t.upsert(summary("c1", ConversationStatus::Waiting, 0, 1));
    assert_eq!(
        t.receive(msg("c1", 1, Role::Visitor, "a")),
        Received::New { live: true }
    );
    assert_eq!(
        t.receive(msg("c1", 1, Role::Visitor, "a")),
        Received::Ignored
    );
    assert_eq!(
        t.receive(msg("c1", 2, Role::Agent, "b")),
        Received::New { live: true }
    );
    assert_eq!(
        t.receive(msg("c1", 1, Role::Visitor, "a")),
        Received::Ignored
    );
    assert_eq!(
        keys(&t, &Outbox::default()),
        ["Visitor:text 1", "Agent:text 2"]
    );
}

#[test]
fn a_gap_asks_for_a_resume_once() {
    let mut t = Transcript::default();
    t.upsert(summary("c1", ConversationStatus::Assigned, 0, 1));
    t.receive(msg("c1", 1, Role::Visitor, "a"));
    assert_eq!(
        t.receive(msg("c1", 3, Role::Agent, "c")),
        Received::Gap { after: 1 }
    );
    assert_eq!(t.receive(msg("c1", 4, Role::Agent, "d")), Received::Ignored);
    assert_eq!(
        t.receive(msg("c1", 2, Role::Agent, "b")),
        Received::New { live: true }
    );
    assert_eq!(
        t.receive(msg("c1", 3, Role::Agent, "c")),
        Received::New { live: true }
    );
    assert_eq!(t.resume_points()[0].after_seq, 3);
}

#[test]
fn replayed_history_is_not_live() {
    let mut t = Transcript::default();
    t.upsert(summary("c1", ConversationStatus::Assigned, 2, 1));
    assert_eq!(
        t.receive(msg("c1", 1, Role::Visitor, "a")),
        Received::New { live: false }
    );
    assert_eq!(
        t.receive(msg("c1", 2, Role::Agent, "b")),
        Received::New { live: false }
    );
    assert_eq!(
        t.receive(msg("c1", 3, Role::Agent, "c")),
        Received::New { live: true }
    );
    // A later summary (e.g. after a reconnect) does not move the history mark.
    t.upsert(summary("c1", ConversationStatus::Assigned, 5, 1));
    assert_eq!(
        t.receive(msg("c1", 4, Role::Agent, "d")),
        Received::New { live: true }
    );
}

#[test]
fn messages_of_unknown_conversations_are_ignored() {
    let mut t = Transcript::default();
    assert_eq!(t.receive(msg("cx", 1, Role::Agent, "a")), Received::Ignored);
}

#[test]
fn pending_messages_show_until_stored() {
    let mut t = Transcript::default();
    t.upsert(summary("c1", ConversationStatus::Waiting, 0, 1));
    let mut outbox = Outbox::default();
    outbox.push(OutboxItem {
        client_msg_id: "a".into(),
        conversation: Some("c1".into()),
        text: "hi".into(),
    });
    assert_eq!(keys(&t, &outbox), ["Pending:hi"]);
    t.receive(msg("c1", 1, Role::Visitor, "a"));
    assert_eq!(keys(&t, &outbox), ["Visitor:text 1"]);
}

#[test]
fn conversations_are_ordered_and_closed_ones_marked() {
    let mut t = Transcript::default();
    t.upsert(summary("c2", ConversationStatus::Waiting, 0, 20));
    t.upsert(summary("c1", ConversationStatus::Closed, 0, 10));
    t.receive(msg("c1", 1, Role::Visitor, "a"));
    t.receive(msg("c2", 1, Role::Visitor, "b"));
    assert_eq!(
        keys(&t, &Outbox::default()),
        ["Visitor:text 1", "Ended:", "Visitor:text 1"]
    );
    assert_eq!(t.open().map(|s| s.id.as_str()), Some("c2"));
    t.upsert(summary("c2", ConversationStatus::Closed, 1, 20));
    assert!(t.open().is_none());
}

#[test]
fn resume_points_cover_every_known_conversation() {
    let mut t = Transcript::default();
    t.upsert(summary("c1", ConversationStatus::Closed, 3, 10));
    t.upsert(summary("c2", ConversationStatus::Waiting, 0, 20));
    t.receive(msg("c2", 1, Role::Visitor, "b"));
    let points: Vec<_> = t
        .resume_points()
        .into_iter()
        .map(|p| (p.conversation.0, p.after_seq))
        .collect();
    assert_eq!(points, [("c1".to_owned(), 0), ("c2".to_owned(), 1)]);
}

#[test]
fn unread_counts_agent_messages_after_the_seen_mark() {
    let mut t = Transcript::default();
    t.upsert(summary("c1", ConversationStatus::Assigned, 0, 1));
    t.receive(msg("c1", 1, Role::Visitor, "a"));
    t.receive(msg("c1", 2, Role::Agent, "b"));
    t.receive(msg("c1", 3, Role::Agent, "c"));
    let mut seen = Seen::new();
    assert_eq!(t.unread(&seen), 2);
    seen.insert("c1".into(), 2);
    assert_eq!(t.unread(&seen), 1);
    t.mark_seen(&mut seen);
    assert_eq!(seen.get(&ConversationId::from("c1")), Some(&3));
    assert_eq!(t.unread(&seen), 0);
}

#[test]
fn an_acknowledgement_opens_its_own_conversation() {
    let mut t = Transcript::default();
    t.upsert(summary("c1", ConversationStatus::Closed, 0, 10));
    t.upsert(summary("c2", ConversationStatus::Waiting, 0, 20));
    t.receive(msg("c1", 1, Role::Visitor, "a"));
    t.receive(msg("c2", 1, Role::Visitor, "b"));
    assert!(t.acknowledge(ack("c2", "CASE-1002")));
    assert_eq!(
        keys(&t, &Outbox::default()),
        [
            "Visitor:text 1",
            "Ended:",
            "Acknowledgement:CASE-1002",
            "Visitor:text 1"
        ]
    );
    let rows = t.entries(&Outbox::default());
    assert_eq!(rows[2].ack, Some(ack("c2", "CASE-1002")));
    // A later summary of the conversation keeps it.
    t.upsert(summary("c2", ConversationStatus::Assigned, 1, 20));
    assert_eq!(keys(&t, &Outbox::default())[2], "Acknowledgement:CASE-1002");
}

#[test]
fn an_acknowledgement_of_an_unknown_conversation_is_ignored() {
    let mut t = Transcript::default();
    t.upsert(summary("c1", ConversationStatus::Waiting, 0, 10));
    assert!(!t.acknowledge(ack("cx", "CASE-9")));
    assert_eq!(keys(&t, &Outbox::default()), Vec::<String>::new());
}

#[test]
fn without_its_acknowledgement_a_conversation_shows_its_case_code() {
    let mut t = Transcript::default();
    t.upsert(with_code(
        summary("c1", ConversationStatus::Closed, 1, 10),
        "CASE-1001",
    ));
    t.upsert(with_code(
        summary("c2", ConversationStatus::Waiting, 0, 20),
        "CASE-1002",
    ));
    t.upsert(summary("c3", ConversationStatus::Waiting, 0, 30));
    t.receive(msg("c1", 1, Role::Visitor, "a"));
    assert_eq!(
        keys(&t, &Outbox::default()),
        [
            "Reference:CASE-1001",
            "Visitor:text 1",
            "Ended:",
            "Reference:CASE-1002"
        ]
    );
    // The acknowledgement, when it comes, says it instead.
    t.acknowledge(ack("c2", "CASE-1002"));
    assert_eq!(
        keys(&t, &Outbox::default())[3..],
        ["Acknowledgement:CASE-1002"]
    );
}
