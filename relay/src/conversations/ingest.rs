//! Other channels onto the customer record: an email, call, SMS, social
//! message or web form an integrator pushes lands on the timeline of the
//! contact its identities resolve to (by the rules of
//! [`crate::customers::resolve`]), with a new case code or the existing
//! case it names. Idempotent by the caller's external id.

use shared::contacts::{Channel, Direction, TimelineItem};
use shared::{ContactId, TimelineItemId};

use super::{ConversationService, ServiceError, ServiceResult};
use crate::customers::{resolve_contact, Claim};
use crate::identity::case_code::CaseCode;
use crate::secrets::new_id;
use crate::store::Site;

/// An item to put on the record, already checked by its transport.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub external_id: String,
    pub channel: Channel,
    pub direction: Direction,
    /// When it happened (Unix ms); now if absent.
    pub at_ms: Option<u64>,
    pub text: String,
    pub agent: Option<String>,
    /// Join this existing case instead of opening a new one.
    pub case_code: Option<String>,
    /// Who it is from or to.
    pub claim: Claim,
    /// A satisfaction rating given on that channel (checked).
    pub csat: Option<shared::csat::Csat>,
}

/// Where an item landed.
#[derive(Debug)]
pub struct Ingested {
    pub item: TimelineItem,
    pub contact: ContactId,
    /// The external id was pushed before: this is the first result, and
    /// nothing changed.
    pub duplicate: bool,
    /// A merge proposal was raised for an agent to settle.
    pub merge_proposed: bool,
}

impl ConversationService {
    /// Puts `new` on the record of the site's contact it names.
    pub async fn ingest(&self, site: &Site, new: NewItem) -> ServiceResult<Ingested> {
        let store = self.store.as_ref();
        if let Some((contact, item)) = store
            .item_by_external_id(&site.id, &new.external_id)
            .await?
        {
            return Ok(Ingested {
                item,
                contact,
                duplicate: true,
                merge_proposed: false,
            });
        }
        let case_code = self.case_for(site, new.case_code.as_deref()).await?;
        let now = self.clock.now_ms();
        let resolved = resolve_contact(store, &site.id, &new.claim, None, now).await?;
        let item = TimelineItem {
            id: TimelineItemId(new_id("it")),
            channel: new.channel,
            direction: new.direction,
            at_ms: new.at_ms.unwrap_or(now),
            text: new.text,
            agent: new.agent.filter(|a| !a.trim().is_empty()),
            case_code: Some(case_code),
            external_id: Some(new.external_id),
            conversation: None,
            csat: new.csat.map(|csat| shared::csat::Csat {
                at_ms: new.at_ms.unwrap_or(now),
                ..csat
            }),
        };
        let recorded = store.record(&site.id, &resolved.contact, &item).await?;
        tracing::info!(site = %site.id, contact = %recorded.contact, channel = ?item.channel, "item ingested");
        if !recorded.duplicate {
            self.item_fact(&site.id, &recorded.item).await;
            self.item_rating_fact(&site.id, &recorded.item).await;
        }
        Ok(Ingested {
            item: recorded.item,
            contact: recorded.contact,
            duplicate: recorded.duplicate,
            merge_proposed: !resolved.proposals.is_empty(),
        })
    }

    /// The case an item joins: the existing one it names, or a new one.
    async fn case_for(&self, site: &Site, typed: Option<&str>) -> ServiceResult<String> {
        let store = self.store.as_ref();
        let Some(typed) = typed else {
            return Ok(CaseCode::nth(store.next_case_number(&site.id).await?).to_string());
        };
        let code = CaseCode::parse(typed)
            .ok_or_else(|| ServiceError::Invalid(format!("{typed:?} is not a case code")))?
            .to_string();
        if store.find_case(&site.id, &code).await?.is_none() {
            return Err(ServiceError::NotFound(
                "no case with this code on this site",
            ));
        }
        Ok(code)
    }
}
