//! A contact's whole record, for the person it is about (the GDPR right
//! of access): identities, attributes, every timeline item, open merge
//! proposals, the linked visitors and every conversation of theirs with
//! its messages. Read for one site's key; each export is logged.

pub use shared::privacy::{ContactExport, ExportedConversation};
use shared::{ChatMessage, ContactId};

use super::{ConversationService, ServiceResult};
use crate::customers::card::next_cursor;
use crate::customers::identify::conversations_of;
use crate::store::Site;

/// Items or messages read per store call while exporting.
const PAGE: usize = 500;

impl ConversationService {
    /// The whole record of one of the site's contacts.
    pub async fn export_contact(
        &self,
        site: &Site,
        contact: &ContactId,
    ) -> ServiceResult<ContactExport> {
        let store = self.store.as_ref();
        let contact = self.site_contact(site, contact).await?;
        let mut timeline = Vec::new();
        let mut before = None;
        loop {
            let page = store.timeline(&contact.id, before.as_ref(), PAGE).await?;
            before = next_cursor(&page, PAGE);
            timeline.extend(page);
            if before.is_none() {
                break;
            }
        }
        let visitors = store.contact_visitors(&contact.id).await?;
        let mut conversations = Vec::new();
        for conversation in conversations_of(store, &visitors).await? {
            let mut messages = Vec::new();
            loop {
                let after = messages.last().map_or(0, |m: &ChatMessage| m.seq);
                let page = self.history(&conversation.id, after, PAGE).await?;
                let done = page.len() < PAGE;
                messages.extend(page);
                if done {
                    break;
                }
            }
            conversations.push(ExportedConversation {
                conversation: conversation.summary(),
                messages,
            });
        }
        tracing::info!(site = %site.id, contact = %contact.id, "contact record exported");
        Ok(ContactExport {
            exported_at_ms: crate::now_ms(),
            merge_proposals: store.merge_proposals(&contact.id).await?,
            contact,
            timeline,
            visitors,
            conversations,
        })
    }
}
