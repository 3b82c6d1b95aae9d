//! Signing in, reconnecting, presence, the outbox and admin answers.

use shared::{
    AgentAuth, AgentFrame, ClientMsgId, ConversationId, ErrorCode, Presence, ResumePoint, Role,
    ServerFrame,
};

use super::*;
use crate::model::{Effect, Link, Model, MsgState, Note, Phase};

#[test]
fn welcome_saves_the_session_restores_presence_and_loads_histories() {
    let mut m = Model::new(Presence::Away);
    m.hello(AgentAuth::Password {
        email: "me@example.com".into(),
        password: "pw".into(),
    });
    assert_eq!(m.phase, Phase::SigningIn);
    let fx = m.apply(welcome(vec![mine("c1", 2)], vec![waiting("c2", 1)]));
    assert_eq!(m.phase, Phase::SignedIn);
    assert_eq!(m.link, Link::Open);
    assert!(fx.contains(&Effect::SaveSession("tok".into())));
    assert_eq!(
        sent(&fx),
        vec![
            AgentFrame::SetPresence {
                presence: Presence::Away
            },
            AgentFrame::ListAgents,
            resume("c1", 0),
            resume("c2", 0),
            // Each site's routing settings, to explain the queue.
            AgentFrame::SiteSettings {
                site: "demo".into()
            },
        ]
    );
    assert_eq!(
        m.list(),
        vec![ConversationId::from("c1"), ConversationId::from("c2")]
    );
}

#[test]
fn replies_stay_pending_until_stored_and_are_resent_after_reconnect() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    let frame = m.reply(&c1, ClientMsgId::from("x1"), "hello").unwrap();
    m.reply(&c1, ClientMsgId::from("x2"), "again").unwrap();
    assert!(m.reply(&c1, ClientMsgId::from("x3"), "  \n").is_none());
    assert_eq!(m.transcript(&c1)[0].state, MsgState::Sending);

    // The socket drops; the welcome after reconnecting resends both, in order.
    let fx = m.apply(welcome(vec![mine("c1", 0)], vec![]));
    let resent: Vec<_> = sent(&fx)
        .into_iter()
        .filter(|f| matches!(f, AgentFrame::Send { .. }))
        .collect();
    assert_eq!(resent.len(), 2);
    assert_eq!(resent[0], frame);

    // The stored copy replaces the pending one; the ack then changes nothing.
    let mut stored = message("c1", 1, Role::Agent, "hello");
    if let ServerFrame::Message(msg) = &mut stored {
        msg.client_msg_id = ClientMsgId::from("x1");
    }
    m.apply(stored);
    m.apply(ServerFrame::Ack {
        conversation: c1.clone(),
        client_msg_id: ClientMsgId::from("x1"),
        seq: 1,
    });
    let rows = m.transcript(&c1);
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].state, rows[0].own), (MsgState::Stored, true));
    assert_eq!(rows[1].state, MsgState::Sending);
}

#[test]
fn refused_replies_are_marked_and_not_resent() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.reply(&c1, ClientMsgId::from("x1"), "hi").unwrap();
    let fx = m.apply(ServerFrame::Error {
        code: ErrorCode::RateLimited,
        message: String::new(),
        client_msg_id: Some(ClientMsgId::from("x1")),
        retry_after_ms: Some(700),
    });
    assert_eq!(fx, vec![Effect::RetryOutbox(700)]);
    m.apply(ServerFrame::Error {
        code: ErrorCode::ConversationClosed,
        message: String::new(),
        client_msg_id: Some(ClientMsgId::from("x1")),
        retry_after_ms: None,
    });
    assert_eq!(
        m.transcript(&c1)[0].state,
        MsgState::Failed(ErrorCode::ConversationClosed)
    );
    assert!(m.outbox.resend().is_empty());
}

#[test]
fn reconnect_hello_resumes_each_loaded_conversation_from_its_newest_seq() {
    let mut m = signed_in(vec![mine("c1", 2), mine("c2", 0)]);
    m.apply(message("c1", 1, Role::Visitor, "a"));
    m.apply(message("c1", 2, Role::Visitor, "b"));
    let AgentFrame::Hello {
        resume: mut points,
        auth,
        ..
    } = m.hello(AgentAuth::Session {
        token: "tok".into(),
    })
    else {
        panic!("not a hello");
    };
    points.sort_by(|a, b| a.conversation.cmp(&b.conversation));
    assert_eq!(
        auth,
        AgentAuth::Session {
            token: "tok".into()
        }
    );
    assert_eq!(
        points,
        vec![
            ResumePoint {
                conversation: "c1".into(),
                after_seq: 2
            },
            ResumePoint {
                conversation: "c2".into(),
                after_seq: 0
            },
        ]
    );
}

#[test]
fn failed_sign_ins_explain_themselves() {
    let mut m = Model::new(Presence::Online);
    m.hello(AgentAuth::Session {
        token: "old".into(),
    });
    let fx = m.apply(ServerFrame::error(ErrorCode::AuthFailed, "x"));
    assert_eq!(fx, vec![Effect::ClearSession]);
    assert_eq!(
        (m.phase, m.sign_in_note.clone()),
        (Phase::SignedOut, Some(Note::SessionEnded))
    );

    m.hello(AgentAuth::Password {
        email: "a".into(),
        password: "b".into(),
    });
    assert!(m
        .apply(ServerFrame::error(ErrorCode::AuthFailed, "x"))
        .is_empty());
    assert_eq!(m.sign_in_note, Some(Note::WrongPassword));
}

#[test]
fn admin_answers_land_on_the_form() {
    let mut m = signed_in(vec![]);
    m.add_agent(AgentFrame::ListAgents);
    m.apply(ServerFrame::error(ErrorCode::AlreadyExists, "x"));
    assert_eq!(m.admin_note, Some(Note::Error(ErrorCode::AlreadyExists)));
    assert_eq!(m.banner, None);
    m.apply(ServerFrame::error(ErrorCode::AgentUnavailable, "x"));
    assert_eq!(m.banner, Some(Note::Error(ErrorCode::AgentUnavailable)));
    let fx = m.apply(ServerFrame::AgentAdded { agent: me() });
    assert_eq!(sent(&fx), vec![AgentFrame::ListAgents]);
    assert_eq!(m.admin_note, Some(Note::AgentAdded("Me".into())));
}

#[test]
fn the_relays_idle_away_is_told_apart_from_the_agents_choice() {
    let mut m = signed_in(vec![]);
    // The welcome re-sent "online"; its echo is not news.
    m.apply(ServerFrame::Presence {
        presence: Presence::Online,
    });
    assert!(!m.status.idle);
    m.apply(ServerFrame::Presence {
        presence: Presence::Away,
    });
    assert!(m.status.idle);
    assert_eq!(m.presence, Presence::Away);
    // A reconnect keeps the agent away, and idle, until they come back.
    let fx = m.apply(welcome(vec![], vec![]));
    assert!(sent(&fx).contains(&AgentFrame::SetPresence {
        presence: Presence::Away
    }));
    m.apply(ServerFrame::Presence {
        presence: Presence::Away,
    });
    assert!(m.status.idle);
    assert_eq!(
        m.choose_presence(Presence::Online),
        AgentFrame::SetPresence {
            presence: Presence::Online
        }
    );
    assert!(!m.status.idle);
    // Choosing away, then online again: both echoes are the agent's own.
    m.choose_presence(Presence::Away);
    m.choose_presence(Presence::Online);
    for presence in [Presence::Online, Presence::Away, Presence::Online] {
        m.apply(ServerFrame::Presence { presence });
    }
    assert!(!m.status.idle);
    assert_eq!(m.presence, Presence::Online);
}
