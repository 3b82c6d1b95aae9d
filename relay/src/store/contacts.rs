//! The customer record in the store: contacts, the identities that point
//! at them, their timelines, case numbers and merge proposals. A separate
//! trait so the record's contract reads on its own; every [`super::Store`]
//! implements it, and the conformance suite runs it against each.
//!
//! Rules every implementation keeps (atomically, like the rest of the store):
//! - An identity (site, kind, value) belongs to at most one contact.
//!   Creating a contact or adding an identity that another contact holds is
//!   a `Conflict` and changes nothing; the caller decides (a verified match
//!   links, an unverified one becomes a [`MergeProposal`]).
//! - A timeline item with an `external_id` is stored once per site; a
//!   second push returns the first item unchanged (`duplicate: true`).
//! - Case numbers count up per site from 1, never repeat, across nodes.
//! - Accepting a merge moves every identity, attribute (existing values
//!   win) and timeline item of `from` to `into`, points `from`'s visitors
//!   and cases at `into`, records the merge on `into`'s timeline, and
//!   leaves `from` as a forwarding record ([`ContactStore::contact`]
//!   follows it). Rejecting only drops the proposal.

use std::collections::BTreeMap;

use async_trait::async_trait;
use shared::contacts::{
    Contact, Identity, IdentityKind, MergeDecision, MergeProposal, TimelineItem,
};
use shared::{AgentId, ContactId, MergeProposalId, SiteId, VisitorId};

use super::StoreResult;

/// The result of adding a timeline item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub item: TimelineItem,
    /// The contact the item is on (for a duplicate: where the first one is).
    pub contact: ContactId,
    /// True when the `external_id` was already stored: nothing was written.
    pub duplicate: bool,
}

/// Customer records. See the module docs for the rules.
#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Creates a contact with its identities (may be empty).
    async fn create_contact(&self, contact: &Contact) -> StoreResult<()>;
    /// The contact, following merges to the surviving record.
    async fn contact(&self, id: &ContactId) -> StoreResult<Option<Contact>>;
    /// Who holds this identity on the site (value as
    /// [`Identity::normalise`] makes it), following merges.
    async fn contact_by_identity(
        &self,
        site: &SiteId,
        kind: IdentityKind,
        value: &str,
    ) -> StoreResult<Option<ContactId>>;
    /// Adds an identity, or marks the contact's own copy verified.
    /// `Conflict` if another contact holds it.
    async fn add_identity(&self, contact: &ContactId, identity: &Identity) -> StoreResult<()>;
    /// Sets the name (when `Some`) and merges `attributes` in (an empty
    /// value removes the key). Returns the updated contact.
    async fn update_contact(
        &self,
        contact: &ContactId,
        name: Option<&str>,
        attributes: &BTreeMap<String, String>,
    ) -> StoreResult<Contact>;

    /// The contact a visitor is linked to, if any.
    async fn visitor_contact(&self, visitor: &VisitorId) -> StoreResult<Option<ContactId>>;
    /// Links (or re-links) a visitor to a contact.
    async fn link_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()>;
    /// The visitors linked to a contact (after merges, both records' visitors).
    async fn contact_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>>;

    /// Adds an item to the contact's timeline; idempotent by `external_id`
    /// per site. Indexes its `case_code` for [`ContactStore::find_case`].
    async fn record(
        &self,
        site: &SiteId,
        contact: &ContactId,
        item: &TimelineItem,
    ) -> StoreResult<Recorded>;
    /// The item pushed earlier with this `external_id` on the site, and
    /// the contact it is on: lets the API answer a retried push without
    /// resolving (and maybe creating) contacts again.
    async fn item_by_external_id(
        &self,
        site: &SiteId,
        external_id: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>>;
    /// Items with `at_ms` < `before_ms` (all when `None`), newest first,
    /// at most `limit`.
    async fn timeline(
        &self,
        contact: &ContactId,
        before_ms: Option<u64>,
        limit: usize,
    ) -> StoreResult<Vec<TimelineItem>>;
    /// The next case number of the site: 1, 2, 3, ...
    async fn next_case_number(&self, site: &SiteId) -> StoreResult<u64>;
    /// The contact and the first timeline item carrying `code` (as shown,
    /// e.g. `CASE-1001`).
    async fn find_case(
        &self,
        site: &SiteId,
        code: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>>;
    /// Contacts whose name contains `query` (case-insensitive) or with an
    /// identity equal to it (normalised per kind), at most `limit`.
    async fn search_contacts(
        &self,
        site: &SiteId,
        query: &str,
        limit: usize,
    ) -> StoreResult<Vec<Contact>>;

    /// Stores a proposal unless the same pair is already proposed.
    async fn propose_merge(&self, proposal: &MergeProposal) -> StoreResult<()>;
    /// Open proposals that involve the contact (either side).
    async fn merge_proposals(&self, contact: &ContactId) -> StoreResult<Vec<MergeProposal>>;
    /// Settles a proposal (see the module docs); returns the surviving
    /// contact. `NotFound` if the proposal is gone (already settled).
    async fn resolve_merge(
        &self,
        proposal: &MergeProposalId,
        decision: MergeDecision,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Contact>;
}
