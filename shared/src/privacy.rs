//! What the GDPR rights of access and erasure produce, as the REST API and
//! the console both receive it: a contact's whole record, and the report
//! of an erasure.

use serde::{Deserialize, Serialize};

use crate::contacts::{Contact, MergeProposal, TimelineItem};
use crate::{ChatMessage, ContactId, ConversationSummary, VisitorId};

/// What an erased message's text becomes (clients may show it as a note).
pub const ERASED_TEXT: &str = "[erased at the customer's request]";

/// Everything stored about one contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactExport {
    pub exported_at_ms: u64,
    pub contact: Contact,
    /// Newest first.
    pub timeline: Vec<TimelineItem>,
    pub merge_proposals: Vec<MergeProposal>,
    pub visitors: Vec<VisitorId>,
    pub conversations: Vec<ExportedConversation>,
}

/// One conversation and all its messages, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedConversation {
    pub conversation: ConversationSummary,
    pub messages: Vec<ChatMessage>,
}

/// What one erasure removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erased {
    /// The surviving record that was asked for.
    pub contact: ContactId,
    /// Records removed: the contact and the ones merged into it.
    pub records: usize,
    pub timeline_items: usize,
    pub visitors_unlinked: usize,
    pub conversations: usize,
    pub messages_redacted: usize,
}
