//! Which open conversations have their visitor's socket on this node. A
//! periodic duty notes them in the store (`Store::touch_visitors`), so
//! any node can tell a waiting conversation whose visitor left (and
//! expire it) from one whose visitor waits on another node.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use shared::ConversationId;

/// Visitor sockets per conversation on this node.
#[derive(Debug, Default)]
pub struct VisitorsOnline(Mutex<HashMap<ConversationId, usize>>);

impl VisitorsOnline {
    fn counts(&self) -> MutexGuard<'_, HashMap<ConversationId, usize>> {
        // Counts stay usable after a panic elsewhere.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn add(&self, conversation: &ConversationId) {
        *self.counts().entry(conversation.clone()).or_default() += 1;
    }

    pub fn remove(&self, conversation: &ConversationId) {
        let mut counts = self.counts();
        if let Some(count) = counts.get_mut(conversation) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(conversation);
            }
        }
    }

    /// The conversations with at least one visitor socket here.
    pub fn conversations(&self) -> Vec<ConversationId> {
        self.counts().keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sockets_per_conversation() {
        let online = VisitorsOnline::default();
        let c = ConversationId::from("c1");
        online.add(&c);
        online.add(&c);
        online.remove(&c);
        assert_eq!(online.conversations(), vec![c.clone()], "one socket left");
        online.remove(&c);
        online.remove(&c);
        assert!(online.conversations().is_empty());
    }
}
