//! Erasing a contact (what GDPR calls the right to erasure) and the site's
//! audit log that records it. A separate trait so the contract reads on
//! its own; both stores implement it in one atomic step.
//!
//! Erasing a contact, as of the record that survived its merges:
//! - the contact and every record merged into it are removed: name,
//!   identities (and the identity index), attributes, timeline items (and
//!   their external-id and case index entries), merge proposals, the name
//!   index entries;
//! - its visitors are unlinked and no longer proven; their conversations
//!   stay (the counts behind reports), but every message in them has its
//!   text replaced with [`ERASED_TEXT`] and a visitor author's name dropped;
//! - one [`AuditEntry`] on the site's log says who erased what, when.
//!
//! The embedded store also rewrites its journal, so no earlier line still
//! holds the erased data after the call returns; Redis removes the keys
//! (its own AOF and RDB files keep older copies until Redis rewrites
//! them: SECURITY.md says what operators do about that).

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
pub use shared::privacy::{Erased, ERASED_TEXT};
use shared::{ContactId, SiteId};

use super::StoreResult;

/// The audit log's word for an erasure.
pub const CONTACT_ERASED: &str = "contact_erased";

/// Who erases: an agent, or an integration through the site's API key.
pub type Actor = String;

/// One line of a site's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at_ms: u64,
    /// `agent:{id}` or `api`.
    pub by: Actor,
    /// What happened, e.g. [`CONTACT_ERASED`].
    pub action: String,
    /// What it happened to (a contact id).
    pub subject: String,
    /// How much it touched, by name (for an erasure: the fields of
    /// [`Erased`] but `contact`).
    #[serde(default)]
    pub counts: BTreeMap<String, u64>,
}

/// The audit log's view of an erasure's report.
pub trait ErasedCounts {
    fn counts(&self) -> BTreeMap<String, u64>;
    fn audit(&self, by: &str, at_ms: u64) -> AuditEntry;
    fn from_counts(contact: ContactId, counts: &BTreeMap<String, u64>) -> Self;
}

impl ErasedCounts for Erased {
    /// The counts as the audit log names them (the Redis script writes
    /// the same names).
    fn counts(&self) -> BTreeMap<String, u64> {
        [
            ("records", self.records),
            ("timeline_items", self.timeline_items),
            ("visitors_unlinked", self.visitors_unlinked),
            ("conversations", self.conversations),
            ("messages_redacted", self.messages_redacted),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v as u64))
        .collect()
    }

    /// The audit line this erasure leaves.
    fn audit(&self, by: &str, at_ms: u64) -> AuditEntry {
        AuditEntry {
            at_ms,
            by: by.to_owned(),
            action: CONTACT_ERASED.to_owned(),
            subject: self.contact.to_string(),
            counts: self.counts(),
        }
    }

    /// Read back from the counts (the Redis script answers with them).
    fn from_counts(contact: ContactId, counts: &BTreeMap<String, u64>) -> Self {
        let n = |k: &str| {
            counts
                .get(k)
                .map_or(0, |&v| usize::try_from(v).unwrap_or(usize::MAX))
        };
        Erased {
            contact,
            records: n("records"),
            timeline_items: n("timeline_items"),
            visitors_unlinked: n("visitors_unlinked"),
            conversations: n("conversations"),
            messages_redacted: n("messages_redacted"),
        }
    }
}

/// Erasure and the audit log. See the module docs for the rules.
#[async_trait]
pub trait ErasureStore {
    /// Erases the contact `contact` of `site` (following merges) and logs
    /// it. `NotFound` if there is no such contact on the site (erasing
    /// twice finds nothing the second time).
    async fn erase_contact(
        &self,
        site: &SiteId,
        contact: &ContactId,
        by: &str,
        at_ms: u64,
    ) -> StoreResult<Erased>;
    /// The site's audit log, newest first, at most `limit` entries.
    async fn audit_log(&self, site: &SiteId, limit: usize) -> StoreResult<Vec<AuditEntry>>;
}
