//! The customer record, read and settled: an agent's card of a
//! conversation's or a contact's customer, older timeline pages, contact
//! search and merge decisions (any signed-in agent, every site of the
//! company); an integrator's read of its own site's records. Visitors
//! never reach these.

use serde::Serialize;
use shared::card::{ContactHit, CustomerCard, TimelineCursor};
use shared::contacts::{Contact, MergeDecision, MergeProposal, TimelineItem};
use shared::{ContactId, ConversationId, MergeProposalId};

use super::{ConversationService, ServiceError, ServiceResult};
use crate::customers::card::{
    card, card_of_conversation, next_cursor, search, timeline_page, MAX_HITS, MAX_QUERY_CHARS,
};
use crate::identity::case_code::CaseCode;
use crate::store::{AgentRecord, Site, StoreError};

const NO_RECORD: ServiceError = ServiceError::NotFound("no such customer record");
const NO_CASE: ServiceError = ServiceError::NotFound("no case with this code on this site");

/// A contact with what an integrator needs to act on it.
#[derive(Debug, Serialize)]
pub struct ContactRecord {
    pub contact: Contact,
    /// Newest first.
    pub timeline: Vec<TimelineItem>,
    /// Where the next page starts (`before_ms` + `before_id`), when this
    /// one was full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<TimelineCursor>,
    pub merge_proposals: Vec<MergeProposal>,
}

/// A case: its first item and the contact it belongs to.
#[derive(Debug, Serialize)]
pub struct Case {
    pub case_code: String,
    pub contact: Contact,
    pub item: TimelineItem,
}

impl ConversationService {
    /// The card of a conversation's customer.
    pub async fn conversation_card(
        &self,
        _agent: &AgentRecord,
        id: &ConversationId,
    ) -> ServiceResult<CustomerCard> {
        card_of_conversation(self.store.as_ref(), id)
            .await?
            .ok_or(NO_RECORD)
    }

    /// A contact's card (following merges).
    pub async fn contact_card(
        &self,
        _agent: &AgentRecord,
        contact: &ContactId,
    ) -> ServiceResult<CustomerCard> {
        card(self.store.as_ref(), contact).await?.ok_or(NO_RECORD)
    }

    /// An older page of a contact's timeline, and the cursor after it.
    pub async fn timeline_page(
        &self,
        _agent: &AgentRecord,
        contact: &ContactId,
        before: &TimelineCursor,
    ) -> ServiceResult<(Vec<TimelineItem>, Option<TimelineCursor>)> {
        let store = self.store.as_ref();
        store.contact(contact).await?.ok_or(NO_RECORD)?;
        Ok(timeline_page(store, contact, Some(before)).await?)
    }

    /// Contacts on any site matching `query`.
    pub async fn search_contacts(
        &self,
        _agent: &AgentRecord,
        query: &str,
    ) -> ServiceResult<Vec<ContactHit>> {
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(ServiceError::Invalid(format!(
                "a search is at most {MAX_QUERY_CHARS} characters"
            )));
        }
        let sites = self.store.sites().await?;
        Ok(search(self.store.as_ref(), &sites, query, MAX_HITS).await?)
    }

    /// Accepts or rejects a merge proposal (admins only: a merge puts two
    /// people's histories in one record); answers with the card of the
    /// contact that remains. It never gives a visitor access to anything:
    /// that comes only from a signed identity (`prove_visitor`).
    pub async fn decide_merge(
        &self,
        agent: &AgentRecord,
        proposal: &MergeProposalId,
        decision: MergeDecision,
    ) -> ServiceResult<CustomerCard> {
        if !agent.admin {
            return Err(ServiceError::Forbidden(
                "only admins settle merge proposals",
            ));
        }
        let store = self.store.as_ref();
        let survivor = match store
            .resolve_merge(proposal, decision, &agent.id, crate::now_ms())
            .await
        {
            Ok(survivor) => survivor,
            Err(StoreError::NotFound) => {
                return Err(ServiceError::NotFound(
                    "no such open proposal (it may have been settled already)",
                ))
            }
            Err(e) => return Err(e.into()),
        };
        tracing::info!(agent = %agent.id, proposal = %proposal, ?decision, "merge proposal settled");
        card(store, &survivor.id).await?.ok_or(NO_RECORD)
    }

    /// One of the site's contacts, with a page of its timeline.
    pub async fn contact_record(
        &self,
        site: &Site,
        contact: &ContactId,
        before: Option<&TimelineCursor>,
        limit: usize,
    ) -> ServiceResult<ContactRecord> {
        let store = self.store.as_ref();
        let contact = self.site_contact(site, contact).await?;
        let timeline = store.timeline(&contact.id, before, limit).await?;
        let next = next_cursor(&timeline, limit);
        let merge_proposals = store.merge_proposals(&contact.id).await?;
        Ok(ContactRecord {
            contact,
            timeline,
            next,
            merge_proposals,
        })
    }

    /// The site's contacts matching `query`, at most `limit`.
    pub async fn site_contacts(
        &self,
        site: &Site,
        query: &str,
        limit: usize,
    ) -> ServiceResult<Vec<Contact>> {
        let sites = [site.id.clone()];
        let hits = search(self.store.as_ref(), &sites, query, limit).await?;
        Ok(hits.into_iter().map(|hit| hit.contact).collect())
    }

    /// The site's case with this code.
    pub async fn case(&self, site: &Site, code: &str) -> ServiceResult<Case> {
        let code = CaseCode::parse(code).ok_or(NO_CASE)?.to_string();
        let store = self.store.as_ref();
        let (contact, item) = store.find_case(&site.id, &code).await?.ok_or(NO_CASE)?;
        let contact = store.contact(&contact).await?.ok_or(NO_CASE)?;
        Ok(Case {
            case_code: code,
            contact,
            item,
        })
    }
}
