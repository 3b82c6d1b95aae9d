//! What only a signed identity may do, in the embedded store: take a
//! verified identity from a contact that holds it unverified (someone
//! typed it), and mark a visitor proven, which is what lets it read its
//! contact's other proven visitors' chats. The ops are applied in
//! `contact_state`.

use shared::contacts::Identity;
use shared::{ContactId, VisitorId};

use super::contact_state::{identity_key, ContactOp, ContactState};
use super::contacts::{change, live};
use super::Inner;
use crate::store::contacts::normalised;
use crate::store::{StoreError, StoreResult};

pub(super) fn take_identity(
    i: &mut Inner,
    contact: &ContactId,
    identity: &Identity,
) -> StoreResult<Option<ContactId>> {
    let identity = Identity {
        verified: true,
        ..normalised(identity)
    };
    let c = &i.state.contacts;
    let record = live(c, contact)?;
    let holder = c
        .by_identity
        .get(&identity_key(&record.site, &identity))
        .and_then(|h| c.survivor(h))
        .filter(|h| *h != record.id);
    let Some(holder) = holder else {
        let op = ContactOp::AddIdentity {
            contact: record.id,
            identity,
        };
        return change(i, op).map(|()| None);
    };
    if holds_verified(c, &holder, &identity) {
        return Err(StoreError::Conflict(
            "identity held verified by another contact",
        ));
    }
    let op = ContactOp::TakeIdentity {
        from: holder.clone(),
        contact: record.id,
        identity,
    };
    change(i, op).map(|()| Some(holder))
}

fn holds_verified(c: &ContactState, holder: &ContactId, identity: &Identity) -> bool {
    c.contacts.get(holder).is_some_and(|h| {
        h.identities
            .iter()
            .any(|i| i.kind == identity.kind && i.value == identity.value && i.verified)
    })
}

pub(super) fn prove_visitor(
    i: &mut Inner,
    visitor: VisitorId,
    contact: &ContactId,
) -> StoreResult<()> {
    let record = live(&i.state.contacts, contact)?;
    let site = i.state.visitors.get(&visitor).map(|v| &v.site);
    if site != Some(&record.site) {
        return Err(StoreError::NotFound);
    }
    let op = ContactOp::LinkVisitor {
        visitor,
        contact: record.id,
        proven: true,
    };
    change(i, op)
}

pub(super) fn proven_visitors(c: &ContactState, contact: &ContactId) -> Vec<VisitorId> {
    let Some(id) = c.survivor(contact) else {
        return Vec::new();
    };
    c.visitors
        .get(&id)
        .into_iter()
        .flatten()
        .filter(|v| c.proven.contains(*v))
        .cloned()
        .collect()
}
