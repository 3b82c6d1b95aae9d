//! The outbox: what the visitor typed and the relay has not acknowledged.
//!
//! Kept in localStorage (see `storage`) so nothing typed is lost to a
//! dropped connection, a closed tab or a reload. An item may not have a
//! conversation yet (the visitor's first message starts one); it is bound to
//! the conversation once the relay opens it. Items leave the outbox only on
//! `ack` (or on an error that says the text can never be stored). Stored as
//! JSON: `[{"client_msg_id":"m…","conversation":"c…"|null,"text":"…"}]`.
//! Pure data: no web-sys, tested natively.

use serde::{Deserialize, Serialize};
use shared::{ClientMsgId, ConversationId};

/// One message waiting for its ack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OutboxItem {
    pub(crate) client_msg_id: ClientMsgId,
    /// `None` while the conversation is still to be started.
    pub(crate) conversation: Option<ConversationId>,
    pub(crate) text: String,
}

/// Unacknowledged messages, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Outbox {
    items: Vec<OutboxItem>,
}

impl Outbox {
    /// Reads the stored form; anything unreadable counts as empty.
    pub(crate) fn from_json(json: &str) -> Self {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "[]".into())
    }

    pub(crate) fn items(&self) -> &[OutboxItem] {
        &self.items
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds an item unless one with the same id is already there.
    pub(crate) fn push(&mut self, item: OutboxItem) {
        if !self
            .items
            .iter()
            .any(|i| i.client_msg_id == item.client_msg_id)
        {
            self.items.push(item);
        }
    }

    /// Removes the item with this id; true if it was there.
    pub(crate) fn remove(&mut self, id: &ClientMsgId) -> bool {
        let before = self.items.len();
        self.items.retain(|i| &i.client_msg_id != id);
        before != self.items.len()
    }

    /// Gives every item without a conversation this one; true if any changed.
    pub(crate) fn bind_unbound(&mut self, conversation: &ConversationId) -> bool {
        let mut changed = false;
        for item in self.items.iter_mut().filter(|i| i.conversation.is_none()) {
            item.conversation = Some(conversation.clone());
            changed = true;
        }
        changed
    }

    /// Items bound to a conversation that can no longer take messages go
    /// back to "start a conversation first"; true if any changed.
    pub(crate) fn unbind(&mut self, conversation: &ConversationId) -> bool {
        let mut changed = false;
        for item in &mut self.items {
            if item.conversation.as_ref() == Some(conversation) {
                item.conversation = None;
                changed = true;
            }
        }
        changed
    }

    /// Unbinds every item (the visitor identity was replaced).
    pub(crate) fn unbind_all(&mut self) {
        for item in &mut self.items {
            item.conversation = None;
        }
    }

    pub(crate) fn has_unbound(&self) -> bool {
        self.items.iter().any(|i| i.conversation.is_none())
    }

    /// Drops the items without a conversation (their text left through
    /// the offline form instead).
    pub(crate) fn remove_unbound(&mut self) {
        self.items.retain(|i| i.conversation.is_some());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, conversation: Option<&str>) -> OutboxItem {
        OutboxItem {
            client_msg_id: id.into(),
            conversation: conversation.map(Into::into),
            text: format!("text {id}"),
        }
    }

    #[test]
    fn stored_json_format_is_stable() {
        let mut outbox = Outbox::default();
        outbox.push(item("m1", Some("c1")));
        outbox.push(item("m2", None));
        let json = outbox.to_json();
        assert_eq!(
            json,
            r#"[{"client_msg_id":"m1","conversation":"c1","text":"text m1"},{"client_msg_id":"m2","conversation":null,"text":"text m2"}]"#
        );
        assert_eq!(Outbox::from_json(&json), outbox);
    }

    #[test]
    fn garbage_reads_as_empty() {
        assert!(Outbox::from_json("not json").is_empty());
        assert!(Outbox::from_json(r#"{"a":1}"#).is_empty());
    }

    #[test]
    fn push_keeps_order_and_ignores_duplicates() {
        let mut outbox = Outbox::default();
        outbox.push(item("m1", None));
        outbox.push(item("m2", None));
        outbox.push(item("m1", None));
        let ids: Vec<_> = outbox
            .items()
            .iter()
            .map(|i| i.client_msg_id.as_str())
            .collect();
        assert_eq!(ids, ["m1", "m2"]);
    }

    #[test]
    fn ack_removes_only_that_item() {
        let mut outbox = Outbox::default();
        outbox.push(item("m1", Some("c1")));
        outbox.push(item("m2", Some("c1")));
        assert!(outbox.remove(&"m1".into()));
        assert!(!outbox.remove(&"m1".into()));
        assert_eq!(outbox.items().len(), 1);
    }

    #[test]
    fn binding_follows_the_conversation() {
        let mut outbox = Outbox::default();
        outbox.push(item("m1", Some("c1")));
        outbox.push(item("m2", None));
        assert!(outbox.has_unbound());
        assert!(outbox.bind_unbound(&"c2".into()));
        assert!(!outbox.has_unbound());
        assert!(outbox.unbind(&"c1".into()));
        assert_eq!(outbox.items()[0].conversation, None);
        assert_eq!(outbox.items()[1].conversation, Some("c2".into()));
        outbox.unbind_all();
        assert!(outbox.items().iter().all(|i| i.conversation.is_none()));
    }

    #[test]
    fn text_left_offline_leaves_the_outbox() {
        let mut outbox = Outbox::default();
        outbox.push(item("m1", Some("c1")));
        outbox.push(item("m2", None));
        outbox.remove_unbound();
        assert_eq!(outbox.items(), [item("m1", Some("c1"))]);
    }
}
