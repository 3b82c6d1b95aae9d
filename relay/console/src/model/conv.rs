//! One conversation as the console knows it: its summary, its transcript
//! keyed (and so ordered and deduplicated) by seq, and how far the agent
//! has read it.

use std::collections::BTreeMap;

use shared::{ChatMessage, ConversationSummary, Role, Seq};

/// One conversation the console knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conv {
    pub(crate) summary: ConversationSummary,
    /// The transcript as received, keyed (and so ordered and deduplicated) by seq.
    pub(crate) messages: BTreeMap<Seq, ChatMessage>,
    /// The full history was asked for (or is coming on its own).
    pub(crate) history: bool,
    /// Assigned to this agent (or was, until it closed during this session).
    pub(crate) mine: bool,
    /// Newest seq the agent has seen.
    pub(crate) read_seq: Seq,
    /// Newly assigned and not opened yet.
    pub(crate) fresh: bool,
    /// The visitor is typing; the stamp of the frame that said so.
    pub(crate) visitor_typing: Option<u64>,
}

impl Conv {
    pub(super) fn new(summary: ConversationSummary) -> Self {
        Self {
            summary,
            messages: BTreeMap::new(),
            history: false,
            mine: false,
            read_seq: 0,
            fresh: false,
            visitor_typing: None,
        }
    }

    /// The newest seq received, 0 if none.
    pub(crate) fn max_seq(&self) -> Seq {
        self.messages.keys().next_back().copied().unwrap_or(0)
    }

    /// Messages from the visitor the agent has not seen, plus any the relay
    /// announced (`last_seq`) but the console has not received.
    pub(crate) fn unread(&self) -> u64 {
        let known = self
            .messages
            .range(self.read_seq + 1..)
            .filter(|(_, m)| m.author.role == Role::Visitor)
            .count() as u64;
        known
            + self
                .summary
                .last_seq
                .saturating_sub(self.max_seq().max(self.read_seq))
    }
}
