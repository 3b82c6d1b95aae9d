//! Widget chats on the customer record. Every visitor gets a contact with
//! its first conversation (anonymous until it gives details or proves who
//! it is), each conversation becomes a chat item on that contact's
//! timeline carrying its case code (so agents and the API find the case by
//! code), and what the visitor types in the pre-chat form is added as
//! unverified identities, which never reveal anyone else's history.

use shared::card::{given, PrechatDetails};
use shared::contacts::{Channel, Direction, Identity, IdentityKind, TimelineItem};
use shared::{ContactId, TimelineItemId};

use super::resolve::{resolve_contact, Claim, Resolved};
use crate::store::{Conversation, Store, StoreResult, VisitorRecord};

/// The contact the visitor is linked to, or a new anonymous one holding
/// the visitor's own id (verified: the relay issued it).
pub async fn contact_of_visitor(
    store: &dyn Store,
    visitor: &VisitorRecord,
    now_ms: u64,
) -> StoreResult<ContactId> {
    if let Some(contact) = store.visitor_contact(&visitor.id).await? {
        return Ok(contact);
    }
    let claim = Claim {
        identities: vec![visitor_identity(visitor)],
        ..Claim::default()
    };
    let resolved = resolve_contact(store, &visitor.site, &claim, None, now_ms).await?;
    store.link_visitor(&visitor.id, &resolved.contact).await?;
    Ok(resolved.contact)
}

/// The identity every visitor's contact holds.
pub fn visitor_identity(visitor: &VisitorRecord) -> Identity {
    Identity::new(IdentityKind::Visitor, visitor.id.as_str(), true)
}

/// Adds the pre-chat form's answers to `contact`, unverified. An email or
/// phone another contact holds stays there and becomes a merge proposal.
pub async fn take_details(
    store: &dyn Store,
    visitor: &VisitorRecord,
    contact: &ContactId,
    details: &PrechatDetails,
    now_ms: u64,
) -> StoreResult<Resolved> {
    let mut identities = Vec::new();
    if let Some(email) = given(&details.email) {
        identities.push(Identity::new(IdentityKind::Email, email, false));
    }
    if let Some(phone) = given(&details.phone) {
        identities.push(Identity::new(IdentityKind::Phone, phone, false));
    }
    let claim = Claim {
        name: given(&details.name).map(str::to_owned),
        identities,
        ..Claim::default()
    };
    resolve_contact(store, &visitor.site, &claim, Some(contact), now_ms).await
}

/// Puts a new conversation on the contact's timeline. Its id derives from
/// the conversation's, so recording twice is a conflict, not a copy.
pub async fn record_chat(
    store: &dyn Store,
    contact: &ContactId,
    conversation: &Conversation,
) -> StoreResult<()> {
    let item = TimelineItem {
        id: TimelineItemId(format!("{}-chat", conversation.id)),
        channel: Channel::Chat,
        direction: Direction::In,
        at_ms: conversation.created_at_ms,
        text: "Chat conversation".to_owned(),
        agent: None,
        case_code: conversation.case_code.clone(),
        external_id: None,
        conversation: Some(conversation.id.clone()),
        csat: None,
    };
    store.record(&conversation.site, contact, &item).await?;
    Ok(())
}
