//! The list, transcripts, unread counts, assignment and typing.

use shared::{ConversationId, ConversationStatus, Role, ServerFrame};

use super::*;
use crate::model::Effect;

#[test]
fn messages_show_once_in_seq_order() {
    let mut m = signed_in(vec![mine("c1", 0)]);
    for (seq, text) in [(2, "b"), (1, "a"), (2, "b"), (3, "c"), (1, "a")] {
        m.apply(message("c1", seq, Role::Visitor, text));
    }
    let rows = m.transcript(&ConversationId::from("c1"));
    let texts: Vec<_> = rows.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["a", "b", "c"]);
    assert_eq!(
        m.row(&ConversationId::from("c1"))
            .unwrap()
            .preview
            .as_deref(),
        Some("c")
    );
}

#[test]
fn a_new_assignment_beeps_and_needs_attention_until_opened() {
    let mut m = signed_in(vec![]);
    m.apply(ServerFrame::Queue {
        waiting: vec![waiting("c9", 1)],
    });
    let fx = m.apply(ServerFrame::Conversation(mine("c9", 1)));
    assert_eq!(fx, vec![Effect::Beep]);
    assert_eq!(m.attention(), 1);
    // A repeat of the same state is not news.
    assert!(m.apply(ServerFrame::Conversation(mine("c9", 1))).is_empty());
    m.apply(ServerFrame::Queue { waiting: vec![] });
    assert_eq!(m.list(), vec![ConversationId::from("c9")]);
    assert_eq!(
        m.open(&ConversationId::from("c9")),
        vec![card_request("c9"), notes_request("c9")],
        "history came with the assignment"
    );
    assert_eq!(m.attention(), 0);
}

#[test]
fn unread_counts_visitor_messages_until_seen_in_a_visible_tab() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.apply(message("c1", 1, Role::Visitor, "hi"));
    m.apply(message("c1", 2, Role::Agent, "hello"));
    assert_eq!(m.row(&c1).unwrap().unread, 1);
    m.open(&c1);
    assert_eq!(m.row(&c1).unwrap().unread, 0);
    m.set_visible(false);
    m.apply(message("c1", 3, Role::Visitor, "still there?"));
    assert_eq!((m.row(&c1).unwrap().unread, m.attention()), (1, 1));
    m.set_visible(true);
    assert_eq!(m.attention(), 0);
    // Announced but not yet received messages count too.
    m.apply(ServerFrame::Queue {
        waiting: vec![waiting("c2", 4)],
    });
    assert_eq!(m.row(&ConversationId::from("c2")).unwrap().unread, 4);
}

#[test]
fn conversations_taken_elsewhere_leave_the_list_and_the_view() {
    let c2 = ConversationId::from("c2");
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.apply(ServerFrame::Queue {
        waiting: vec![waiting("c2", 0)],
    });
    assert_eq!(
        m.open(&c2),
        vec![resume("c2", 0), card_request("c2"), notes_request("c2")]
    );
    m.apply(ServerFrame::Queue { waiting: vec![] });
    assert_eq!(
        (m.open.clone(), m.list()),
        (None, vec![ConversationId::from("c1")])
    );

    // Transferred away: gone. Closed while mine: stays, marked closed.
    m.apply(ServerFrame::Conversation(summary(
        "c1",
        ConversationStatus::Closed,
        Some("a_me"),
        0,
    )));
    assert_eq!(
        m.row(&"c1".into()).unwrap().status,
        ConversationStatus::Closed
    );
    m.apply(ServerFrame::Conversation(mine("c3", 0)));
    m.apply(ServerFrame::Conversation(summary(
        "c3",
        ConversationStatus::Assigned,
        Some("a_other"),
        0,
    )));
    assert_eq!(m.list(), vec![ConversationId::from("c1")]);
}

#[test]
fn visitor_typing_expires_unless_refreshed() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    let typing = |on| ServerFrame::Typing {
        conversation: c1.clone(),
        role: Role::Visitor,
        typing: on,
    };
    let first = m.apply(typing(true));
    let Some(Effect::ExpireTyping { stamp: old, .. }) = first.first().cloned() else {
        panic!("no expiry");
    };
    m.apply(typing(true));
    m.expire_typing(&c1, old);
    assert!(
        m.convs[&c1].visitor_typing.is_some(),
        "a newer frame keeps it"
    );
    m.apply(message("c1", 1, Role::Visitor, "done"));
    assert!(m.convs[&c1].visitor_typing.is_none());
}

#[test]
fn read_marks_from_an_earlier_load_keep_conversations_read() {
    let c1 = ConversationId::from("c1");
    let mut m = Model::new(shared::Presence::Online);
    m.read_seed.insert(c1.clone(), 2);
    m.hello(shared::AgentAuth::Session {
        token: "tok".into(),
    });
    m.apply(welcome(vec![mine("c1", 3)], vec![]));
    for (seq, role) in [(1, Role::Visitor), (2, Role::Visitor), (3, Role::Visitor)] {
        m.apply(message("c1", seq, role, "x"));
    }
    assert_eq!(m.row(&c1).unwrap().unread, 1);
    m.open(&c1);
    assert_eq!(m.read_marks().get(&c1), Some(&3));
}

#[test]
fn the_head_of_the_queue_is_read_once_then_arrives_live() {
    let mut m = signed_in(vec![]);
    let fx = m.apply(ServerFrame::Queue {
        waiting: vec![waiting("c2", 0)],
    });
    assert_eq!(fx, vec![Effect::Beep, Effect::Send(resume("c2", 0))]);
    m.apply(message("c2", 1, Role::Visitor, "anyone?"));
    let again = m.apply(ServerFrame::Queue {
        waiting: vec![waiting("c2", 1)],
    });
    assert!(again.is_empty(), "already followed: {again:?}");
    assert_eq!(
        m.row(&ConversationId::from("c2"))
            .unwrap()
            .preview
            .as_deref(),
        Some("anyone?")
    );
}

#[test]
fn only_the_first_waiting_conversations_are_read_ahead() {
    let mut m = signed_in(vec![]);
    let queue: Vec<_> = (0..25).map(|i| waiting(&format!("w{i:02}"), 0)).collect();
    let fx = m.apply(ServerFrame::Queue { waiting: queue });
    let expected: Vec<_> = std::iter::once(Effect::Beep)
        .chain((0..10).map(|i| Effect::Send(resume(&format!("w{i:02}"), 0))))
        .collect();
    assert_eq!(fx, expected, "the oldest ten, in queue order");
}

#[test]
fn queue_deltas_add_at_the_end_and_remove() {
    let mut m = signed_in(vec![]);
    m.apply(ServerFrame::Queue {
        waiting: vec![waiting("q1", 0), waiting("q2", 0)],
    });
    let fx = m.apply(ServerFrame::QueueDelta {
        added: vec![waiting("q3", 0)],
        removed: vec![ConversationId::from("q1")],
    });
    assert_eq!(fx.first(), Some(&Effect::Beep), "someone new waits: {fx:?}");
    let ids: Vec<&str> = m.queue.iter().map(ConversationId::as_str).collect();
    assert_eq!(ids, ["q2", "q3"]);
    assert!(
        m.row(&ConversationId::from("q1")).is_none(),
        "gone from the list"
    );
    let quiet = m.apply(ServerFrame::QueueDelta {
        added: vec![],
        removed: vec![ConversationId::from("q2")],
    });
    assert!(!quiet.contains(&Effect::Beep), "{quiet:?}");
    let ids: Vec<&str> = m.queue.iter().map(ConversationId::as_str).collect();
    assert_eq!(ids, ["q3"]);
}
