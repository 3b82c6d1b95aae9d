//! What the console shows beside a conversation: the customer card (one
//! contact, a page of its cross-channel timeline, its chat conversations,
//! open merge proposals), the cursor that pages the timeline further back,
//! and the details a visitor gives in the pre-chat form. The acknowledgement
//! a visitor gets when a conversation starts lives here too: it is what the
//! customer is told about their case.

use serde::{Deserialize, Serialize};

use crate::contacts::{Contact, MergeProposal, TimelineItem};
use crate::hours::OpeningHours;
use crate::{ConversationId, ConversationSummary, TimelineItemId};

/// Where a timeline page ended: the next page holds items strictly older
/// than (`at_ms`, `id`), in the timeline's order (newest first, ties by
/// greater id first), so items sharing a time are never skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineCursor {
    pub at_ms: u64,
    pub id: TimelineItemId,
}

impl TimelineCursor {
    /// The cursor just past `item`.
    pub fn after(item: &TimelineItem) -> Self {
        Self {
            at_ms: item.at_ms,
            id: item.id.clone(),
        }
    }

    /// Whether `item` comes after the cursor (is older) in timeline order.
    pub fn precedes(&self, item: &TimelineItem) -> bool {
        (item.at_ms, &item.id) < (self.at_ms, &self.id)
    }
}

/// A merge proposal with the other contact, so the agent can judge it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub proposal: MergeProposal,
    /// The contact on the other side from the card's.
    pub other: Contact,
}

/// Everything the console shows about one customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub contact: Contact,
    /// The newest timeline items; more with `timeline` and `next`.
    pub timeline: Vec<TimelineItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<TimelineCursor>,
    /// The contact's chat conversations, newest first.
    pub conversations: Vec<ConversationSummary>,
    pub proposals: Vec<ProposalView>,
}

/// A contact found by search, with how it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactHit {
    pub contact: Contact,
    /// Set when the query was a case code of this contact's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_code: Option<String>,
}

/// What a visitor typed in the pre-chat form. Unverified: it never links
/// the visitor to anyone else's history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrechatDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Why pre-chat details were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailsProblem {
    NameTooLong,
    BadEmail,
    BadPhone,
    /// Neither an email nor a phone number.
    NoContactWay,
}

impl PrechatDetails {
    /// The longest name accepted, in characters.
    pub const MAX_NAME_CHARS: usize = 100;

    /// The same rules on both sides: a name of at most 100 characters, a
    /// plausible email (`local@domain.tld`, ≤ 254 bytes) or phone (7 to 15
    /// digits, optional `+` and separators), at least one of the two.
    pub fn check(&self) -> Result<(), DetailsProblem> {
        if given(&self.name).is_some_and(|n| n.chars().count() > Self::MAX_NAME_CHARS) {
            return Err(DetailsProblem::NameTooLong);
        }
        let email = given(&self.email);
        let phone = given(&self.phone);
        if email.is_none() && phone.is_none() {
            return Err(DetailsProblem::NoContactWay);
        }
        if email.is_some_and(|e| !plausible_email(e)) {
            return Err(DetailsProblem::BadEmail);
        }
        if phone.is_some_and(|p| !plausible_phone(p)) {
            return Err(DetailsProblem::BadPhone);
        }
        Ok(())
    }
}

/// A field's trimmed value, unless it was left blank.
pub fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !email.chars().any(char::is_whitespace)
        && domain
            .split_once('.')
            .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty())
        && !domain.ends_with('.')
}

fn plausible_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    (7..=15).contains(&digits) && phone.chars().all(allowed) && !phone[1..].contains('+')
}

/// What the visitor is told when a conversation starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub conversation: ConversationId,
    /// The reference to quote on any channel, e.g. `CASE-1001`.
    pub case_code: String,
    /// Place in the queue (1 = next) while nobody has taken it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_position: Option<u32>,
    /// How long recent conversations waited for an agent, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_wait_ms: Option<u64>,
    /// Set when the conversation started outside the site's hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub away: Option<Away>,
    /// Left through the offline form: no live queue; the answer comes
    /// here when the visitor is back, and by email.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub offline: bool,
}

/// "We're closed now": the schedule and when it next opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Away {
    pub hours: OpeningHours,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at_ms: Option<u64>,
    /// Today's holiday, when that is why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holiday: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(email: Option<&str>, phone: Option<&str>) -> PrechatDetails {
        PrechatDetails {
            name: Some("Ada".into()),
            email: email.map(Into::into),
            phone: phone.map(Into::into),
        }
    }

    #[test]
    fn details_need_one_plausible_way_to_reach_the_visitor() {
        assert_eq!(details(Some("ada@example.com"), None).check(), Ok(()));
        assert_eq!(details(None, Some("+44 20 7946 0958")).check(), Ok(()));
        assert_eq!(
            details(None, None).check(),
            Err(DetailsProblem::NoContactWay)
        );
        assert_eq!(
            details(Some("  "), None).check(),
            Err(DetailsProblem::NoContactWay)
        );
        for bad in ["ada", "ada@", "@example.com", "ada@example", "a da@x.io"] {
            assert_eq!(
                details(Some(bad), None).check(),
                Err(DetailsProblem::BadEmail),
                "{bad}"
            );
        }
        for bad in ["12345", "call me", "+1+2345678", "1".repeat(16).as_str()] {
            assert_eq!(
                details(None, Some(bad)).check(),
                Err(DetailsProblem::BadPhone),
                "{bad}"
            );
        }
        let long = PrechatDetails {
            name: Some("x".repeat(101)),
            ..details(Some("ada@example.com"), None)
        };
        assert_eq!(long.check(), Err(DetailsProblem::NameTooLong));
    }
}
