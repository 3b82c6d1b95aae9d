//! Conversation snapshots arrive out of order: two nodes store changes in
//! one order and their events may arrive in the other, and the catch-up
//! pass republishes what the store holds. Every store write bumps the
//! conversation's version, so a session keeps the newest version it has
//! seen per conversation and ignores any snapshot that is not newer.

use std::collections::HashMap;

use shared::ConversationId;

/// The newest version of each conversation one session has seen.
#[derive(Debug, Default)]
pub struct SeenVersions {
    newest: HashMap<ConversationId, u64>,
}

impl SeenVersions {
    /// Records `version` and says whether it is newer than any seen
    /// before; a snapshot that is not is stale (or a repeat) and dropped.
    pub fn is_fresh(&mut self, conversation: &ConversationId, version: u64) -> bool {
        match self.newest.get_mut(conversation) {
            Some(held) if *held >= version => false,
            Some(held) => {
                *held = version;
                true
            }
            None => {
                self.newest.insert(conversation.clone(), version);
                true
            }
        }
    }

    /// A snapshot read from the store counts as seen.
    pub fn saw(&mut self, conversation: &ConversationId, version: u64) {
        self.is_fresh(conversation, version);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_newer_snapshots_are_fresh() {
        let id = ConversationId::from("c-1");
        let mut seen = SeenVersions::default();
        assert!(seen.is_fresh(&id, 2));
        assert!(!seen.is_fresh(&id, 1), "older");
        assert!(!seen.is_fresh(&id, 2), "a repeat");
        assert!(seen.is_fresh(&id, 3));
        seen.saw(&id, 5);
        assert!(!seen.is_fresh(&id, 4));
        assert!(
            seen.is_fresh(&ConversationId::from("c-2"), 1),
            "per conversation"
        );
    }
}
