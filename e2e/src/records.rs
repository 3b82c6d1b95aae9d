//! Customer-record values tests write straight into a store, and a
//! customer who chats through a real socket.

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
        csat: None,
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
        assignee: None,
        report: None,
    }
}

/// A demo-site visitor who gave their details in the pre-chat form (Ada,
/// ada@example.com) and said "parcel 1182 is late": its connection and
/// token, the conversation, and the contact the details made.
pub async fn ada_chats(
    relay: &crate::relay_harness::TestRelay,
) -> anyhow::Result<(
    crate::client::Client,
    String,
    shared::ConversationId,
    shared::ContactId,
)> {
    let mut visitor = crate::client::Client::demo_visitor(relay.addr()).await?;
    let welcome = visitor.visitor_hello(None, vec![]).await?;
    let details = shared::card::PrechatDetails {
        name: Some("Ada".into()),
        email: Some("ada@example.com".into()),
        phone: None,
    };
    let conversation = visitor
        .start_acknowledged(Some(details))
        .await?
        .conversation;
    visitor
        .visitor_say(&conversation, "m1", "parcel 1182 is late")
        .await?;
    let contact = relay
        .store()
        .contact_by_identity(
            &"demo".into(),
            shared::contacts::IdentityKind::Email,
            "ada@example.com",
        )
        .await?
        .ok_or_else(|| anyhow::anyhow!("the details made no contact"))?;
    Ok((visitor, welcome.token, conversation, contact))
}
