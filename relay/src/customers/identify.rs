//! A visitor proving who they are with the site's signed token
//! (`Switchboard.identify`): the token is verified with the site's secret,
//! the contact is found or made from the verified `sub` (and `email`), and
//! the visitor is linked to it — from then on the visitor reads the
//! conversations of every visitor linked to the same contact (their other
//! devices), and agents see one card.
//!
//! A visitor already proven to be another user is refused
//! (`identity_conflict`): on a shared computer the next person must not
//! inherit the last one's chats; the widget starts a fresh visitor instead.

use shared::contacts::{Identity, IdentityKind, MergeDecision, MergeProposal};
use shared::{AgentId, ContactId, MergeProposalId, VisitorId};

use super::chat_record::visitor_identity;
use super::resolve::{resolve_contact, Claim};
use crate::identity::jwt::{verify, IdentityError, VerifiedIdentity};
use crate::secrets::new_id;
use crate::store::{Conversation, Site, Store, StoreError, VisitorRecord};

/// A successful identify.
#[derive(Debug, Clone)]
pub struct Identified {
    pub contact: ContactId,
    pub name: Option<String>,
    /// The contact's other visitors (this one excluded).
    pub linked: Vec<VisitorId>,
}

/// Why identify was refused; nothing was linked.
#[derive(Debug, thiserror::Error)]
pub enum IdentifyError {
    #[error("this site does not accept identity tokens (it has no identity secret)")]
    NotEnabled,
    #[error(transparent)]
    Token(#[from] IdentityError),
    #[error("this visitor is already identified as someone else; start a new visitor")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Verifies `token` and links `visitor` to its contact.
pub async fn identify(
    store: &dyn Store,
    site: &Site,
    visitor: &VisitorRecord,
    token: &str,
    now_ms: u64,
    max_lifetime_secs: u64,
) -> Result<Identified, IdentifyError> {
    let verified = verified_token(site, token, now_ms, max_lifetime_secs)?;
    let mut identities = vec![Identity::new(
        IdentityKind::External,
        &verified.subject,
        true,
    )];
    if let Some(email) = &verified.email {
        identities.push(Identity::new(IdentityKind::Email, email, true));
    }
    // The visitor's own record (if any) may belong to this user or be
    // anonymous; one that another user id proved is someone else's.
    let current = store.visitor_contact(&visitor.id).await?;
    if let Some(current) = &current {
        let someone_else = store.contact(current).await?.is_some_and(|c| {
            c.identities.iter().any(|i| {
                i.kind == IdentityKind::External && i.verified && i.value != identities[0].value
            })
        });
        if someone_else {
            return Err(IdentifyError::Conflict);
        }
    }
    let claim = Claim {
        name: verified.name.clone(),
        identities,
        attributes: Default::default(),
    };
    // The user's record if they have one; else the visitor's anonymous
    // one becomes theirs.
    let resolved = resolve_contact(store, &site.id, &claim, current.as_ref(), now_ms).await?;
    if let Some(current) = current.filter(|c| *c != resolved.contact) {
        adopt_anonymous(store, visitor, &current, &resolved.contact, now_ms).await?;
    }
    store.prove_visitor(&visitor.id, &resolved.contact).await?;
    let linked = linked_visitors(store, &visitor.id).await?;
    let name = match verified.name {
        Some(name) => Some(name),
        None => store.contact(&resolved.contact).await?.and_then(|c| c.name),
    };
    Ok(Identified {
        contact: resolved.contact,
        name,
        linked,
    })
}

/// The token's identity, checked with the site's secret (or the one before
/// the last rotation, while its grace lasts) and the lifetime cap.
fn verified_token(
    site: &Site,
    token: &str,
    now_ms: u64,
    max_lifetime_secs: u64,
) -> Result<VerifiedIdentity, IdentifyError> {
    let secret = site
        .identity_secret
        .as_deref()
        .ok_or(IdentifyError::NotEnabled)?;
    let now_secs = now_ms / 1000;
    let verified = match verify(token, site.id.as_str(), secret.as_bytes(), now_secs) {
        Err(IdentityError::BadSignature) => match previous_secret(site, now_ms) {
            Some(old) => verify(token, site.id.as_str(), old.as_bytes(), now_secs)?,
            None => return Err(IdentityError::BadSignature.into()),
        },
        other => other?,
    };
    // A leaked token is a key to the user's chats until it expires: the
    // site must not issue ones that live for months.
    if verified.expires_at > now_secs.saturating_add(max_lifetime_secs) {
        return Err(IdentityError::TooLongLived(max_lifetime_secs).into());
    }
    Ok(verified)
}

/// The secret before the last rotation, while its grace lasts.
fn previous_secret(site: &Site, now_ms: u64) -> Option<&str> {
    let until = site.previous_secret_until_ms?;
    (now_ms < until)
        .then_some(site.previous_identity_secret.as_deref())
        .flatten()
}

/// The visitor's anonymous record (its chats so far, what it typed in the
/// pre-chat form) joins the user's record it just proved to be: a merge,
/// recorded on the timeline like an agent's, but decided by the site's
/// signature. Only this visitor's own record moves; nobody else's.
async fn adopt_anonymous(
    store: &dyn Store,
    visitor: &VisitorRecord,
    anonymous: &ContactId,
    user: &ContactId,
    now_ms: u64,
) -> Result<(), StoreError> {
    let proposal = MergeProposal {
        id: MergeProposalId(new_id("mp")),
        from: anonymous.clone(),
        into: user.clone(),
        matched: visitor_identity(visitor),
        created_at_ms: now_ms,
    };
    store.propose_merge(&proposal).await?;
    store
        .resolve_merge(
            &proposal.id,
            MergeDecision::Accept,
            &AgentId::from(SIGNED_IDENTITY),
            now_ms,
        )
        .await?;
    Ok(())
}

/// Who the timeline names as having merged a visitor's anonymous record.
pub const SIGNED_IDENTITY: &str = "signed identity";

/// The visitors whose conversations `visitor` may read besides its own:
/// the other *proven* visitors of its contact, if it is proven itself
/// (the same person, by the site's signature). A visitor linked only by
/// being merged or by what it typed reads nothing but its own.
pub async fn linked_visitors(
    store: &dyn Store,
    visitor: &VisitorId,
) -> Result<Vec<VisitorId>, StoreError> {
    let Some(contact) = store.visitor_contact(visitor).await? else {
        return Ok(Vec::new());
    };
    let mut proven = store.proven_visitors(&contact).await?;
    if !proven.contains(visitor) {
        return Ok(Vec::new());
    }
    proven.retain(|v| v != visitor);
    Ok(proven)
}

/// Every conversation of `visitors`, oldest first.
pub async fn conversations_of(
    store: &dyn Store,
    visitors: &[VisitorId],
) -> Result<Vec<Conversation>, StoreError> {
    let mut all = Vec::new();
    for visitor in visitors {
        all.extend(store.visitor_conversations(visitor).await?);
    }
    all.sort_by(|a, b| a.created_at_ms.cmp(&b.created_at_ms).then(a.id.cmp(&b.id)));
    Ok(all)
}
