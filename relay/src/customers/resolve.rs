//! From claimed identities to a contact. The steps, each atomic in the
//! store, in an order that can never merge two people silently:
//! 1. the first *verified* identity that an existing contact holds picks
//!    that contact (the site vouched for it);
//! 2. otherwise the caller's fallback (the visitor's own record, when a
//!    visitor identifies) or a new contact;
//! 3. every claimed identity is then added to the chosen contact; one that
//!    another contact already holds is not moved — the pair becomes a
//!    merge proposal an agent accepts or rejects.

use std::collections::BTreeMap;

use shared::contacts::{Contact, Identity, MergeProposal};
use shared::{ContactId, MergeProposalId, SiteId};

use crate::secrets::new_id;
use crate::store::{Store, StoreError, StoreResult};

/// Who a caller says someone is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claim {
    pub name: Option<String>,
    pub identities: Vec<Identity>,
    pub attributes: BTreeMap<String, String>,
}

/// Where the claim landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub contact: ContactId,
    /// The contact existed before (found by a verified identity).
    pub existing: bool,
    /// Proposals raised for identities other contacts hold.
    pub proposals: Vec<MergeProposal>,
}

/// Finds or makes the contact for `claim` on `site` (see the module docs).
pub async fn resolve_contact(
    store: &dyn Store,
    site: &SiteId,
    claim: &Claim,
    fallback: Option<&ContactId>,
    now_ms: u64,
) -> StoreResult<Resolved> {
    let mut found = None;
    for identity in claim.identities.iter().filter(|i| i.verified) {
        if let Some(id) = store
            .contact_by_identity(site, identity.kind, &identity.value)
            .await?
        {
            found = Some(id);
            break;
        }
    }
    let existing = found.is_some() || fallback.is_some();
    let contact = match found.or_else(|| fallback.cloned()) {
        Some(id) => id,
        None => {
            let contact = Contact {
                id: ContactId(new_id("ct")),
                site: site.clone(),
                name: claim.name.clone(),
                identities: Vec::new(),
                attributes: BTreeMap::new(),
                created_at_ms: now_ms,
            };
            store.create_contact(&contact).await?;
            contact.id
        }
    };
    if (existing && claim.name.is_some()) || !claim.attributes.is_empty() {
        // A name the site vouches for (or states) is the current one.
        store
            .update_contact(&contact, claim.name.as_deref(), &claim.attributes)
            .await?;
    }
    let mut proposals = Vec::new();
    for identity in &claim.identities {
        match store.add_identity(&contact, identity).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                let Some(holder) = store
                    .contact_by_identity(site, identity.kind, &identity.value)
                    .await?
                else {
                    continue;
                };
                if holder == contact {
                    continue;
                }
                let proposal = MergeProposal {
                    id: MergeProposalId(new_id("mp")),
                    from: contact.clone(),
                    into: holder,
                    matched: identity.clone(),
                    created_at_ms: now_ms,
                };
                store.propose_merge(&proposal).await?;
                proposals.push(proposal);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Resolved {
        contact,
        existing,
        proposals,
    })
}
