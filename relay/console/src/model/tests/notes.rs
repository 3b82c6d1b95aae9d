//! Private notes: loaded on open, kept once by id however often they
//! arrive, shown inline by time, sent as `add_note` (never through the
//! outbox), and a refusal told under the composer.

use shared::canned::Note as PrivateNote;
use shared::{AgentFrame, ClientMsgId, ConversationId, ErrorCode, Role, ServerFrame};

use super::*;

fn note(id: &str, conv: &str, at_ms: u64, text: &str) -> PrivateNote {
    PrivateNote {
        id: id.into(),
        conversation: conv.into(),
        agent_name: "Bea".into(),
        text: text.into(),
        at_ms,
    }
}

/// (text, is a note) of each transcript line.
fn lines(m: &Model, conv: &str) -> Vec<(String, bool)> {
    m.transcript(&conv.into())
        .into_iter()
        .map(|r| (r.text, r.note))
        .collect()
}

#[test]
fn notes_show_once_each_among_the_messages_by_time() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 2)]);
    m.open(&c1);
    // Message seq n was sent at n ms in these fixtures; spread them out.
    for (seq, at) in [(1, 10), (2, 30)] {
        let ServerFrame::Message(mut msg) = message("c1", seq, Role::Visitor, &format!("m{seq}"))
        else {
            unreachable!()
        };
        msg.sent_at_ms = at;
        m.apply(ServerFrame::Message(msg));
    }
    m.apply(ServerFrame::Notes {
        conversation: c1.clone(),
        notes: vec![
            note("n1", "c1", 20, "between"),
            note("n2", "c1", 30, "same ms"),
        ],
    });
    // The author gets its note twice, and a reopen loads them all again.
    let late = note("n3", "c1", 5, "earliest");
    m.apply(ServerFrame::Note(late.clone()));
    m.apply(ServerFrame::Note(late));
    m.apply(ServerFrame::Notes {
        conversation: c1.clone(),
        notes: vec![note("n1", "c1", 20, "between")],
    });
    m.reply(&c1, ClientMsgId::from("k1"), "pending").unwrap();
    assert_eq!(
        lines(&m, "c1"),
        [
            ("earliest".into(), true),
            ("m1".into(), false),
            ("between".into(), true),
            ("m2".into(), false),
            ("same ms".into(), true),
            ("pending".into(), false),
        ]
    );
    let row = &m.transcript(&c1)[0];
    assert_eq!((row.name.as_deref(), row.own), (Some("Bea"), false));
    // Another conversation's notes stay there.
    m.apply(ServerFrame::Note(note("n9", "c2", 1, "elsewhere")));
    assert_eq!(lines(&m, "c1").len(), 6);
}

#[test]
fn a_note_is_sent_as_add_note_and_never_through_the_outbox() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    assert_eq!(m.add_note(&c1, "   "), None);
    assert_eq!(
        m.add_note(&c1, "  call back at 5 "),
        Some(AgentFrame::AddNote {
            conversation: c1.clone(),
            text: "call back at 5".into()
        })
    );
    assert!(m.outbox.resend().is_empty());
    assert!(m.adding_note(&c1));
    // Someone else's note arriving meanwhile is not the answer.
    m.apply(ServerFrame::Note(note("n1", "c1", 1, "other agent")));
    assert!(m.adding_note(&c1));
    let mine = PrivateNote {
        agent_name: "Me".into(),
        ..note("n2", "c1", 2, "call back at 5")
    };
    m.apply(ServerFrame::Note(mine.clone()));
    assert!(!m.adding_note(&c1));
    m.apply(ServerFrame::Note(mine));
    assert_eq!(m.kb.notes.of(&c1).len(), 2);
    let rows = m.transcript(&c1);
    assert!(rows.iter().all(|r| r.note), "notes, not messages: {rows:?}");
}

#[test]
fn a_refused_note_is_told_under_its_composer_not_in_the_banner() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.add_note(&c1, "x").unwrap();
    m.apply(ServerFrame::error(ErrorCode::NotFound, "x"));
    assert_eq!(m.kb.notes.failure(&c1), Some(ErrorCode::NotFound));
    assert_eq!(m.kb.notes.failure(&"c2".into()), None);
    assert_eq!(m.banner, None);
    assert!(!m.adding_note(&c1));
    m.add_note(&c1, "again").unwrap();
    assert_eq!(m.kb.notes.failure(&c1), None);
}

#[test]
fn a_reconnect_loads_the_open_conversations_notes_again() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.open(&c1);
    let fx = m.apply(welcome(vec![mine("c1", 0)], vec![]));
    assert!(sent(&fx).contains(&notes_request("c1")));
}
