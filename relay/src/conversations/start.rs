//! A visitor starting a conversation: the pre-chat form's answers are
//! checked and put on the visitor's contact, the conversation is opened
//! (or the open one returned), a new one goes on the contact's timeline,
//! is published and enters the queue; and what the visitor is told about
//! it (case code, queue place, expected wait, or when the team is back).

use shared::card::{Acknowledgement, Away, PrechatDetails};
use shared::hours::OpeningHours;
use shared::routing::Route;
use shared::{ContactId, ConversationId};

use super::actor::VisitorActor;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::customers::chat_record::{contact_of_visitor, record_chat, take_details};
use crate::opening_hours;
use crate::secrets::new_id;
use crate::store::{Conversation, Site, StoreResult};

/// What the widget sends with `start`: the pre-chat answers, the topic
/// picked, the visitor's language and the page they are on.
#[derive(Debug, Clone, Default)]
pub struct StartRequest {
    pub details: Option<PrechatDetails>,
    pub topic: Option<String>,
    pub language: Option<String>,
    pub page_url: Option<String>,
}

/// The visitor's open conversation, and whether this start created it.
#[derive(Debug)]
pub struct Started {
    pub conversation: Conversation,
    pub created: bool,
}

impl ConversationService {
    /// Opens the visitor's conversation, or returns the open one.
    /// `watch` runs once it is stored and before anything is published
    /// about it, so the caller's socket misses none of its events.
    pub async fn start(
        &self,
        actor: &VisitorActor,
        request: StartRequest,
        watch: impl FnOnce(&Conversation) + Send,
    ) -> ServiceResult<Started> {
        let details = request.details.clone();
        if let Some(problem) = details.as_ref().and_then(|d| d.check().err()) {
            return Err(ServiceError::InvalidDetails(problem));
        }
        self.floods.start(&actor.site.id, actor.peer)?;
        let now = self.clock.now_ms();
        // Details land before the conversation exists, so the agent who
        // gets it sees them; without details the contact is only needed
        // for a new conversation (a repeated start costs nothing more).
        let contact = match &details {
            Some(details) => Some(self.take_details(actor, details, now).await?),
            None => None,
        };
        let route = self.route_for(actor, &request, false).await?;
        let new_id: ConversationId = new_id("c").as_str().into();
        let (conversation, created) = self
            .store
            .open_routed_conversation(&actor.visitor, &new_id, &route, now)
            .await?;
        watch(&conversation);
        if created {
            tracing::info!(conversation = %conversation.id, visitor = %conversation.visitor, "conversation started");
            self.record_on_timeline(actor, contact, &conversation, now)
                .await;
            self.opened_fact(&conversation).await;
            self.after_change(&conversation, None, true).await;
        }
        Ok(Started {
            conversation,
            created,
        })
    }

    /// The visitor's contact, with the pre-chat answers added.
    pub(super) async fn take_details(
        &self,
        actor: &VisitorActor,
        details: &PrechatDetails,
        now: u64,
    ) -> StoreResult<ContactId> {
        let store = self.store.as_ref();
        let contact = contact_of_visitor(store, &actor.visitor, now).await?;
        let resolved = take_details(store, &actor.visitor, &contact, details, now).await?;
        if !resolved.proposals.is_empty() {
            tracing::info!(contact = %contact, proposals = resolved.proposals.len(), "pre-chat details match another contact; proposed a merge");
        }
        Ok(contact)
    }

    /// Puts a new conversation on its customer's timeline. The
    /// conversation itself is stored and goes on if this fails; only its
    /// line on the timeline is missing, and the log says so.
    pub(super) async fn record_on_timeline(
        &self,
        actor: &VisitorActor,
        contact: Option<ContactId>,
        conversation: &Conversation,
        now: u64,
    ) {
        let store = self.store.as_ref();
        let contact = match contact {
            Some(id) => Ok(id),
            None => contact_of_visitor(store, &actor.visitor, now).await,
        };
        let recorded = match contact {
            Ok(id) => record_chat(store, &id, conversation).await,
            Err(e) => Err(e),
        };
        if let Err(e) = recorded {
            tracing::warn!(error = %e, conversation = %conversation.id, "chat not recorded on the timeline");
        }
    }

    /// What the visitor is told about a conversation that just started.
    pub fn acknowledgement(
        &self,
        actor: &VisitorActor,
        conversation: &Conversation,
        queue_position: Option<u32>,
    ) -> Acknowledgement {
        let now = self.clock.now_ms();
        Acknowledgement {
            conversation: conversation.id.clone(),
            case_code: conversation.case_code.clone().unwrap_or_default(),
            queue_position,
            expected_wait_ms: queue_position.and(self.assigner.waits.expected_ms()),
            away: away(&actor.site, &conversation.route, now),
            offline: conversation.route.offline,
        }
    }
}

/// The hours that apply to a conversation: its team's, else the site's.
pub fn hours_for<'a>(site: &'a Site, route: &Route) -> Option<&'a OpeningHours> {
    route
        .team
        .as_deref()
        .and_then(|team| site.routing.team(team))
        .and_then(|team| team.hours.as_ref())
        .or(site.hours.as_ref())
}

/// Set when `now` is outside the hours that apply.
fn away(site: &Site, route: &Route, now: u64) -> Option<Away> {
    let hours = hours_for(site, route).filter(|h| !opening_hours::is_open(h, now))?;
    Some(Away {
        opens_at_ms: opening_hours::next_opening_ms(hours, now),
        holiday: opening_hours::holiday(hours, now),
        hours: hours.clone(),
    })
}
