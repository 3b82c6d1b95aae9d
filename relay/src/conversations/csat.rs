//! The satisfaction survey: a visitor rates one of its conversations
//! after it closed, once (the store's atomic check), and the rating goes
//! on the conversation (agents see it on the summary), on the customer's
//! timeline and into the reports. Other channels' ratings come with their
//! items through the ingest API (`ingest`).

use shared::contacts::{Channel, Direction, TimelineItem};
use shared::csat::Csat;
use shared::{ConversationId, TimelineItemId};

use super::actor::VisitorActor;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::customers::chat_record::contact_of_visitor;
use crate::reports::facts::{Fact, Measure};
use crate::store::csat::{ALREADY_RATED, NOT_CLOSED};
use crate::store::{Conversation, StoreError};

/// The timeline text of a rating; agents see the stars from `csat`.
pub fn rating_text(csat: &Csat) -> String {
    let rated = format!("Satisfaction rating {} of 5", csat.rating);
    match &csat.comment {
        Some(comment) => format!("{rated}: {comment}"),
        None => rated,
    }
}

impl ConversationService {
    /// Rates a closed conversation the visitor may touch; answers with
    /// the rated conversation. `Csat` for a bad rating or comment,
    /// `NotFound` for someone else's, `NotClosed`, `AlreadyRated`.
    pub async fn rate(
        &self,
        actor: &VisitorActor,
        id: &ConversationId,
        rating: u32,
        comment: Option<&str>,
    ) -> ServiceResult<Conversation> {
        let now = self.clock.now_ms();
        let csat = Csat::new(rating, comment, now).map_err(ServiceError::Csat)?;
        let mine = self.store.conversation(id).await?;
        if !mine.as_ref().is_some_and(|c| actor.may_touch(c)) {
            return Err(ServiceError::NotFound("no such conversation"));
        }
        let rated = match self.store.rate_conversation(id, &csat).await {
            Ok(rated) => rated,
            Err(StoreError::Conflict(NOT_CLOSED)) => return Err(ServiceError::NotClosed),
            Err(StoreError::Conflict(ALREADY_RATED)) => return Err(ServiceError::AlreadyRated),
            Err(e) => return Err(e.into()),
        };
        tracing::info!(conversation = %id, rating = csat.rating, "conversation rated");
        self.rating_on_timeline(actor, &rated, &csat).await;
        self.publisher.changed(&rated, None).await;
        self.record_fact(Fact {
            key: Fact::key_for(&rated.id, "csat"),
            site: rated.site.clone(),
            at_ms: csat.at_ms,
            agent: rated.agent.clone(),
            channel: Channel::Chat,
            measure: Measure::Rated {
                rating: csat.rating,
            },
        })
        .await;
        Ok(rated)
    }

    /// Counts the rating an ingested item carries (if any) in the reports,
    /// under the item's channel.
    pub(super) async fn item_rating_fact(&self, site: &shared::SiteId, item: &TimelineItem) {
        let Some(csat) = &item.csat else { return };
        self.record_fact(Fact {
            key: format!("item:{}:csat", item.id),
            site: site.clone(),
            at_ms: item.at_ms,
            agent: None,
            channel: item.channel,
            measure: Measure::Rated {
                rating: csat.rating,
            },
        })
        .await;
    }

    /// Puts the rating on the customer's timeline. Its id derives from
    /// the conversation's, so it is there once. A failure is logged: the
    /// rating itself is stored on the conversation.
    async fn rating_on_timeline(&self, actor: &VisitorActor, rated: &Conversation, csat: &Csat) {
        let store = self.store.as_ref();
        let item = TimelineItem {
            id: TimelineItemId(format!("{}-csat", rated.id)),
            channel: Channel::Chat,
            direction: Direction::In,
            at_ms: csat.at_ms,
            text: rating_text(csat),
            agent: rated.agent_name.clone(),
            case_code: rated.case_code.clone(),
            external_id: None,
            conversation: Some(rated.id.clone()),
            csat: Some(csat.clone()),
        };
        let contact = match store.visitor_contact(&rated.visitor).await {
            Ok(Some(contact)) => Ok(contact),
            Ok(None) => contact_of_visitor(store, &actor.visitor, csat.at_ms).await,
            Err(e) => Err(e),
        };
        let recorded = match contact {
            Ok(contact) => store.record(&rated.site, &contact, &item).await.map(drop),
            Err(e) => Err(e),
        };
        if let Err(e) = recorded {
            tracing::warn!(error = %e, conversation = %rated.id, "rating not recorded on the timeline");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_says_the_rating_and_the_comment() {
        let csat = Csat::new(4, Some("quick"), 1).unwrap();
        assert_eq!(rating_text(&csat), "Satisfaction rating 4 of 5: quick");
        let bare = Csat::new(2, None, 1).unwrap();
        assert_eq!(rating_text(&bare), "Satisfaction rating 2 of 5");
    }
}
