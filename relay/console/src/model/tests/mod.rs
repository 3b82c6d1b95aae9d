//! The model's rules, checked without a browser: shared fixtures here,
//! the cases in `session.rs` (signing in, reconnecting, the outbox) and
//! `conversations.rs` (list, transcript, unread, typing), `card.rs` (the
//! customer card), `search.rs` (contact search, request errors),
//! `privacy.rs` (an admin's export and erasure), `account.rs`
//! (password, sign out everywhere, the team's access), `canned.rs` (the
//! `/shortcut` picker and the replies panel), `notes.rs` (private notes),
//! `kb_admin.rs` (the knowledge base panel), `kb_search.rs` (the
//! composer's knowledge search), `queue.rs` (the queue explained, offline
//! messages, status), `routing_admin.rs` (the routing panel) and
//! `routing_form.rs` (its form and hours rows to and from the protocol).

mod account;
mod canned;
mod card;
mod conversations;
mod csat;
mod kb_admin;
mod kb_search;
mod notes;
mod privacy;
mod queue;
mod routing_admin;
mod routing_form;
mod search;
mod session;

use shared::{
    AgentAuth, AgentFrame, AgentId, AgentProfile, Author, ChatMessage, ClientMsgId, ConversationId,
    ConversationStatus, ConversationSummary, Presence, ResumePoint, Role, ServerFrame, VisitorId,
};

use shared::frames::SiteBrief;

use super::{Effect, Model};

pub(super) fn me() -> AgentProfile {
    AgentProfile {
        id: AgentId::from("a_me"),
        email: "me@example.com".into(),
        name: "Me".into(),
        admin: true,
        max_concurrent: 3,
        presence: Presence::Offline,
        disabled: false,
        languages: vec![],
        skills: vec![],
    }
}

pub(super) fn summary(
    id: &str,
    status: ConversationStatus,
    agent: Option<&str>,
    last_seq: u64,
) -> ConversationSummary {
    ConversationSummary {
        id: ConversationId::from(id),
        site: "demo".into(),
        visitor: VisitorId::from(format!("v_{id}").as_str()),
        status,
        agent: agent.map(AgentId::from),
        agent_name: None,
        last_seq,
        created_at_ms: 1,
        case_code: None,
        route: Default::default(),
        csat: None,
    }
}

pub(super) fn mine(id: &str, last_seq: u64) -> ConversationSummary {
    summary(id, ConversationStatus::Assigned, Some("a_me"), last_seq)
}

pub(super) fn waiting(id: &str, last_seq: u64) -> ConversationSummary {
    summary(id, ConversationStatus::Waiting, None, last_seq)
}

pub(super) fn message(conv: &str, seq: u64, role: Role, text: &str) -> ServerFrame {
    ServerFrame::Message(ChatMessage {
        conversation: ConversationId::from(conv),
        seq,
        client_msg_id: ClientMsgId::from(format!("m{seq}").as_str()),
        author: Author {
            role,
            agent: (role == Role::Agent).then(|| AgentId::from("a_me")),
            name: None,
        },
        text: text.into(),
        sent_at_ms: seq,
    })
}

pub(super) fn welcome(
    conversations: Vec<ConversationSummary>,
    waiting: Vec<ConversationSummary>,
) -> ServerFrame {
    ServerFrame::AgentWelcome {
        protocol: 1,
        session_token: "tok".into(),
        agent: me(),
        conversations,
        waiting,
        sites: vec![SiteBrief {
            id: "demo".into(),
            name: "Demo".into(),
            languages: vec!["en".into(), "he".into()],
        }],
    }
}

pub(super) fn signed_in(conversations: Vec<ConversationSummary>) -> Model {
    let mut m = Model::new(Presence::Online);
    m.hello(AgentAuth::Session {
        token: "tok".into(),
    });
    m.apply(welcome(conversations, vec![]));
    m
}

pub(super) fn sent(fx: &[Effect]) -> Vec<AgentFrame> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn resume(conv: &str, after_seq: u64) -> AgentFrame {
    AgentFrame::Resume(ResumePoint {
        conversation: ConversationId::from(conv),
        after_seq,
    })
}

pub(super) fn card_request(conv: &str) -> AgentFrame {
    AgentFrame::Card {
        conversation: ConversationId::from(conv),
    }
}

/// The `notes` every opening of a conversation sends.
pub(super) fn notes_request(conv: &str) -> AgentFrame {
    AgentFrame::Notes {
        conversation: ConversationId::from(conv),
    }
}
