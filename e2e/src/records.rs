//! Customer-record values tests write straight into a store.

use shared::contacts::{Channel, Direction, TimelineItem};

/// An incoming timeline item with just an id, channel, time and text.
pub fn timeline_item(id: &str, channel: Channel, at_ms: u64, text: &str) -> TimelineItem {
    TimelineItem {
        id: id.into(),
        channel,
        direction: Direction::In,
        at_ms,
        text: text.into(),
        agent: None,
        case_code: None,
        external_id: None,
        conversation: None,
    }
}

/// A visitor's message `client_msg_id` with `text`, to store directly.
pub fn visitor_message(
    conversation: &shared::ConversationId,
    client_msg_id: &str,
    text: String,
) -> relay::store::NewMessage {
    relay::store::NewMessage {
        conversation: conversation.clone(),
        client_msg_id: client_msg_id.into(),
        author: shared::Author {
            role: shared::Role::Visitor,
            agent: None,
            name: None,
        },
        text,
        at_ms: relay::now_ms(),
    }
}
