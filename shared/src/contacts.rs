//! The customer record as agents and integrators see it: one contact per
//! person per site, the identities that prove who they are (each verified
//! or not), attributes, and a timeline of every interaction on every
//! channel. The relay's stores keep it; the console shows it as the
//! customer card; the ingest API takes timeline items in this shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{AgentId, ContactId, ConversationId, MergeProposalId, SiteId, TimelineItemId};

/// What kind of handle an identity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    /// A widget visitor (its public visitor id).
    Visitor,
    Email,
    Phone,
    /// The site's own user id, from a signed identity token.
    External,
    /// `network:handle`, e.g. `twitter:@ada`.
    Social,
}

/// One handle of a contact. `verified` means the site vouched for it
/// (a signed token or a signed API call), not that someone typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub kind: IdentityKind,
    /// Normalised (see [`Identity::normalise`]).
    pub value: String,
    pub verified: bool,
}

impl Identity {
    /// Builds an identity with its value normalised for matching.
    pub fn new(kind: IdentityKind, value: &str, verified: bool) -> Self {
        Self {
            kind,
            value: Self::normalise(kind, value),
            verified,
        }
    }

    /// Emails and social handles compare case-insensitively; phones by
    /// their digits (and a leading `+`); the rest exactly, trimmed.
    pub fn normalise(kind: IdentityKind, value: &str) -> String {
        let value = value.trim();
        match kind {
            IdentityKind::Email | IdentityKind::Social => value.to_lowercase(),
            IdentityKind::Phone => {
                let plus = value.starts_with('+');
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                if plus {
                    format!("+{digits}")
                } else {
                    digits
                }
            }
            IdentityKind::Visitor | IdentityKind::External => value.to_owned(),
        }
    }
}

/// Where an interaction happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Chat,
    Email,
    Phone,
    Sms,
    Social,
    WebForm,
    /// Something Switchboard itself recorded (a merge).
    System,
    /// A private note agents left in a conversation; never shown to visitors.
    Note,
}

impl Channel {
    /// The channels the ingest API accepts (chat and system are the relay's own).
    pub const INGESTIBLE: [Channel; 5] = [
        Channel::Email,
        Channel::Phone,
        Channel::Sms,
        Channel::Social,
        Channel::WebForm,
    ];
}

/// Towards the company (`in`) or from it (`out`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

/// One interaction on a contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineItem {
    pub id: TimelineItemId,
    pub channel: Channel,
    pub direction: Direction,
    /// Unix time in milliseconds when it happened (not when it was pushed).
    pub at_ms: u64,
    /// The text, or a summary (a call's notes, an email's subject and body).
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// `CASE-1234`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_code: Option<String>,
    /// The caller's id for it; a second push with the same id changes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// For chat items: the conversation to open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationId>,
    /// A satisfaction rating the customer gave (a rated chat, or an
    /// ingested survey answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<crate::csat::Csat>,
}

/// A customer: who they are and everything they did, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub site: SiteId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub identities: Vec<Identity>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    pub created_at_ms: u64,
}

/// "These two may be one person": raised when an unverified claim matches
/// an existing contact. Never acted on without an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeProposal {
    pub id: MergeProposalId,
    /// The contact that made the claim (merged away on accept).
    pub from: ContactId,
    /// The existing contact the claim matched (kept on accept).
    pub into: ContactId,
    /// The identity both share.
    pub matched: Identity,
    pub created_at_ms: u64,
}

/// How an agent settled a merge proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeDecision {
    Accept,
    Reject,
}

/// Who settled a proposal, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeResolution {
    pub proposal: MergeProposalId,
    pub decision: MergeDecision,
    pub agent: AgentId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_normalise_for_matching() {
        let email = Identity::new(IdentityKind::Email, "  Ada@Example.COM ", false);
        assert_eq!(email.value, "ada@example.com");
        let phone = Identity::new(IdentityKind::Phone, "+1 (555) 010-9999", true);
        assert_eq!(phone.value, "+15550109999");
        let local = Identity::new(IdentityKind::Phone, "555 010 9999", true);
        assert_eq!(local.value, "5550109999");
        let external = Identity::new(IdentityKind::External, " User-42 ", true);
        assert_eq!(external.value, "User-42");
    }
}
