//! What a new conversation asks of routing, decided once when it starts:
//! the visitor's language, the topic they picked (or their page implies)
//! with its team and skill, and whether they go ahead of arrival order
//! (identified by the site's token, or carrying the site's priority
//! attribute). Stored on the conversation, so every node routes it alike.

use shared::lang::{is_language_tag, primary_language};
use shared::routing::{Priority, Route};

use super::actor::VisitorActor;
use super::start::StartRequest;
use super::ConversationService;
use crate::store::StoreResult;

impl ConversationService {
    /// The route of a conversation `actor` starts with `request`.
    pub(super) async fn route_for(
        &self,
        actor: &VisitorActor,
        request: &StartRequest,
        offline: bool,
    ) -> StoreResult<Route> {
        let routing = &actor.site.routing;
        let topic = routing.topic_for(request.topic.as_deref(), request.page_url.as_deref());
        Ok(Route {
            language: request
                .language
                .as_deref()
                .map(str::trim)
                .filter(|tag| is_language_tag(&primary_language(tag)))
                .map(primary_language),
            topic: topic.map(|t| t.id.clone()),
            team: topic.and_then(|t| t.team.clone()),
            skill: topic.and_then(|t| t.skill.clone()),
            priority: self.priority(actor).await?,
            offline,
            ..Route::default()
        })
    }

    /// The site's priority attribute first, then identification.
    async fn priority(&self, actor: &VisitorActor) -> StoreResult<Priority> {
        let rules = &actor.site.routing.priority;
        if !rules.identified && rules.attribute.is_none() {
            return Ok(Priority::Normal);
        }
        let Some(contact) = self.store.visitor_contact(&actor.visitor.id).await? else {
            return Ok(Priority::Normal);
        };
        if let Some(rule) = &rules.attribute {
            let record = self.store.contact(&contact).await?;
            if record.is_some_and(|c| c.attributes.get(&rule.key) == Some(&rule.value)) {
                return Ok(Priority::Attribute);
            }
        }
        if rules.identified
            && self
                .store
                .proven_visitors(&contact)
                .await?
                .contains(&actor.visitor.id)
        {
            return Ok(Priority::Identified);
        }
        Ok(Priority::Normal)
    }
}
