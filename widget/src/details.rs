//! The pre-chat details' round trip. When the site asks for them and the
//! visitor has never chatted, the first message waits in the outbox while
//! the form shows; the submitted details go with the `start`, and the
//! waiting messages follow as usual once the conversation opens. A refusal
//! (`invalid_details`) brings the form back with the relay's reason. The
//! relay's acceptance is remembered per visitor token (see `storage`), so a
//! reload does not ask again. Rules in `prechat`.

use leptos::prelude::*;
use shared::card::PrechatDetails;
use shared::VisitorFrame;

use crate::prechat::{Ask, Gate, Start};
use crate::session::Session;

impl Session {
    /// The `start` frame to send now, or `None` (and the form shown) when
    /// the visitor must answer the form first.
    pub(crate) fn start_frame(&self) -> Option<VisitorFrame> {
        let (gate, submitted) = {
            let inner = self.inner.borrow();
            let on_screen = self.state.transcript.with_untracked(|t| !t.is_empty());
            let gate = Gate {
                site_asks: inner.prechat_form,
                has_history: inner.welcomed_with_history || on_screen,
                given: self.keys.details_given(),
                relay_asked: inner.details_refused,
            };
            (gate, inner.details.clone())
        };
        match gate.start(submitted) {
            Start::Now(details) => {
                self.hide_form();
                Some(VisitorFrame::Start {
                    details,
                    topic: self.topic(),
                    language: Some(self.lang.clone()),
                    page_url: self.page.borrow().clone(),
                })
            }
            Start::AskFirst => {
                if self.state.prechat.with_untracked(Option::is_none) {
                    self.state.prechat.set(Some(Ask::default()));
                }
                None
            }
        }
    }

    /// Nothing waits for the form (any more): take it away.
    pub(crate) fn hide_form(&self) {
        if self.state.prechat.with_untracked(Option::is_some) {
            self.state.prechat.set(None);
        }
    }

    /// The visitor submitted the form.
    pub(crate) fn give_details(&self, details: PrechatDetails) {
        if details.check().is_err() {
            return;
        }
        self.inner.borrow_mut().details = Some(details);
        self.hide_form();
        self.pump();
    }

    /// The relay refused the details (or wants some): ask again, keeping
    /// what was typed.
    pub(crate) fn details_refused(&self, reason: &str) {
        let draft = {
            let mut inner = self.inner.borrow_mut();
            inner.start_sent = false;
            inner.details_refused = true;
            inner.details.take().unwrap_or_default()
        };
        self.keys.set_details_given(false);
        self.state.prechat.set(Some(Ask {
            draft,
            refused: Some(reason.to_owned()),
        }));
    }

    /// A conversation is open: details sent with its `start` were accepted.
    pub(crate) fn details_accepted(&self) {
        let mut inner = self.inner.borrow_mut();
        if inner.details.take().is_some() {
            inner.details_refused = false;
            drop(inner);
            self.keys.set_details_given(true);
        }
    }
}
