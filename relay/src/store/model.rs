//! The records the stores keep. Wire types from `shared` are reused where the
//! stored shape and the wire shape are the same (messages); the rest carry
//! what only the relay may see (password hashes, token hashes).

use serde::{Deserialize, Serialize};

use crate::identity::case_code::CaseCode;
use shared::routing::{Route, SiteRouting};
use shared::{
    AgentId, AgentProfile, ChatMessage, ConversationId, ConversationStatus, ConversationSummary,
    Presence, SiteId, VisitorId,
};

/// A website that embeds the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    /// Origins allowed to open visitor sockets, compared exactly
    /// (scheme, host and port; no wildcards, no substrings).
    pub origins: Vec<String>,
    /// Languages the site offers, BCP 47 tags, first is the default.
    pub languages: Vec<String>,
    /// The HS256 secret the site signs visitor identity tokens with
    /// (`Switchboard.identify`); without one, identify is refused. Kept as
    /// is: verifying an HMAC needs the secret itself.
    #[serde(default)]
    pub identity_secret: Option<String>,
    /// The secret before the last rotation, still accepted until
    /// `previous_secret_until_ms` (tokens already handed out keep working
    /// for their short life).
    #[serde(default)]
    pub previous_identity_secret: Option<String>,
    #[serde(default)]
    pub previous_secret_until_ms: Option<u64>,
    /// SHA-256 (hex) of each ingest API key; the keys themselves are shown
    /// once, when made, and never stored.
    #[serde(default)]
    pub api_key_hashes: Vec<String>,
    /// Ask name and email/phone before the first message.
    #[serde(default)]
    pub prechat_form: bool,
    /// When agents answer; a conversation started outside them is told
    /// when the team is back. `None`: always staffed.
    #[serde(default)]
    pub hours: Option<shared::hours::OpeningHours>,
    /// Teams, topics, widening, reassignment, priority, offline form.
    #[serde(default)]
    pub routing: SiteRouting,
}

/// An agent as stored, including its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRecord {
    pub id: AgentId,
    /// Lower-cased and trimmed; unique.
    pub email: String,
    pub name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub admin: bool,
    pub max_concurrent: u32,
    pub created_at_ms: u64,
    /// Disabled by an admin: cannot sign in, has no sessions.
    #[serde(default)]
    pub disabled: bool,
    /// Languages the agent answers in (BCP 47); empty: any.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Skills topics may ask for (slugs).
    #[serde(default)]
    pub skills: Vec<String>,
}

/// An agent's live routing state: presence, open load, last activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStatus {
    pub presence: Presence,
    /// When the agent last received a conversation or came online; routing
    /// prefers the agent idle longest.
    pub last_activity_ms: u64,
}

impl AgentRecord {
    /// What the agent and other agents may see.
    pub fn profile(&self, presence: Presence) -> AgentProfile {
        AgentProfile {
            id: self.id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            admin: self.admin,
            max_concurrent: self.max_concurrent,
            presence,
            disabled: self.disabled,
            languages: self.languages.clone(),
            skills: self.skills.clone(),
        }
    }
}

/// A visitor: an anonymous person on one site, known by a secret token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorRecord {
    pub id: VisitorId,
    pub site: SiteId,
    /// SHA-256 (hex) of the visitor token; the token itself is never stored.
    pub token_hash: String,
    pub created_at_ms: u64,
}

/// A conversation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: ConversationId,
    pub site: SiteId,
    pub visitor: VisitorId,
    pub status: ConversationStatus,
    pub agent: Option<AgentId>,
    pub agent_name: Option<String>,
    pub last_seq: u64,
    pub created_at_ms: u64,
    pub closed_at_ms: Option<u64>,
    /// `CASE-1001`: given by the store when the conversation is created,
    /// from the site's case counter. Conversations stored before case
    /// codes existed have none.
    #[serde(default)]
    pub case_code: Option<String>,
    /// Bumped by every store write to the conversation (opened: 1; each
    /// message, assignment, transfer and close: +1), so a snapshot can be
    /// told from an older one. Conversations stored before versions
    /// existed read as 0 until their next write.
    #[serde(default)]
    pub version: u64,
    /// When a node last saw the visitor's socket on this conversation
    /// (refreshed while it is open; see `visitors_online`). Soft state:
    /// not journaled, and not part of `version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_seen_ms: Option<u64>,
    /// What it asks of routing (language, topic, team, priority, offline),
    /// and how often it went back to the queue.
    #[serde(default)]
    pub route: Route,
    /// When the current agent got it (assignment, take or transfer): the
    /// answer deadline counts from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_at_ms: Option<u64>,
    /// When an agent last wrote in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_replied_at_ms: Option<u64>,
    /// The visitor's satisfaction rating, set once after it closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<shared::csat::Csat>,
}

impl Conversation {
    /// A fresh conversation, waiting for an agent, with the site's
    /// `case_number`th case code.
    pub fn new_waiting(
        id: ConversationId,
        visitor: &VisitorRecord,
        case_number: u64,
        at_ms: u64,
    ) -> Self {
        Self {
            id,
            site: visitor.site.clone(),
            visitor: visitor.id.clone(),
            status: ConversationStatus::Waiting,
            agent: None,
            agent_name: None,
            last_seq: 0,
            created_at_ms: at_ms,
            closed_at_ms: None,
            case_code: Some(CaseCode::nth(case_number).to_string()),
            version: 1,
            visitor_seen_ms: Some(at_ms),
            route: Route::default(),
            assigned_at_ms: None,
            agent_replied_at_ms: None,
            csat: None,
        }
    }

    pub fn summary(&self) -> ConversationSummary {
        ConversationSummary {
            id: self.id.clone(),
            site: self.site.clone(),
            visitor: self.visitor.clone(),
            status: self.status,
            agent: self.agent.clone(),
            agent_name: self.agent_name.clone(),
            last_seq: self.last_seq,
            created_at_ms: self.created_at_ms,
            case_code: self.case_code.clone(),
            route: self.route.clone(),
            csat: self.csat.clone(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.status != ConversationStatus::Closed
    }

    /// Whether a new message may be appended, as
    /// [`super::Store::append_message`] promises: the conversation is open
    /// and, for an agent's reply, assigned to that agent.
    pub(crate) fn accepts(&self, assignee: Option<&AgentId>) -> Result<(), super::StoreError> {
        use super::StoreError::{Conflict, ConversationClosed};
        match assignee {
            Some(agent) if self.agent.as_ref() != Some(agent) => Err(Conflict(super::NOT_ASSIGNED)),
            _ if self.status == ConversationStatus::Closed => Err(ConversationClosed),
            Some(_) if self.status != ConversationStatus::Assigned => {
                Err(Conflict(super::NOT_ASSIGNED))
            }
            _ => Ok(()),
        }
    }

    /// Assigned and no agent has written since the current agent got it.
    pub fn unanswered(&self) -> bool {
        self.status == ConversationStatus::Assigned
            && match (self.assigned_at_ms, self.agent_replied_at_ms) {
                (Some(assigned), Some(replied)) => replied < assigned,
                (Some(_), None) => true,
                (None, _) => false,
            }
    }
}

/// A message to store; the store gives it its seq.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub conversation: ConversationId,
    pub client_msg_id: shared::ClientMsgId,
    pub author: shared::Author,
    pub text: String,
    pub at_ms: u64,
    /// An agent's reply: stored only while the conversation is assigned to
    /// this agent and open, checked in the same atomic step as the append
    /// (a transfer cannot slip between the check and the write). `None`
    /// for visitors, whose sessions hold the conversation for good.
    pub assignee: Option<shared::AgentId>,
    /// Report counters the message adds to (messages in or out), grown in
    /// the same atomic step as the append and only when the message is
    /// new, so a message counts exactly once and costs no round trip of
    /// its own (see `crate::reports`).
    pub report: Option<MessageReport>,
}

/// The report increments of a new message, in its site's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageReport {
    pub site: shared::SiteId,
    pub adds: Vec<crate::reports::row::Add>,
}

/// The result of storing a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub message: ChatMessage,
    /// True when this client message id was already stored: `message` is the
    /// earlier one, unchanged, and nothing new was written.
    pub duplicate: bool,
    /// True when the store already published the new message's event on
    /// the bus in the same round trip (Redis, see
    /// `RedisStore::publishing_messages_on`): the caller must not again.
    pub published: bool,
    /// A new agent message in a conversation no agent had written in
    /// before (reports then look for the first response time).
    pub first_reply: bool,
}
