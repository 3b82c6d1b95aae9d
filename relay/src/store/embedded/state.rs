//! The embedded store's in-memory state and the operations that change it.
//! [`State::apply`] is the only mutator and is used both live and when
//! replaying the journal, so a restarted relay rebuilds exactly the state it
//! acknowledged. Operations are validated before they are journaled; apply
//! itself never fails.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use shared::{
    AgentId, ChatMessage, ClientMsgId, ContactId, ConversationId, ConversationStatus, Seq, SiteId,
    VisitorId,
};

use super::contact_state::{ContactOp, ContactState};
use crate::store::{AgentRecord, AgentStatus, AuditEntry, Conversation, Site, VisitorRecord};

/// One journaled change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(super) enum Op {
    PutSite(Site),
    CreateAgent(AgentRecord),
    CreateSession {
        token_hash: String,
        agent: AgentId,
        expires_at_ms: u64,
    },
    DeleteSession {
        token_hash: String,
    },
    /// Every session of `agent` but `keep` ends.
    EndAgentSessions {
        agent: AgentId,
        keep: Option<String>,
    },
    SetPasswordHash {
        agent: AgentId,
        hash: String,
    },
    SetAgentDisabled {
        agent: AgentId,
        disabled: bool,
    },
    CreateVisitor(VisitorRecord),
    OpenConversation(Conversation),
    AppendMessage(ChatMessage),
    /// First assignment and transfers alike.
    Assign {
        conversation: ConversationId,
        agent: AgentId,
        agent_name: String,
    },
    Close {
        conversation: ConversationId,
        at_ms: u64,
    },
    /// The customer record (see `contact_state`).
    Contact(ContactOp),
    /// A contact erased (see `contact_erase`); the journal is compacted
    /// right after, so no older line keeps what this removed.
    EraseContact {
        site: SiteId,
        contact: ContactId,
        entry: AuditEntry,
    },
    /// The whole state: the first line of a compacted journal.
    Snapshot(Box<State>),
}

/// How a snapshot line is written: the same shape as [`Op::Snapshot`],
/// serialised from a borrowed state (no copy of the whole store).
#[derive(Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(super) enum SnapshotLine<'a> {
    Snapshot(&'a State),
}

/// Everything the store holds; serialised whole as the journal's first
/// line when the journal is compacted (see [`Op::Snapshot`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct State {
    pub(super) sites: HashMap<SiteId, Site>,
    pub(super) agent_order: Vec<AgentId>,
    pub(super) agents: HashMap<AgentId, AgentRecord>,
    pub(super) agent_by_email: HashMap<String, AgentId>,
    /// Presence is live state: not journaled, everyone is offline after a restart.
    #[serde(skip)]
    pub(super) status: HashMap<AgentId, AgentStatus>,
    pub(super) open_by_agent: HashMap<AgentId, HashSet<ConversationId>>,
    pub(super) sessions: HashMap<String, (AgentId, u64)>,
    pub(super) visitors: HashMap<VisitorId, VisitorRecord>,
    pub(super) visitor_by_token: HashMap<String, VisitorId>,
    pub(super) visitor_conversations: HashMap<VisitorId, Vec<ConversationId>>,
    pub(super) conversations: HashMap<ConversationId, Conversation>,
    pub(super) messages: HashMap<ConversationId, Vec<ChatMessage>>,
    pub(super) client_ids: HashMap<ConversationId, HashMap<ClientMsgId, Seq>>,
    /// Waiting conversations, oldest first.
    pub(super) queue: Vec<ConversationId>,
    pub(super) contacts: ContactState,
    /// Each site's audit log, oldest first.
    #[serde(default)]
    pub(super) audit: HashMap<SiteId, Vec<AuditEntry>>,
}

impl State {
    pub(super) fn apply(&mut self, op: Op) {
        match op {
            Op::PutSite(site) => {
                self.sites.insert(site.id.clone(), site);
            }
            Op::CreateAgent(agent) => {
                self.agent_order.push(agent.id.clone());
                self.agent_by_email
                    .insert(agent.email.clone(), agent.id.clone());
                self.agents.insert(agent.id.clone(), agent);
            }
            Op::CreateSession {
                token_hash,
                agent,
                expires_at_ms,
            } => {
                self.sessions.insert(token_hash, (agent, expires_at_ms));
            }
            Op::DeleteSession { token_hash } => {
                self.sessions.remove(&token_hash);
            }
            Op::EndAgentSessions { agent, keep } => {
                self.sessions
                    .retain(|hash, (owner, _)| *owner != agent || keep.as_ref() == Some(hash));
            }
            Op::SetPasswordHash { agent, hash } => {
                if let Some(record) = self.agents.get_mut(&agent) {
                    record.password_hash = hash;
                }
            }
            Op::SetAgentDisabled { agent, disabled } => {
                if let Some(record) = self.agents.get_mut(&agent) {
                    record.disabled = disabled;
                }
            }
            Op::CreateVisitor(visitor) => {
                self.visitor_by_token
                    .insert(visitor.token_hash.clone(), visitor.id.clone());
                self.visitors.insert(visitor.id.clone(), visitor);
            }
            Op::OpenConversation(conversation) => {
                self.visitor_conversations
                    .entry(conversation.visitor.clone())
                    .or_default()
                    .push(conversation.id.clone());
                if conversation.status == ConversationStatus::Waiting {
                    self.queue.push(conversation.id.clone());
                }
                self.conversations
                    .insert(conversation.id.clone(), conversation);
            }
            Op::AppendMessage(message) => {
                if let Some(conversation) = self.conversations.get_mut(&message.conversation) {
                    conversation.last_seq = message.seq;
                    conversation.version += 1;
                }
                self.client_ids
                    .entry(message.conversation.clone())
                    .or_default()
                    .insert(message.client_msg_id.clone(), message.seq);
                self.messages
                    .entry(message.conversation.clone())
                    .or_default()
                    .push(message);
            }
            Op::Assign {
                conversation,
                agent,
                agent_name,
            } => {
                let Some(record) = self.conversations.get_mut(&conversation) else {
                    return;
                };
                if let Some(previous) = record.agent.take() {
                    if let Some(open) = self.open_by_agent.get_mut(&previous) {
                        open.remove(&conversation);
                    }
                }
                record.status = ConversationStatus::Assigned;
                record.version += 1;
                record.agent = Some(agent.clone());
                record.agent_name = Some(agent_name);
                self.queue.retain(|c| c != &conversation);
                self.open_by_agent
                    .entry(agent)
                    .or_default()
                    .insert(conversation);
            }
            Op::Close {
                conversation,
                at_ms,
            } => {
                let Some(record) = self.conversations.get_mut(&conversation) else {
                    return;
                };
                record.status = ConversationStatus::Closed;
                record.version += 1;
                record.closed_at_ms = Some(at_ms);
                if let Some(agent) = &record.agent {
                    if let Some(open) = self.open_by_agent.get_mut(agent) {
                        open.remove(&conversation);
                    }
                }
                self.queue.retain(|c| c != &conversation);
            }
            Op::Contact(op) => self.contacts.apply(op),
            Op::EraseContact {
                site,
                contact,
                entry,
            } => {
                self.erase_contact(&contact);
                self.audit.entry(site).or_default().push(entry);
            }
            Op::Snapshot(state) => {
                let status = std::mem::take(&mut self.status);
                *self = *state;
                self.status = status;
            }
        }
    }

    pub(super) fn load(&self, agent: &AgentId) -> u32 {
        self.open_by_agent
            .get(agent)
            .map_or(0, |open| u32::try_from(open.len()).unwrap_or(u32::MAX))
    }

    pub(super) fn status(&self, agent: &AgentId) -> AgentStatus {
        self.status.get(agent).copied().unwrap_or(AgentStatus {
            presence: shared::Presence::Offline,
            last_activity_ms: 0,
        })
    }

    /// Whether `agent` may take one more conversation now.
    pub(super) fn can_take(&self, agent: &AgentRecord) -> bool {
        self.status(&agent.id).presence == shared::Presence::Online
            && self.load(&agent.id) < agent.max_concurrent
    }

    pub(super) fn conversations_sorted<'a>(
        &'a self,
        ids: impl Iterator<Item = &'a ConversationId>,
    ) -> Vec<Conversation> {
        let mut list: Vec<Conversation> = ids
            .filter_map(|id| self.conversations.get(id).cloned())
            .collect();
        list.sort_by(|a, b| {
            a.created_at_ms
                .cmp(&b.created_at_ms)
                .then_with(|| a.id.cmp(&b.id))
        });
        list
    }
}
