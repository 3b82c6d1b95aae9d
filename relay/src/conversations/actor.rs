//! Who is asking. Every domain step takes a typed actor, so "who may do
//! what" is decided by the service from the actor's kind, never by the
//! transport that carried the request. A [`Grant`] is the service's answer
//! to "may this actor write to this conversation": only the service's
//! rules make one, and posting or typing needs one.

use std::collections::HashSet;
use std::net::IpAddr;

use shared::{AgentId, Author, ConversationId, ConversationStatus, Role, SiteId, VisitorId};

use crate::store::{AgentRecord, Conversation, Site, VisitorRecord};

/// The caller of a domain step.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// A widget visitor, known by its token.
    Visitor(&'a VisitorActor),
    /// A signed-in agent (admins are agents with `admin` set).
    Agent(&'a AgentRecord),
    /// A caller holding one of the site's API keys.
    Integration(&'a Site),
}

/// A visitor proven by its token, and the other visitors of the contact
/// the site's signed identity linked it to (its other devices).
#[derive(Debug, Clone)]
pub struct VisitorActor {
    pub visitor: VisitorRecord,
    /// The site named on upgrade, whose origin check passed.
    pub site: Site,
    /// The address the socket came from (flood limits count it).
    pub peer: Option<IpAddr>,
    linked: HashSet<VisitorId>,
}

impl VisitorActor {
    pub(super) fn new(
        visitor: VisitorRecord,
        site: Site,
        peer: Option<IpAddr>,
        linked: Vec<VisitorId>,
    ) -> Self {
        Self {
            visitor,
            site,
            peer,
            linked: linked.into_iter().collect(),
        }
    }

    /// The visitors whose conversations this visitor may read: itself first.
    pub fn visitors(&self) -> Vec<VisitorId> {
        std::iter::once(self.visitor.id.clone())
            .chain(self.linked.iter().cloned())
            .collect()
    }

    pub(super) fn set_linked(&mut self, linked: Vec<VisitorId>) {
        self.linked = linked.into_iter().collect();
    }

    /// The one rule of visitor access: its own conversations and those of
    /// the visitors it is proven to be the same person as.
    pub(super) fn may_touch(&self, conversation: &Conversation) -> bool {
        conversation.visitor == self.visitor.id || self.linked.contains(&conversation.visitor)
    }

    /// Permission to post and type in `conversation`, if the visitor may
    /// touch it (the owner of a conversation never changes, so a session
    /// keeps the grant).
    pub fn grant(&self, conversation: &Conversation) -> Option<Grant> {
        self.may_touch(conversation)
            .then(|| Grant::new(conversation, self.author()))
    }

    pub(super) fn author(&self) -> Author {
        Author {
            role: Role::Visitor,
            agent: None,
            name: None,
        }
    }
}

/// The author of an agent's messages.
pub(super) fn agent_author(agent: &AgentRecord) -> Author {
    Author {
        role: Role::Agent,
        agent: Some(agent.id.clone()),
        name: Some(agent.name.clone()),
    }
}

/// Permission to post and type in one conversation, with the status the
/// holder last saw. Made only by the service's access rules.
#[derive(Debug, Clone)]
pub struct Grant {
    conversation: ConversationId,
    site: SiteId,
    author: Author,
    status: ConversationStatus,
    /// An offline case: an agent's answer also goes by email.
    offline: bool,
}

impl Grant {
    pub(super) fn new(conversation: &Conversation, author: Author) -> Self {
        Self {
            conversation: conversation.id.clone(),
            site: conversation.site.clone(),
            author,
            status: conversation.status,
            offline: conversation.route.offline,
        }
    }

    pub fn conversation(&self) -> &ConversationId {
        &self.conversation
    }

    pub(super) fn site(&self) -> &SiteId {
        &self.site
    }

    /// The agent the conversation must still be assigned to when a
    /// message under this grant is stored (`None` for a visitor's).
    pub(super) fn assignee(&self) -> Option<&AgentId> {
        match self.author.role {
            Role::Agent => self.author.agent.as_ref(),
            Role::Visitor | Role::System => None,
        }
    }

    pub fn status(&self) -> ConversationStatus {
        self.status
    }

    pub(super) fn author(&self) -> &Author {
        &self.author
    }

    pub(super) fn offline(&self) -> bool {
        self.offline
    }

    /// A newer snapshot of the conversation reached the holder.
    pub fn observe(&mut self, status: ConversationStatus) {
        self.status = status;
    }
}
