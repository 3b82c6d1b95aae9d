//! The offline message's round trip. While the welcome offers the offline
//! form and the visitor has no open conversation, no `start` goes out:
//! messages typed before the widget knew (waiting in the outbox) move into
//! the form's message instead. The submitted form goes out as
//! `offline_message` with the topic, language and page URL; the relay
//! answers `conversation` (the case is open: the chat and its composer
//! come back) then `acknowledgement` with `offline` (shown as the
//! confirmation, see `messages`). A lost connection sends it again after
//! the next welcome unless that welcome shows the case; a refusal brings
//! the form back with its reason and everything typed. Rules in `offline`.

use leptos::prelude::*;
use shared::card::PrechatDetails;
use shared::{ErrorCode, VisitorFrame};

use crate::offline::{self, Problem, Screen};
use crate::session::Session;

impl Session {
    /// Whether the offline form stands in for the live chat now.
    pub(crate) fn offline_screen(&self) -> bool {
        let has_open = self.open_conversation().is_some();
        let screen = self
            .state
            .offer
            .with_untracked(|o| offline::screen(o, has_open));
        screen == Screen::Offline
    }

    /// Shows the screen and topic choice that fit now; signals are set
    /// only on a change, since each change redraws what depends on them.
    fn refresh_screen(&self) {
        let has_open = self.open_conversation().is_some();
        let (screen, topics) = self.state.offer.with_untracked(|o| {
            (
                offline::screen(o, has_open),
                offline::offers_topics(o, has_open),
            )
        });
        if self.state.screen.get_untracked() != screen {
            self.state.screen.set(screen);
        }
        if self.state.topics_offered.get_untracked() != topics {
            self.state.topics_offered.set(topics);
        }
    }

    /// The topic picked, if the relay still offers it.
    pub(crate) fn topic(&self) -> Option<String> {
        let picked = self.state.topic.get_untracked();
        self.state
            .offer
            .with_untracked(|o| offline::chosen_topic(o, &picked))
    }

    /// The host page told us where it is now (a single-page app moves
    /// without reloading the iframe).
    pub(crate) fn set_page(&self, raw: &str) {
        if let Some(url) = crate::params::page_url(raw) {
            *self.page.borrow_mut() = Some(url);
        }
    }

    /// The visitor submitted the offline form.
    pub(crate) fn leave_message(&self, details: PrechatDetails, text: String) {
        if self.inner.borrow().offline.is_some() || details.check().is_err() {
            return;
        }
        let offline = self.state.offline;
        offline.reply_to.set(details.email.clone());
        offline.problem.set(None);
        offline.sending.set(true);
        let frame = VisitorFrame::OfflineMessage {
            details,
            text,
            topic: self.topic(),
            language: Some(self.lang.clone()),
            page_url: self.page.borrow().clone(),
        };
        // Their text is in the message now; left in the outbox they
        // would be sent again into the case once it opens.
        self.update_outbox(|o| o.remove_unbound());
        self.state.draft.set(String::new());
        self.inner.borrow_mut().offline = Some(frame);
        self.send_offline();
    }

    /// Sends the submitted message unless it already went out on this
    /// connection (or there is no greeted connection to send it on).
    fn send_offline(&self) {
        let frame = {
            let inner = self.inner.borrow();
            if !inner.greeted || inner.offline_sent {
                return;
            }
            inner.offline.clone()
        };
        if let Some(frame) = frame {
            let sent = self.send(&frame);
            self.inner.borrow_mut().offline_sent = sent;
        }
    }

    /// After each change of conversations (a welcome included): an open
    /// conversation settles a submitted message; otherwise one still
    /// waiting goes out, and text waiting in the outbox moves to the form.
    pub(crate) fn offline_check(&self) {
        self.refresh_screen();
        let offline = self.state.offline;
        if self.open_conversation().is_some() {
            let settled = {
                let mut inner = self.inner.borrow_mut();
                inner.offline_sent = false;
                inner.offline.take().is_some()
            };
            if settled {
                offline.sending.set(false);
                offline.text.set(String::new());
            }
            return;
        }
        if !self.offline_screen() {
            return;
        }
        self.send_offline();
        if offline.sending.get_untracked() || !offline.text.with_untracked(String::is_empty) {
            return;
        }
        let carried = self.state.outbox.with_untracked(|o| {
            self.state.draft.with_untracked(|draft| {
                let waiting = o.items().iter().filter(|i| i.conversation.is_none());
                offline::carried_text(waiting.map(|i| i.text.as_str()), draft)
            })
        });
        if !carried.is_empty() {
            offline.text.set(carried);
        }
    }

    /// An `error` that may be about the message being left: if so, the
    /// form shows why and may be sent again. False when it was not.
    pub(crate) fn offline_refused(&self, code: ErrorCode) -> bool {
        let pending = {
            let inner = self.inner.borrow();
            inner.offline.is_some() && inner.offline_sent
        };
        let Some(problem) = Problem::from_code(code).filter(|_| pending) else {
            return false;
        };
        {
            let mut inner = self.inner.borrow_mut();
            inner.offline = None;
            inner.offline_sent = false;
        }
        self.state.offline.sending.set(false);
        self.state.offline.problem.set(Some(problem));
        true
    }
}
