//! Answering an offline message by email too: the visitor who left it
//! may not come back to the widget soon. Each agent message in an
//! offline case goes, when SMTP is configured, to the email the visitor
//! gave, with the case code; sent in the background (a slow mail server
//! never holds up the chat) and logged when it fails.

use std::sync::Arc;

use shared::contacts::IdentityKind;
use shared::ChatMessage;

use super::ConversationService;
use crate::mail::{offline_answer, MailError, Mailer, OutgoingMail};
use crate::store::{Store, StoreError};

/// Why an answer was not emailed.
#[derive(Debug, thiserror::Error)]
enum NotSent {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error("the customer record has no email address")]
    NoAddress,
    #[error("the conversation or its site is gone")]
    Gone,
}

impl ConversationService {
    /// Emails `message` (an agent's answer in an offline case) to the
    /// visitor, in the background.
    pub(super) fn email_answer(&self, message: &ChatMessage) {
        let Some(mailer) = self.mailer.clone() else {
            return;
        };
        let store = Arc::clone(&self.store);
        let message = message.clone();
        tokio::spawn(async move {
            match send_answer(store.as_ref(), &mailer, &message).await {
                Ok(to) => {
                    tracing::info!(conversation = %message.conversation, seq = message.seq, to = %to, "offline answer emailed");
                }
                Err(e) => {
                    tracing::warn!(conversation = %message.conversation, seq = message.seq, error = %e, "offline answer not emailed");
                }
            }
        });
    }
}

async fn send_answer(
    store: &dyn Store,
    mailer: &Mailer,
    message: &ChatMessage,
) -> Result<String, NotSent> {
    let conversation = store
        .conversation(&message.conversation)
        .await?
        .ok_or(NotSent::Gone)?;
    let site = store.site(&conversation.site).await?.ok_or(NotSent::Gone)?;
    let contact_id = store
        .visitor_contact(&conversation.visitor)
        .await?
        .ok_or(NotSent::NoAddress)?;
    let contact = store
        .contact(&contact_id)
        .await?
        .ok_or(NotSent::NoAddress)?;
    let to = contact
        .identities
        .iter()
        .find(|i| i.kind == IdentityKind::Email)
        .map(|i| i.value.clone())
        .ok_or(NotSent::NoAddress)?;
    let (subject, text) = offline_answer(
        &site.name,
        conversation.case_code.as_deref().unwrap_or_default(),
        message.author.name.as_deref(),
        &message.text,
        site.origins.first().map(String::as_str),
    );
    mailer
        .send(&OutgoingMail {
            to: to.clone(),
            to_name: contact.name.clone(),
            subject,
            text,
            reply_to: None,
        })
        .await?;
    Ok(to)
}
