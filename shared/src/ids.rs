//! Identifiers. Each is a distinct newtype so a conversation id can never be
//! passed where an agent id is expected; on the wire each is a plain string.

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as it appears on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

string_id!(
    /// A website that embeds the widget.
    SiteId
);
impl SiteId {
    /// Longest site id, in characters.
    pub const MAX_CHARS: usize = 64;

    /// Whether this can name a site: 1 to [`SiteId::MAX_CHARS`] ASCII
    /// letters, digits, `-` or `_`. Anything else names no site, so it
    /// never reaches a store key (`demo:contacts` would alias another key).
    pub fn is_well_formed(&self) -> bool {
        (1..=Self::MAX_CHARS).contains(&self.0.len())
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }
}

impl ClientMsgId {
    /// Longest client message id, in bytes (a UUID is 36).
    pub const MAX_BYTES: usize = 64;

    /// Whether the relay accepts this id: not empty, at most
    /// [`ClientMsgId::MAX_BYTES`], no control characters.
    pub fn is_well_formed(&self) -> bool {
        (1..=Self::MAX_BYTES).contains(&self.0.len()) && !self.0.chars().any(char::is_control)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_ids_are_plain_words() {
        for good in ["demo", "shop-1", "A_b", &"s".repeat(64)] {
            assert!(SiteId::from(good).is_well_formed(), "{good}");
        }
        for bad in ["", "demo:contacts", "a b", "ü", "../x", &"s".repeat(65)] {
            assert!(!SiteId::from(bad).is_well_formed(), "{bad}");
        }
    }

    #[test]
    fn client_message_ids_are_short() {
        assert!(ClientMsgId::from("6f1c2b1e-0c8e-4d55-9a7e-0b5f3c9a1d2e").is_well_formed());
        assert!(!ClientMsgId::from("").is_well_formed());
        assert!(!ClientMsgId::from("a\nb").is_well_formed());
        assert!(!ClientMsgId::from("x".repeat(65).as_str()).is_well_formed());
    }
}

string_id!(
    /// A visitor's public id. Not a secret: the visitor *token* is the secret.
    VisitorId
);
string_id!(
    /// An agent (a human answering chats).
    AgentId
);
string_id!(
    /// A conversation between one visitor and the agents who handle it.
    ConversationId
);
string_id!(
    /// An id the client generates for each message it sends, so a resend of
    /// the same message is stored once and acked with the same [`Seq`].
    ClientMsgId
);

string_id!(
    /// One customer on one site (see [`crate::contacts`]).
    ContactId
);
string_id!(
    /// One item on a contact's timeline.
    TimelineItemId
);
string_id!(
    /// A suggestion that two contacts are the same person.
    MergeProposalId
);

string_id!(
    /// A knowledge-base article in one language (see [`crate::knowledge`]).
    ArticleId
);
string_id!(
    /// A knowledge-base category.
    CategoryId
);
string_id!(
    /// A canned reply (shared by a site's agents, or one agent's own).
    CannedReplyId
);

/// A message's position in its conversation: 1 for the first message, then
/// consecutive. Assigned by the store when the message is persisted.
pub type Seq = u64;
