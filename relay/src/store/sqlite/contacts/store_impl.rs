//! [`ContactStore`] and [`ErasureStore`] for [`SqliteStore`]: each method
//! is one worker call to the function that does it, so the contract reads
//! in one place and the SQL in another (as `store_trait` does for
//! [`crate::store::Store`]).

use std::collections::BTreeMap;

use async_trait::async_trait;
use shared::card::TimelineCursor;
use shared::contacts::{
    Contact, Identity, IdentityKind, MergeDecision, MergeProposal, TimelineItem,
};
use shared::{AgentId, ContactId, MergeProposalId, SiteId, VisitorId};

use super::super::SqliteStore;
use super::{erase, merges, records, timeline};
use crate::store::contacts::{ContactStore, Recorded};
use crate::store::erasure::{AuditEntry, Erased, ErasureStore};
use crate::store::StoreResult;

#[async_trait]
impl ContactStore for SqliteStore {
    async fn create_contact(&self, contact: &Contact) -> StoreResult<()> {
        let contact = contact.clone();
        self.call(move |c| records::create(c, &contact)).await
    }

    async fn contact(&self, id: &ContactId) -> StoreResult<Option<Contact>> {
        let id = id.clone();
        self.call(move |c| records::contact(c, &id)).await
    }

    async fn contact_by_identity(
        &self,
        site: &SiteId,
        kind: IdentityKind,
        value: &str,
    ) -> StoreResult<Option<ContactId>> {
        let (site, value) = (site.clone(), value.to_owned());
        self.call(move |c| records::by_identity(c, &site, kind, &value))
            .await
    }

    async fn add_identity(&self, contact: &ContactId, identity: &Identity) -> StoreResult<()> {
        let (contact, identity) = (contact.clone(), identity.clone());
        self.call(move |c| records::add_identity(c, &contact, &identity))
            .await
    }

    async fn update_contact(
        &self,
        contact: &ContactId,
        name: Option<&str>,
        attributes: &BTreeMap<String, String>,
    ) -> StoreResult<Contact> {
        let (contact, attributes) = (contact.clone(), attributes.clone());
        let name = name.map(str::to_owned);
        self.call(move |c| records::update(c, &contact, name.as_deref(), &attributes))
            .await
    }

    async fn visitor_contact(&self, visitor: &VisitorId) -> StoreResult<Option<ContactId>> {
        let visitor = visitor.clone();
        self.call(move |c| records::visitor_contact(c, &visitor))
            .await
    }

    async fn link_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()> {
        let (visitor, contact) = (visitor.clone(), contact.clone());
        self.call(move |c| records::link_visitor(c, &visitor, &contact, false))
            .await
    }

    async fn contact_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>> {
        let contact = contact.clone();
        self.call(move |c| records::visitors(c, &contact, false))
            .await
    }

    async fn take_identity(
        &self,
        contact: &ContactId,
        identity: &Identity,
    ) -> StoreResult<Option<ContactId>> {
        let (contact, identity) = (contact.clone(), identity.clone());
        self.call(move |c| records::take_identity(c, &contact, &identity))
            .await
    }

    async fn prove_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()> {
        let (visitor, contact) = (visitor.clone(), contact.clone());
        self.call(move |c| records::link_visitor(c, &visitor, &contact, true))
            .await
    }

    async fn proven_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>> {
        let contact = contact.clone();
        self.call(move |c| records::visitors(c, &contact, true))
            .await
    }

    async fn record(
        &self,
        site: &SiteId,
        contact: &ContactId,
        item: &TimelineItem,
    ) -> StoreResult<Recorded> {
        let (site, contact, item) = (site.clone(), contact.clone(), item.clone());
        self.call(move |c| timeline::record(c, &site, &contact, &item))
            .await
    }

    async fn item_by_external_id(
        &self,
        site: &SiteId,
        external_id: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>> {
        let (site, external_id) = (site.clone(), external_id.to_owned());
        self.call(move |c| timeline::external_item(c, &site, &external_id))
            .await
    }

    async fn timeline(
        &self,
        contact: &ContactId,
        before: Option<&TimelineCursor>,
        limit: usize,
    ) -> StoreResult<Vec<TimelineItem>> {
        let (contact, before) = (contact.clone(), before.cloned());
        self.call(move |c| timeline::timeline(c, &contact, before.as_ref(), limit))
            .await
    }

    async fn next_case_number(&self, site: &SiteId) -> StoreResult<u64> {
        let site = site.clone();
        self.call(move |c| timeline::next_case_number(c, &site))
            .await
    }

    async fn find_case(
        &self,
        site: &SiteId,
        code: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>> {
        let (site, code) = (site.clone(), code.to_owned());
        self.call(move |c| timeline::find_case(c, &site, &code))
            .await
    }

    async fn search_contacts(
        &self,
        site: &SiteId,
        query: &str,
        limit: usize,
    ) -> StoreResult<Vec<Contact>> {
        let (site, query) = (site.clone(), query.to_owned());
        self.call(move |c| timeline::search(c, &site, &query, limit))
            .await
    }

    async fn propose_merge(&self, proposal: &MergeProposal) -> StoreResult<()> {
        let proposal = proposal.clone();
        self.call(move |c| merges::propose(c, &proposal)).await
    }

    async fn merge_proposals(&self, contact: &ContactId) -> StoreResult<Vec<MergeProposal>> {
        let contact = contact.clone();
        self.call(move |c| merges::involving(c, &contact)).await
    }

    async fn resolve_merge(
        &self,
        proposal: &MergeProposalId,
        decision: MergeDecision,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Contact> {
        let (proposal, agent) = (proposal.clone(), agent.clone());
        self.call(move |c| merges::settle(c, &proposal, decision, &agent, at_ms))
            .await
    }
}

#[async_trait]
impl ErasureStore for SqliteStore {
    async fn erase_contact(
        &self,
        site: &SiteId,
        contact: &ContactId,
        by: &str,
        at_ms: u64,
    ) -> StoreResult<Erased> {
        let (site, contact, by) = (site.clone(), contact.clone(), by.to_owned());
        // The log's older frames still hold what was deleted: truncate it
        // before answering (see `erase`'s module docs).
        self.worker
            .call_then_truncate_wal(move |c| erase::erase(c, &site, &contact, &by, at_ms))
            .await
    }

    async fn audit_log(&self, site: &SiteId, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        let site = site.clone();
        self.call(move |c| erase::audit_log(c, &site, limit)).await
    }
}
