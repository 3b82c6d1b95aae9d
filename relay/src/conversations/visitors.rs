//! A visitor arriving and proving who it is: hello (by its secret token,
//! or as a new visitor with a new token) and identify (the site's signed
//! token links it to a contact, whose other visitors' conversations it
//! may then read).

use std::net::IpAddr;

use shared::routing::queue_order;
use shared::{ConversationId, SiteId};

use super::actor::VisitorActor;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::customers::identify::{conversations_of, identify, linked_visitors, IdentifyError};
use crate::secrets::{new_id, new_token, token_hash};
use crate::store::{Conversation, Site, VisitorRecord};

/// A visitor let in by hello.
#[derive(Debug)]
pub struct VisitorWelcome {
    pub actor: VisitorActor,
    /// The visitor's secret token (the one it sent, or a new one).
    pub token: String,
    /// Its conversations and its linked visitors', oldest first.
    pub conversations: Vec<Conversation>,
    /// Whether anyone can answer now (the widget offers the offline form).
    pub availability: shared::routing::Availability,
}

/// A visitor the site's signature proved.
#[derive(Debug)]
pub struct VisitorIdentified {
    pub name: Option<String>,
    /// The conversations of the contact's other visitors, oldest first.
    pub conversations: Vec<Conversation>,
}

impl ConversationService {
    /// The site a visitor's socket names.
    pub async fn site(&self, id: &SiteId) -> ServiceResult<Site> {
        let disabled_demo = !self.demo && id.as_str() == crate::bootstrap::DEMO_SITE;
        if !id.is_well_formed() || disabled_demo {
            return Err(ServiceError::NotFound("unknown site"));
        }
        self.store
            .site(id)
            .await?
            .ok_or(ServiceError::NotFound("unknown site"))
    }

    /// The live queue in routing order (offline messages left out): a
    /// waiting visitor's place is its index.
    pub async fn queue_order(&self) -> ServiceResult<Vec<ConversationId>> {
        let waiting = queue_order(self.store.waiting().await?, |c| &c.route);
        Ok(waiting
            .into_iter()
            .filter(|c| !c.route.offline)
            .map(|c| c.id)
            .collect())
    }

    /// Lets a visitor of `site` in: by its token, or as a new visitor
    /// with a new token.
    pub async fn visitor_hello(
        &self,
        site: Site,
        token: Option<String>,
        peer: Option<IpAddr>,
    ) -> ServiceResult<VisitorWelcome> {
        let (visitor, token) = match token {
            Some(token) => match self.store.visitor_by_token(&token_hash(&token)).await? {
                Some(visitor) if visitor.site == site.id => (visitor, token),
                _ => return Err(ServiceError::InvalidToken),
            },
            None => {
                self.floods.new_visitor(&site.id, peer)?;
                let token = new_token();
                let visitor = VisitorRecord {
                    id: new_id("v").as_str().into(),
                    site: site.id.clone(),
                    token_hash: token_hash(&token),
                    created_at_ms: crate::now_ms(),
                };
                self.store.create_visitor(&visitor).await?;
                (visitor, token)
            }
        };
        let linked = linked_visitors(self.store.as_ref(), &visitor.id).await?;
        let actor = VisitorActor::new(visitor, site, peer, linked);
        let conversations = conversations_of(self.store.as_ref(), &actor.visitors()).await?;
        tracing::info!(visitor = %actor.visitor.id, site = %actor.site.id, "visitor connected");
        let availability = self.availability(&actor.site).await;
        Ok(VisitorWelcome {
            actor,
            token,
            conversations,
            availability,
        })
    }

    /// Links the visitor to the contact the site's token names; answers
    /// with the conversations of the contact's other visitors.
    pub async fn identify(
        &self,
        actor: &mut VisitorActor,
        token: &str,
    ) -> ServiceResult<VisitorIdentified> {
        let store = self.store.as_ref();
        let max_lifetime = self.limits.identity_token_max_secs;
        let identified = identify(
            store,
            &actor.site,
            &actor.visitor,
            token,
            crate::now_ms(),
            max_lifetime,
        )
        .await
        .map_err(|e| {
            tracing::info!(visitor = %actor.visitor.id, error = %e, "identify refused");
            match e {
                IdentifyError::Store(e) => e.into(),
                IdentifyError::Conflict => ServiceError::IdentityConflict,
                refused => ServiceError::InvalidIdentity(refused.to_string()),
            }
        })?;
        tracing::info!(visitor = %actor.visitor.id, contact = %identified.contact, "visitor identified");
        let conversations = conversations_of(store, &identified.linked).await?;
        actor.set_linked(identified.linked);
        Ok(VisitorIdentified {
            name: identified.name,
            conversations,
        })
    }
}
