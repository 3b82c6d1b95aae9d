//! Posting a chat message, the same for both roles: validate the text,
//! store it (which assigns the seq, or finds the earlier copy of a resend),
//! deliver it to the sender, ack, then fan it out. Persist first, then
//! deliver: nobody sees a message the store does not hold.

use shared::{Author, ClientMsgId, ConversationId, ErrorCode, ServerFrame};

use super::delivery::Delivery;
use super::outbox::Outbox;
use crate::app::App;
use crate::bus::Event;
use crate::metrics::Metrics;
use crate::store::NewMessage;

/// Checks a message text against the limits; the refusal names the reason.
pub fn check_text(text: &str, max_chars: usize) -> Result<(), (ErrorCode, String)> {
    if text.trim().is_empty() {
        return Err((ErrorCode::EmptyText, "message text is empty".into()));
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err((
            ErrorCode::TextTooLong,
            format!("message has {chars} characters; the limit is {max_chars}"),
        ));
    }
    Ok(())
}

/// Stores and delivers one message; answers with an ack or a typed error.
pub async fn post_message(
    app: &App,
    delivery: &mut Delivery,
    conversation: ConversationId,
    client_msg_id: ClientMsgId,
    author: Author,
    text: String,
    out: &mut Outbox,
) {
    if let Err((code, message)) = check_text(&text, app.config.limits.max_text_chars) {
        out.message_error(code, message, &client_msg_id, None);
        return;
    }
    let role = author.role;
    let new = NewMessage {
        conversation,
        client_msg_id,
        author,
        text,
        at_ms: crate::now_ms(),
    };
    let appended = match app.store.append_message(&new).await {
        Ok(appended) => appended,
        Err(e) => {
            if matches!(e, crate::store::StoreError::Backend(_)) {
                app.metrics.store_errors.inc();
            }
            out.store_error(&e, Some(&new.client_msg_id));
            return;
        }
    };
    let message = appended.message;
    if let Err(e) = delivery.deliver(app.store.as_ref(), &message, out).await {
        tracing::warn!(error = %e, "could not echo a stored message; the client will resume");
    }
    out.push(ServerFrame::Ack {
        conversation: message.conversation.clone(),
        client_msg_id: message.client_msg_id.clone(),
        seq: message.seq,
    });
    if appended.duplicate {
        tracing::debug!(conversation = %message.conversation, seq = message.seq, "resend acked again");
        return;
    }
    let label = match role {
        shared::Role::Visitor => "visitor",
        shared::Role::Agent => "agent",
        shared::Role::System => "system",
    };
    app.metrics
        .messages
        .get_or_create(&Metrics::role(label))
        .inc();
    app.dispatcher.publish(Event::Message { message }).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits_count_characters_not_bytes() {
        assert!(check_text(&"ש".repeat(4_000), 4_000).is_ok());
        assert_eq!(
            check_text(&"a".repeat(4_001), 4_000).unwrap_err().0,
            ErrorCode::TextTooLong
        );
        assert_eq!(
            check_text("  \n ", 4_000).unwrap_err().0,
            ErrorCode::EmptyText
        );
    }
}
