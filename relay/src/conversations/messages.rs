//! Chat messages, the same for every author: check the text, store it
//! (which gives the seq, or finds the earlier copy of a resend), and only
//! then fan it out. Persist first, then deliver: nobody sees a message
//! the store does not hold. The caller acks after this returns. Also
//! typing (published, never stored) and reading history back.

use std::time::Instant;

use shared::{ChatMessage, ClientMsgId, ConversationId, ConversationStatus, Role, Seq};

use super::access::NOT_ASSIGNED_TO_YOU;
use super::actor::Grant;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::bus::Event;
use crate::metrics::Metrics;
use crate::store::{NewMessage, StoreError, NOT_ASSIGNED};

/// A stored message, and whether it was a resend already stored before
/// (then nothing new was written or published).
#[derive(Debug)]
pub struct Posted {
    pub message: ChatMessage,
    pub duplicate: bool,
}

/// Checks a message text against the limit; the refusal names the reason.
pub fn check_text(text: &str, max_chars: usize) -> ServiceResult<()> {
    if text.trim().is_empty() {
        return Err(ServiceError::EmptyText);
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(ServiceError::TextTooLong {
            chars,
            max: max_chars,
        });
    }
    Ok(())
}

impl ConversationService {
    /// Stores one message and fans it out.
    pub async fn post(
        &self,
        grant: &Grant,
        client_msg_id: ClientMsgId,
        text: String,
    ) -> ServiceResult<Posted> {
        check_text(&text, self.limits.max_text_chars)?;
        if !client_msg_id.is_well_formed() {
            return Err(ServiceError::Invalid(format!(
                "client_msg_id must be 1 to {} bytes without control characters",
                ClientMsgId::MAX_BYTES
            )));
        }
        let at_ms = self.clock.now_ms();
        let new = NewMessage {
            conversation: grant.conversation().clone(),
            client_msg_id,
            author: grant.author().clone(),
            text,
            at_ms,
            assignee: grant.assignee().cloned(),
            report: self.message_report(grant, grant.author(), at_ms).await,
        };
        let stored = Instant::now();
        let appended = self.store.append_message(&new).await.map_err(|e| match e {
            StoreError::Conflict(NOT_ASSIGNED) => NOT_ASSIGNED_TO_YOU,
            StoreError::Backend(_) => {
                self.metrics.store_errors.inc();
                ServiceError::from(e)
            }
            e => ServiceError::from(e),
        })?;
        let stages = &self.metrics.stages;
        stages.store.observe(stored.elapsed().as_secs_f64());
        let message = appended.message;
        if appended.duplicate {
            tracing::debug!(conversation = %message.conversation, seq = message.seq, "resend acked again");
        } else {
            self.metrics
                .messages
                .get_or_create(&Metrics::role(role_label(message.author.role)))
                .inc();
            // Unless the store published it with the append (Redis).
            if !appended.published {
                let published = Instant::now();
                self.publisher
                    .publish(Event::Message {
                        message: message.clone(),
                    })
                    .await;
                stages.publish.observe(published.elapsed().as_secs_f64());
            }
            if grant.offline() && message.author.role == Role::Agent {
                self.email_answer(&message);
            }
            if appended.first_reply {
                self.first_reply_fact(grant, &message).await;
            }
        }
        Ok(Posted {
            message,
            duplicate: appended.duplicate,
        })
    }

    /// Tells the other side that the grant's holder is typing (or stopped).
    pub async fn typing(&self, grant: &Grant, typing: bool) -> ServiceResult<()> {
        if grant.status() == ConversationStatus::Closed {
            return Err(ServiceError::ConversationClosed);
        }
        let event = Event::Typing {
            conversation: grant.conversation().clone(),
            role: grant.author().role,
            typing,
        };
        self.publisher.publish(event).await;
        Ok(())
    }

    /// Messages after `after`, in seq order, at most `limit`: for a
    /// session delivering a conversation its actor was allowed to read
    /// (see [`ConversationService::readable`]).
    pub async fn history(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> ServiceResult<Vec<ChatMessage>> {
        Ok(self
            .store
            .messages_after(conversation, after, limit)
            .await?)
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Visitor => "visitor",
        Role::Agent => "agent",
        Role::System => "system",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits_count_characters_not_bytes() {
        assert!(check_text(&"ש".repeat(4_000), 4_000).is_ok());
        assert_eq!(
            check_text(&"a".repeat(4_001), 4_000),
            Err(ServiceError::TextTooLong {
                chars: 4_001,
                max: 4_000
            })
        );
        assert_eq!(check_text("  \n ", 4_000), Err(ServiceError::EmptyText));
    }
}
