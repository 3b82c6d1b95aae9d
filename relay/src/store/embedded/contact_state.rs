//! The customer record's part of the embedded state and the journaled
//! operations that change it. Like [`super::state::State::apply`], apply
//! never fails: `contacts` validates each operation first (under the same
//! lock), so replaying the journal rebuilds exactly what was acknowledged.
//! Operations name contacts by their surviving id, already resolved.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use shared::contacts::{Contact, Identity, IdentityKind, MergeProposal, TimelineItem};
use shared::{ContactId, MergeProposalId, SiteId, TimelineItemId, VisitorId};

use crate::store::contacts::{name_words, MAX_FORWARDS, MAX_NAME_SCAN};

/// One journaled change to the customer record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub(super) enum ContactOp {
    /// Identities already normalised and deduplicated.
    CreateContact(Contact),
    AddIdentity {
        contact: ContactId,
        identity: Identity,
    },
    UpdateContact {
        contact: ContactId,
        name: Option<String>,
        attributes: BTreeMap<String, String>,
    },
    /// `proven`: linked by a signed identity (journals written before
    /// proofs existed read as unproven).
    LinkVisitor {
        visitor: VisitorId,
        contact: ContactId,
        #[serde(default)]
        proven: bool,
    },
    /// A verified identity moves from `from`, which held it unverified.
    TakeIdentity {
        from: ContactId,
        contact: ContactId,
        identity: Identity,
    },
    Record {
        contact: ContactId,
        item: TimelineItem,
    },
    CaseNumber {
        site: SiteId,
        number: u64,
    },
    ProposeMerge(MergeProposal),
    RejectMerge {
        proposal: MergeProposalId,
    },
    /// `item` is the merge's own timeline item (see `contacts::merge_item`).
    AcceptMerge {
        proposal: MergeProposalId,
        item: TimelineItem,
    },
}

pub(super) type IdentityKey = (SiteId, IdentityKind, String);

/// The index key of an identity on a site.
pub(super) fn identity_key(site: &SiteId, identity: &Identity) -> IdentityKey {
    (site.clone(), identity.kind, identity.value.clone())
}

/// The unordered pair a proposal is deduplicated by.
fn pair(a: &ContactId, b: &ContactId) -> (ContactId, ContactId) {
    if a <= b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct ContactState {
    /// Live contacts; a merged-away one is only in `forwards`.
    pub(super) contacts: HashMap<ContactId, Contact>,
    pub(super) forwards: HashMap<ContactId, ContactId>,
    #[serde(with = "super::as_pairs")]
    pub(super) by_identity: HashMap<IdentityKey, ContactId>,
    /// Every item, with the contact it is on now.
    pub(super) items: HashMap<TimelineItemId, (ContactId, TimelineItem)>,
    /// Each contact's items by (at_ms, id): reversed, newest first.
    pub(super) timelines: HashMap<ContactId, BTreeSet<(u64, TimelineItemId)>>,
    #[serde(with = "super::as_pairs")]
    pub(super) external: HashMap<(SiteId, String), TimelineItemId>,
    #[serde(with = "super::as_pairs")]
    pub(super) cases: HashMap<(SiteId, String), TimelineItemId>,
    pub(super) case_seq: HashMap<SiteId, u64>,
    pub(super) visitor_contact: HashMap<VisitorId, ContactId>,
    pub(super) visitors: HashMap<ContactId, BTreeSet<VisitorId>>,
    /// Visitors linked by a signed identity (see `contact_proof`).
    pub(super) proven: HashSet<VisitorId>,
    pub(super) proposals: HashMap<MergeProposalId, MergeProposal>,
    #[serde(with = "super::as_pairs")]
    pub(super) pairs: HashMap<(ContactId, ContactId), MergeProposalId>,
    /// Live contacts' name words (see `contacts::name_words`), for search
    /// by prefix without walking every contact.
    pub(super) names: BTreeSet<(SiteId, String, ContactId)>,
}

/// A blank name is no name (as in Redis, where it is an absent field).
fn clean_name(name: Option<String>) -> Option<String> {
    name.filter(|n| !n.is_empty())
}

impl ContactState {
    /// The live contact `id` forwards to (itself when not merged).
    pub(super) fn survivor(&self, id: &ContactId) -> Option<ContactId> {
        let mut id = id;
        for _ in 0..MAX_FORWARDS {
            if self.contacts.contains_key(id) {
                return Some(id.clone());
            }
            id = self.forwards.get(id)?;
        }
        None
    }

    pub(super) fn live(&self, id: &ContactId) -> Option<&Contact> {
        self.contacts.get(&self.survivor(id)?)
    }

    /// Applies `op`, keeping the name index in step with the names it may
    /// change (created, renamed, merged away or taken over).
    pub(super) fn apply(&mut self, op: ContactOp) {
        let renamed: Vec<ContactId> = match &op {
            ContactOp::CreateContact(c) => vec![c.id.clone()],
            ContactOp::UpdateContact { contact, .. } => vec![contact.clone()],
            ContactOp::AcceptMerge { proposal, .. } => self
                .proposals
                .get(proposal)
                .map(|p| vec![p.from.clone(), p.into.clone()])
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        for id in &renamed {
            self.index_name(id, false);
        }
        self.apply_op(op);
        for id in &renamed {
            self.index_name(id, true);
        }
    }

    /// Adds (or removes) the live contact `id`'s name words to the index.
    pub(super) fn index_name(&mut self, id: &ContactId, add: bool) {
        let Some(contact) = self.contacts.get(id) else {
            return;
        };
        let words = contact.name.as_deref().map(name_words).unwrap_or_default();
        for word in words {
            let entry = (contact.site.clone(), word, id.clone());
            if add {
                self.names.insert(entry);
            } else {
                self.names.remove(&entry);
            }
        }
    }

    /// Up to [`MAX_NAME_SCAN`] live contacts of `site` with a name word
    /// beginning with `prefix`, each once.
    pub(super) fn named(&self, site: &SiteId, prefix: &str) -> Vec<&Contact> {
        let start = (site.clone(), prefix.to_owned(), ContactId(String::new()));
        let mut ids: Vec<&ContactId> = self
            .names
            .range(start..)
            .take_while(|(s, word, _)| s == site && word.starts_with(prefix))
            .take(MAX_NAME_SCAN)
            .map(|(_, _, id)| id)
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.contacts.get(id))
            .collect()
    }

    fn apply_op(&mut self, op: ContactOp) {
        match op {
            ContactOp::CreateContact(mut contact) => {
                contact.name = clean_name(contact.name);
                contact.attributes.retain(|_, v| !v.is_empty());
                let identities = std::mem::take(&mut contact.identities);
                let id = contact.id.clone();
                self.contacts.insert(id.clone(), contact);
                for identity in identities {
                    self.put_identity(&id, identity);
                }
            }
            ContactOp::AddIdentity { contact, identity } => self.put_identity(&contact, identity),
            ContactOp::TakeIdentity {
                from,
                contact,
                identity,
            } => {
                if let Some(holder) = self.contacts.get_mut(&from) {
                    holder
                        .identities
                        .retain(|i| i.kind != identity.kind || i.value != identity.value);
                }
                self.put_identity(&contact, identity);
            }
            ContactOp::UpdateContact {
                contact,
                name,
                attributes,
            } => {
                let Some(record) = self.contacts.get_mut(&contact) else {
                    return;
                };
                if name.is_some() {
                    record.name = clean_name(name);
                }
                for (key, value) in attributes {
                    if value.is_empty() {
                        record.attributes.remove(&key);
                    } else {
                        record.attributes.insert(key, value);
                    }
                }
            }
            ContactOp::LinkVisitor {
                visitor,
                contact,
                proven,
            } => {
                if proven {
                    self.proven.insert(visitor.clone());
                }
                if let Some(old) = self
                    .visitor_contact
                    .insert(visitor.clone(), contact.clone())
                {
                    self.visitors.entry(old).or_default().remove(&visitor);
                }
                self.visitors.entry(contact).or_default().insert(visitor);
            }
            ContactOp::Record { contact, item } => self.put_item(contact, item),
            ContactOp::CaseNumber { site, number } => {
                self.case_seq.insert(site, number);
            }
            ContactOp::ProposeMerge(proposal) => {
                self.pairs
                    .insert(pair(&proposal.from, &proposal.into), proposal.id.clone());
                self.proposals.insert(proposal.id.clone(), proposal);
            }
            ContactOp::RejectMerge { proposal } => {
                self.drop_proposal(&proposal);
            }
            ContactOp::AcceptMerge { proposal, item } => self.merge(&proposal, item),
        }
    }

    /// Adds the identity to the contact and the index; an existing copy
    /// only ever becomes verified. Identities stay ordered by kind, value.
    pub(super) fn put_identity(&mut self, contact: &ContactId, identity: Identity) {
        let Some(record) = self.contacts.get_mut(contact) else {
            return;
        };
        self.by_identity
            .insert(identity_key(&record.site, &identity), contact.clone());
        let list = &mut record.identities;
        let key = |i: &Identity| (i.kind, i.value.clone());
        match list.binary_search_by_key(&key(&identity), key) {
            Ok(at) => list[at].verified |= identity.verified,
            Err(at) => list.insert(at, identity),
        }
    }

    pub(super) fn put_item(&mut self, contact: ContactId, item: TimelineItem) {
        let Some(site) = self.contacts.get(&contact).map(|c| c.site.clone()) else {
            return;
        };
        if let Some(external) = &item.external_id {
            self.external
                .insert((site.clone(), external.clone()), item.id.clone());
        }
        if let Some(code) = &item.case_code {
            self.cases
                .entry((site, code.clone()))
                .or_insert_with(|| item.id.clone());
        }
        self.timelines
            .entry(contact.clone())
            .or_default()
            .insert((item.at_ms, item.id.clone()));
        self.items.insert(item.id.clone(), (contact, item));
    }

    /// Whether the pair is already proposed, either way round.
    pub(super) fn is_proposed(&self, a: &ContactId, b: &ContactId) -> bool {
        self.pairs.contains_key(&pair(a, b))
    }

    pub(super) fn drop_proposal(&mut self, id: &MergeProposalId) -> Option<MergeProposal> {
        let proposal = self.proposals.remove(id)?;
        self.pairs.remove(&pair(&proposal.from, &proposal.into));
        Some(proposal)
    }
}
