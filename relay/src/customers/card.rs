//! The customer card as the console shows it, assembled from the store:
//! the contact, the newest page of its timeline, its chat conversations
//! (those of every visitor linked to it, so other devices' chats too) and
//! its open merge proposals with the contact on the other side. Also
//! contact search, by name, identity or case code.

use shared::card::{ContactHit, CustomerCard, ProposalView, TimelineCursor};
use shared::contacts::TimelineItem;
use shared::{ContactId, ConversationId, SiteId};

use super::identify::conversations_of;
use crate::identity::case_code::CaseCode;
use crate::store::{Store, StoreResult};

/// Timeline items on a card and per further page.
pub const PAGE_ITEMS: usize = 20;
/// Contacts one search returns at most.
pub const MAX_HITS: usize = 20;
/// The longest search query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// The card of a contact (following merges); `None` if there is none.
pub async fn card(store: &dyn Store, contact: &ContactId) -> StoreResult<Option<CustomerCard>> {
    let Some(contact) = store.contact(contact).await? else {
        return Ok(None);
    };
    let (timeline, next) = timeline_page(store, &contact.id, None).await?;
    let visitors = store.contact_visitors(&contact.id).await?;
    let mut conversations = conversations_of(store, &visitors).await?;
    conversations.reverse();
    let mut proposals = Vec::new();
    for proposal in store.merge_proposals(&contact.id).await? {
        let other = if proposal.from == contact.id {
            &proposal.into
        } else {
            &proposal.from
        };
        if let Some(other) = store.contact(other).await? {
            proposals.push(ProposalView { proposal, other });
        }
    }
    Ok(Some(CustomerCard {
        contact,
        timeline,
        next,
        conversations: conversations.iter().map(|c| c.summary()).collect(),
        proposals,
    }))
}

/// The card of a conversation's customer; `None` if the conversation or
/// its visitor's record does not exist.
pub async fn card_of_conversation(
    store: &dyn Store,
    conversation: &ConversationId,
) -> StoreResult<Option<CustomerCard>> {
    let Some(conversation) = store.conversation(conversation).await? else {
        return Ok(None);
    };
    match store.visitor_contact(&conversation.visitor).await? {
        Some(contact) => card(store, &contact).await,
        None => Ok(None),
    }
}

/// One page of a timeline and the cursor to the next, if there may be one.
pub async fn timeline_page(
    store: &dyn Store,
    contact: &ContactId,
    before: Option<&TimelineCursor>,
) -> StoreResult<(Vec<TimelineItem>, Option<TimelineCursor>)> {
    let items = store.timeline(contact, before, PAGE_ITEMS).await?;
    let next = next_cursor(&items, PAGE_ITEMS);
    Ok((items, next))
}

/// The cursor after a page, if the page was full (there may be more).
pub fn next_cursor(page: &[TimelineItem], limit: usize) -> Option<TimelineCursor> {
    (page.len() == limit)
        .then(|| page.last().map(TimelineCursor::after))
        .flatten()
}

/// Contacts of `sites` matching `query`, at most `limit`: the case it
/// names first (when it reads as a case code), then by identity and name,
/// each once.
pub async fn search(
    store: &dyn Store,
    sites: &[SiteId],
    query: &str,
    limit: usize,
) -> StoreResult<Vec<ContactHit>> {
    let mut hits: Vec<ContactHit> = Vec::new();
    if let Some(code) = CaseCode::parse(query) {
        let code = code.to_string();
        for site in sites {
            if let Some((id, _)) = store.find_case(site, &code).await? {
                if let Some(contact) = store.contact(&id).await? {
                    hits.push(ContactHit {
                        contact,
                        case_code: Some(code.clone()),
                    });
                }
            }
        }
    }
    for site in sites {
        for contact in store.search_contacts(site, query, limit).await? {
            if !hits.iter().any(|h| h.contact.id == contact.id) {
                hits.push(ContactHit {
                    contact,
                    case_code: None,
                });
            }
        }
    }
    hits.truncate(limit);
    Ok(hits)
}
