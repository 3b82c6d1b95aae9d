//! What the session does when the relay refuses something (`error` frames):
//!
//! - `invalid_token`, `identity_conflict`: forget the token and the
//!   transcript, say hello again without a token (a new visitor); the
//!   outbox is kept and re-sent, a pending identity too.
//! - `invalid_identity`: the identity token is dropped (logged).
//! - `rate_limited` / `unavailable` about a message: that message and all
//!   after it go out again, in order, after `retry_after_ms`. `unavailable`
//!   (the relay's storage is down; nothing was stored) also shows the calm
//!   "Reconnecting…" line until the next ack: to the visitor it is the same
//!   as a lost connection, and the outbox keeps everything meanwhile.
//! - `conversation_closed` / `not_found` about a message: that conversation
//!   takes no more messages; the waiting items start a new one.
//! - `empty_text` / `text_too_long`: the relay will never store the text;
//!   it leaves the outbox (the composer prevents both).
//! - `invalid_details`: nothing was started; the pre-chat form shows again
//!   with the relay's reason (see `details`).
//! - `not_found` about no message while an article is awaited: it is gone;
//!   the chat says so (see `help`).
//! - while an offline message is on its way, a refusal about no message
//!   (invalid details or text, rate limits, an outage) is about it: the
//!   offline form shows why (see `offline_session`).
//! - while a rating is on its way, a refusal about no message that can
//!   be about it is: the survey shows why (see `survey_session`).
//! - anything else is logged to the console.

use leptos::prelude::*;
use shared::{ClientMsgId, ErrorCode};

use crate::session::Session;
use crate::state::LinkState;
use crate::timer::now_ms;
use crate::transcript::Transcript;

impl Session {
    pub(crate) fn error(
        &self,
        code: ErrorCode,
        text: &str,
        id: Option<ClientMsgId>,
        retry: Option<u64>,
    ) {
        if id.is_none() && (self.offline_refused(code) || self.survey_refused(code)) {
            return;
        }
        match (code, id) {
            (ErrorCode::InvalidIdentity, _) => self.identity_refused(text),
            (ErrorCode::InvalidDetails, _) => self.details_refused(text),
            (ErrorCode::InvalidToken | ErrorCode::IdentityConflict, _) => {
                self.keys.set_token(None);
                self.state.transcript.set(Transcript::default());
                self.update_outbox(|o| o.unbind_all());
                self.hello();
            }
            (ErrorCode::RateLimited | ErrorCode::Unavailable, Some(id)) => {
                if code == ErrorCode::Unavailable {
                    self.state.link.set(LinkState::Reconnecting);
                }
                self.requeue_from(&id);
                self.pause(retry.unwrap_or(1_000));
            }
            (ErrorCode::RateLimited, None) => {
                self.inner.borrow_mut().start_sent = false;
                self.pause(retry.unwrap_or(1_000));
            }
            (ErrorCode::Unavailable, None) if !self.inner.borrow().greeted => {
                self.conn.reconnect_after(retry.unwrap_or(2_000));
            }
            (ErrorCode::Unavailable | ErrorCode::Internal, None) => {
                if code == ErrorCode::Unavailable {
                    self.state.link.set(LinkState::Reconnecting);
                }
                self.inner.borrow_mut().start_sent = false;
                self.pause(retry.unwrap_or(2_000));
            }
            (ErrorCode::ConversationClosed | ErrorCode::NotFound, Some(id)) => {
                let conversation = self.state.outbox.with_untracked(|o| {
                    o.items()
                        .iter()
                        .find(|i| i.client_msg_id == id)
                        .and_then(|i| i.conversation.clone())
                });
                if let Some(conversation) = conversation {
                    self.state
                        .transcript
                        .update(|t| t.mark_closed(&conversation));
                }
                self.requeue_from(&id);
                self.conversations_changed();
            }
            (ErrorCode::NotFound, None) if self.article_missing() => {}
            (ErrorCode::EmptyText | ErrorCode::TextTooLong, Some(id)) => {
                // The relay will never store this text: drop it.
                self.inner.borrow_mut().in_flight.retain(|i| i != &id);
                self.update_outbox(|o| {
                    o.remove(&id);
                });
            }
            (code, _) => {
                let line = format!("switchboard: {code}: {text}");
                web_sys::console::warn_1(&line.into());
            }
        }
    }

    /// Forgets that `id` and everything after it were sent on this
    /// connection, so they go out again, in order.
    fn requeue_from(&self, id: &ClientMsgId) {
        let later: Vec<ClientMsgId> = self.state.outbox.with_untracked(|o| {
            o.items()
                .iter()
                .skip_while(|i| &i.client_msg_id != id)
                .map(|i| i.client_msg_id.clone())
                .collect()
        });
        self.inner
            .borrow_mut()
            .in_flight
            .retain(|i| !later.contains(i));
    }

    /// No sends for `ms`, then try again.
    fn pause(&self, ms: u64) {
        self.inner.borrow_mut().pacer.pause(now_ms(), ms);
        let wait = u32::try_from(ms).unwrap_or(u32::MAX).saturating_add(10);
        self.schedule(&self.pump_timer, wait, Session::pump);
    }
}
