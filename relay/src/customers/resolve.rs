//! From claimed identities to a contact. The steps, each atomic in the
//! store, in an order that can never merge two people silently nor let a
//! typed identity win over a proven one:
//! 1. the first *verified* identity that an existing contact holds
//!    *verified* picks that contact (the site vouched for both); a holder
//!    whose copy is unverified (someone typed it) is never found this way,
//!    or typing a customer's email would hand the attacker her record;
//! 2. otherwise the caller's fallback (the visitor's own record, when a
//!    visitor identifies) or a new contact;
//! 3. every claimed identity is then added to the chosen contact. A
//!    verified one takes the identity from a contact holding it unverified
//!    (a line on both timelines says so); one that another contact holds
//!    otherwise is not moved — the pair becomes a merge proposal an admin
//!    accepts or rejects.

use std::collections::BTreeMap;

use shared::contacts::{Channel, Contact, Direction, Identity, MergeProposal, TimelineItem};
use shared::{ContactId, MergeProposalId, SiteId, TimelineItemId};

use crate::secrets::new_id;
use crate::store::contacts::wire_word;
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
        if let Some(id) = verified_holder(store, site, identity).await? {
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
    let proposals = add_identities(store, site, claim, &contact, now_ms).await?;
    Ok(Resolved {
        contact,
        existing,
        proposals,
    })
}

/// Adds every claimed identity to `contact` (step 3 of the module docs);
/// returns the merge proposals raised for identities others hold.
async fn add_identities(
    store: &dyn Store,
    site: &SiteId,
    claim: &Claim,
    contact: &ContactId,
    now_ms: u64,
) -> StoreResult<Vec<MergeProposal>> {
    let mut proposals = Vec::new();
    for identity in &claim.identities {
        let added = if identity.verified {
            match store.take_identity(contact, identity).await {
                Ok(Some(from)) => {
                    record_taken(store, site, identity, &from, contact, now_ms).await?;
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            }
        } else {
            store.add_identity(contact, identity).await
        };
        match added {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                let Some(holder) = store
                    .contact_by_identity(site, identity.kind, &identity.value)
                    .await?
                else {
                    continue;
                };
                if holder == *contact {
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
    Ok(proposals)
}

/// The contact holding `identity` verified, if one does.
async fn verified_holder(
    store: &dyn Store,
    site: &SiteId,
    identity: &Identity,
) -> StoreResult<Option<ContactId>> {
    let Some(holder) = store
        .contact_by_identity(site, identity.kind, &identity.value)
        .await?
    else {
        return Ok(None);
    };
    let wanted = Identity::new(identity.kind, &identity.value, true);
    let verified = store.contact(&holder).await?.is_some_and(|c| {
        c.identities
            .iter()
            .any(|i| i.kind == wanted.kind && i.value == wanted.value && i.verified)
    });
    Ok(verified.then_some(holder))
}

/// Puts a line on both timelines when a verified claim took an identity
/// from a contact that held it unverified: the agent reading either
/// record sees where it went and why.
async fn record_taken(
    store: &dyn Store,
    site: &SiteId,
    identity: &Identity,
    from: &ContactId,
    to: &ContactId,
    now_ms: u64,
) -> StoreResult<()> {
    let what = format!("{} {}", wire_word(identity.kind), identity.value);
    let lines = [
        (from, format!("{what} was proven by {to}'s signed identity and moved there; it had been typed here unverified")),
        (to, format!("{what} was proven by a signed identity and taken from {from}, which held it unverified")),
    ];
    for (contact, text) in lines {
        let item = TimelineItem {
            id: TimelineItemId(new_id("it")),
            channel: Channel::System,
            direction: Direction::Out,
            at_ms: now_ms,
            text,
            agent: None,
            case_code: None,
            external_id: None,
            conversation: None,
            csat: None,
        };
        store.record(site, contact, &item).await?;
    }
    Ok(())
}
