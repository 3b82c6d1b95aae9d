//! [`ContactStore`] for [`EmbeddedStore`]: each method checks its rules
//! against the state and journals one [`ContactOp`] under the store's one
//! lock, so check-and-write is atomic exactly as in the Redis scripts.
//! Search scans the site's contacts in memory.

use std::collections::BTreeMap;

use async_trait::async_trait;
use shared::card::TimelineCursor;
use shared::contacts::{
    Contact, Identity, IdentityKind, MergeDecision, MergeProposal, TimelineItem,
};
use shared::{AgentId, ContactId, MergeProposalId, SiteId, VisitorId};

use super::contact_proof as proof;
use super::contact_proposals as proposals;
use super::contact_state::{identity_key, ContactOp, ContactState};
use super::state::Op;
use super::{EmbeddedStore, Inner};
use crate::store::contacts::{
    identity_queries, name_matches, normalised, normalised_identities, rank_search, scan_word,
    ContactStore, Recorded,
};
use crate::store::{StoreError, StoreResult};

pub(super) fn change(i: &mut Inner, op: ContactOp) -> StoreResult<()> {
    i.commit(Op::Contact(op))
}

/// The survivor of `id`, or `NotFound`.
/// Takes the site's next case number (the caller holds the store's lock).
pub(super) fn take_case_number(i: &mut Inner, site: &SiteId) -> StoreResult<u64> {
    let number = i.state.contacts.case_seq.get(site).copied().unwrap_or(0) + 1;
    change(
        i,
        ContactOp::CaseNumber {
            site: site.clone(),
            number,
        },
    )?;
    Ok(number)
}

fn survivor(c: &ContactState, id: &ContactId) -> StoreResult<ContactId> {
    c.survivor(id).ok_or(StoreError::NotFound)
}

pub(super) fn live(c: &ContactState, id: &ContactId) -> StoreResult<Contact> {
    c.live(id).cloned().ok_or(StoreError::NotFound)
}

/// The item an index (case codes, external ids) names, and its contact.
fn indexed(
    c: &ContactState,
    key: &(SiteId, String),
    index: &std::collections::HashMap<(SiteId, String), shared::TimelineItemId>,
) -> Option<(ContactId, TimelineItem)> {
    let (holder, item) = c.items.get(index.get(key)?)?;
    Some((c.survivor(holder)?, item.clone()))
}

#[async_trait]
impl ContactStore for EmbeddedStore {
    async fn create_contact(&self, contact: &Contact) -> StoreResult<()> {
        let mut contact = contact.clone();
        contact.identities = normalised_identities(&contact.identities);
        self.with(move |i| {
            let c = &i.state.contacts;
            if c.survivor(&contact.id).is_some() {
                return Err(StoreError::Conflict("contact exists"));
            }
            let taken = contact
                .identities
                .iter()
                .any(|id| c.by_identity.contains_key(&identity_key(&contact.site, id)));
            if taken {
                return Err(StoreError::Conflict("identity held by another contact"));
            }
            change(i, ContactOp::CreateContact(contact))
        })
        .await
    }

    async fn contact(&self, id: &ContactId) -> StoreResult<Option<Contact>> {
        let id = id.clone();
        self.with(move |i| Ok(i.state.contacts.live(&id).cloned()))
            .await
    }

    async fn contact_by_identity(
        &self,
        site: &SiteId,
        kind: IdentityKind,
        value: &str,
    ) -> StoreResult<Option<ContactId>> {
        let key = (site.clone(), kind, Identity::normalise(kind, value));
        self.with(move |i| {
            let c = &i.state.contacts;
            Ok(c.by_identity.get(&key).and_then(|id| c.survivor(id)))
        })
        .await
    }

    async fn add_identity(&self, contact: &ContactId, identity: &Identity) -> StoreResult<()> {
        let (contact, identity) = (contact.clone(), normalised(identity));
        self.with(move |i| {
            let c = &i.state.contacts;
            let record = live(c, &contact)?;
            let holder = c.by_identity.get(&identity_key(&record.site, &identity));
            if holder.is_some_and(|h| c.survivor(h).as_ref() != Some(&record.id)) {
                return Err(StoreError::Conflict("identity held by another contact"));
            }
            let contact = record.id;
            change(i, ContactOp::AddIdentity { contact, identity })
        })
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
        self.with(move |i| {
            let contact = survivor(&i.state.contacts, &contact)?;
            let op = ContactOp::UpdateContact {
                contact: contact.clone(),
                name,
                attributes,
            };
            change(i, op)?;
            live(&i.state.contacts, &contact)
        })
        .await
    }

    async fn visitor_contact(&self, visitor: &VisitorId) -> StoreResult<Option<ContactId>> {
        let visitor = visitor.clone();
        self.with(move |i| {
            let c = &i.state.contacts;
            Ok(c.visitor_contact
                .get(&visitor)
                .and_then(|id| c.survivor(id)))
        })
        .await
    }

    async fn link_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()> {
        let (visitor, contact) = (visitor.clone(), contact.clone());
        self.with(move |i| {
            let record = live(&i.state.contacts, &contact)?;
            let site = i.state.visitors.get(&visitor).map(|v| &v.site);
            if site != Some(&record.site) {
                return Err(StoreError::NotFound);
            }
            let contact = record.id;
            change(
                i,
                ContactOp::LinkVisitor {
                    visitor,
                    contact,
                    proven: false,
                },
            )
        })
        .await
    }

    async fn contact_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>> {
        let contact = contact.clone();
        self.with(move |i| {
            let c = &i.state.contacts;
            let Some(id) = c.survivor(&contact) else {
                return Ok(Vec::new());
            };
            Ok(c.visitors.get(&id).into_iter().flatten().cloned().collect())
        })
        .await
    }

    async fn record(
        &self,
        site: &SiteId,
        contact: &ContactId,
        item: &TimelineItem,
    ) -> StoreResult<Recorded> {
        let (site, contact, item) = (site.clone(), contact.clone(), item.clone());
        self.with(move |i| {
            let c = &i.state.contacts;
            if let Some(external) = &item.external_id {
                let key = (site.clone(), external.clone());
                if let Some((contact, item)) = indexed(c, &key, &c.external) {
                    return Ok(Recorded {
                        item,
                        contact,
                        duplicate: true,
                    });
                }
            }
            let record = live(c, &contact)?;
            if record.site != site {
                return Err(StoreError::NotFound);
            }
            if c.items.contains_key(&item.id) {
                return Err(StoreError::Conflict("timeline item exists"));
            }
            let contact = record.id;
            let recorded = Recorded {
                item: item.clone(),
                contact: contact.clone(),
                duplicate: false,
            };
            change(i, ContactOp::Record { contact, item })?;
            Ok(recorded)
        })
        .await
    }

    async fn item_by_external_id(
        &self,
        site: &SiteId,
        external_id: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>> {
        let key = (site.clone(), external_id.to_owned());
        self.with(move |i| {
            let c = &i.state.contacts;
            Ok(indexed(c, &key, &c.external))
        })
        .await
    }

    async fn timeline(
        &self,
        contact: &ContactId,
        before: Option<&TimelineCursor>,
        limit: usize,
    ) -> StoreResult<Vec<TimelineItem>> {
        let contact = contact.clone();
        let before = before.map(|c| (c.at_ms, c.id.clone()));
        self.with(move |i| {
            let c = &i.state.contacts;
            let Some(id) = c.survivor(&contact) else {
                return Ok(Vec::new());
            };
            Ok(c.timelines
                .get(&id)
                .into_iter()
                .flat_map(|t| t.iter().rev())
                .filter(|(at, id)| {
                    before
                        .as_ref()
                        .is_none_or(|(b_at, b_id)| (*at, id) < (*b_at, b_id))
                })
                .take(limit)
                .filter_map(|(_, item)| c.items.get(item).map(|(_, item)| item.clone()))
                .collect())
        })
        .await
    }

    async fn next_case_number(&self, site: &SiteId) -> StoreResult<u64> {
        let site = site.clone();
        self.with(move |i| take_case_number(i, &site)).await
    }

    async fn find_case(
        &self,
        site: &SiteId,
        code: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>> {
        let key = (site.clone(), code.to_owned());
        self.with(move |i| {
            let c = &i.state.contacts;
            Ok(indexed(c, &key, &c.cases))
        })
        .await
    }

    async fn search_contacts(
        &self,
        site: &SiteId,
        query: &str,
        limit: usize,
    ) -> StoreResult<Vec<Contact>> {
        let (site, query) = (site.clone(), query.to_owned());
        self.with(move |i| {
            let c = &i.state.contacts;
            let by_identity = identity_queries(&query)
                .into_iter()
                .filter_map(|(kind, value)| c.by_identity.get(&(site.clone(), kind, value)))
                .filter_map(|id| c.live(id).cloned())
                .collect();
            let by_name = scan_word(&query)
                .map(|word| c.named(&site, &word))
                .unwrap_or_default()
                .into_iter()
                .filter(|x| name_matches(x.name.as_deref(), &query))
                .cloned()
                .collect();
            Ok(rank_search(by_identity, by_name, limit))
        })
        .await
    }

    async fn take_identity(
        &self,
        contact: &ContactId,
        identity: &Identity,
    ) -> StoreResult<Option<ContactId>> {
        let (contact, identity) = (contact.clone(), identity.clone());
        self.with(move |i| proof::take_identity(i, &contact, &identity))
            .await
    }

    async fn prove_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()> {
        let (visitor, contact) = (visitor.clone(), contact.clone());
        self.with(move |i| proof::prove_visitor(i, visitor, &contact))
            .await
    }

    async fn proven_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>> {
        let contact = contact.clone();
        self.with(move |i| Ok(proof::proven_visitors(&i.state.contacts, &contact)))
            .await
    }

    async fn propose_merge(&self, proposal: &MergeProposal) -> StoreResult<()> {
        let proposal = proposal.clone();
        self.with(move |i| proposals::propose(i, proposal)).await
    }

    async fn merge_proposals(&self, contact: &ContactId) -> StoreResult<Vec<MergeProposal>> {
        let contact = contact.clone();
        self.with(move |i| Ok(proposals::involving(&i.state.contacts, &contact)))
            .await
    }

    async fn resolve_merge(
        &self,
        proposal: &MergeProposalId,
        decision: MergeDecision,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Contact> {
        let (id, agent) = (proposal.clone(), agent.clone());
        self.with(move |i| proposals::settle(i, &id, decision, &agent, at_ms))
            .await
    }
}
