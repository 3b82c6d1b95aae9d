//! Which conversations an actor may read or write. Visitors: their own
//! and those of the visitors the site's signature proved to be the same
//! person (anything else is `not_found`, whether or not it exists).
//! Agents: write to the open conversations assigned to them, read any;
//! admins also close any. Integrations: their own site's, by API key.

use shared::contacts::Contact;
use shared::{ContactId, ConversationId, ConversationStatus, SiteId};

use super::actor::{agent_author, Actor, Grant, VisitorActor};
use super::{ConversationService, ServiceError, ServiceResult};
use crate::secrets::token_hash;
use crate::store::{AgentRecord, Conversation, Site};

const NOT_YOURS: ServiceError = ServiceError::NotFound("no such conversation");
/// An agent's refusal to write where it does not hold the conversation.
pub(super) const NOT_ASSIGNED_TO_YOU: ServiceError =
    ServiceError::NotFound("no such conversation assigned to you");

impl ConversationService {
    /// The conversation, if the actor may read it.
    pub async fn readable(
        &self,
        actor: Actor<'_>,
        id: &ConversationId,
    ) -> ServiceResult<Conversation> {
        let conversation = self.store.conversation(id).await?.ok_or(NOT_YOURS)?;
        match actor {
            Actor::Visitor(visitor) if !visitor.may_touch(&conversation) => Err(NOT_YOURS),
            Actor::Integration(site) if conversation.site != site.id => Err(NOT_YOURS),
            _ => Ok(conversation),
        }
    }

    /// A visitor's permission to write to one of its conversations (the
    /// session keeps it: the owner of a conversation never changes).
    pub async fn visitor_grant(
        &self,
        visitor: &VisitorActor,
        id: &ConversationId,
    ) -> ServiceResult<(Grant, Conversation)> {
        let conversation = self.readable(Actor::Visitor(visitor), id).await?;
        let grant = visitor.grant(&conversation).ok_or(NOT_YOURS)?;
        Ok((grant, conversation))
    }

    /// An agent's permission to write to a conversation: it must be open
    /// and assigned to that agent. Assignments move, so the store checks
    /// it again, atomically, with every message the grant posts: a session
    /// may keep the grant (its site and offline mark never change).
    pub async fn agent_grant(
        &self,
        agent: &AgentRecord,
        id: &ConversationId,
    ) -> ServiceResult<Grant> {
        let conversation = self.agent_conversation(agent, id).await?;
        Ok(Grant::new(&conversation, agent_author(agent)))
    }

    /// The conversation, if it is open and assigned to `agent`.
    pub(super) async fn agent_conversation(
        &self,
        agent: &AgentRecord,
        id: &ConversationId,
    ) -> ServiceResult<Conversation> {
        match self.store.conversation(id).await? {
            Some(c) if c.agent.as_ref() == Some(&agent.id) => match c.status {
                ConversationStatus::Assigned => Ok(c),
                _ => Err(ServiceError::ConversationClosed),
            },
            _ => Err(NOT_ASSIGNED_TO_YOU),
        }
    }

    /// The conversation, if the actor may close it.
    pub(super) async fn closable(
        &self,
        actor: Actor<'_>,
        id: &ConversationId,
    ) -> ServiceResult<Conversation> {
        match actor {
            Actor::Agent(agent) if agent.admin => self.readable(actor, id).await,
            Actor::Agent(agent) => self.agent_conversation(agent, id).await,
            Actor::Visitor(_) => self.readable(actor, id).await,
            Actor::Integration(_) => Err(ServiceError::Forbidden(
                "integrations cannot close conversations",
            )),
        }
    }

    /// The site whose API key `key` is; `None` for an unknown site and a
    /// wrong key alike (the API does not tell strangers which sites exist).
    pub async fn integration_site(&self, site: &SiteId, key: &str) -> ServiceResult<Option<Site>> {
        if !site.is_well_formed() {
            return Ok(None);
        }
        let hash = token_hash(key);
        Ok(self
            .store
            .site(site)
            .await?
            .filter(|site| site.api_key_hashes.contains(&hash)))
    }

    /// One of the site's contacts (following merges); another site's
    /// answers like a missing one.
    pub(super) async fn site_contact(
        &self,
        site: &Site,
        contact: &ContactId,
    ) -> ServiceResult<Contact> {
        self.store
            .contact(contact)
            .await?
            .filter(|c| c.site == site.id)
            .ok_or(ServiceError::NotFound("no such contact on this site"))
    }
}
