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

/// A message's position in its conversation: 1 for the first message, then
/// consecutive. Assigned by the store when the message is persisted.
pub type Seq = u64;
