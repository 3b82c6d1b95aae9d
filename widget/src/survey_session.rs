//! The rating's round trip: the submitted survey goes out as `rate`; the
//! relay answers `rated` (the thank-you shows and the conversation is
//! marked rated) or refuses it (the form says so, keeping what was
//! picked; `already_rated` is thanked too). A connection lost meanwhile
//! lets the visitor send again after the welcome, which shows whether
//! the rating was stored. Rules in `survey`.

use leptos::prelude::*;
use shared::csat::Csat;
use shared::{ConversationId, ErrorCode, VisitorFrame};

use crate::session::Session;
use crate::survey::{self, Problem, Stage};

impl Session {
    /// The visitor submitted the survey of `conversation`.
    pub(crate) fn rate(&self, conversation: ConversationId) {
        let form = self.state.survey;
        if form.sending.get_untracked() {
            return;
        }
        let answer = survey::answer(form.rating.get_untracked(), &form.comment.get_untracked());
        let (rating, comment) = match answer {
            Ok(answer) => answer,
            Err(problem) => return form.problem.set(Some(problem)),
        };
        form.problem.set(None);
        let frame = VisitorFrame::Rate {
            conversation,
            rating,
            comment,
        };
        if self.send(&frame) {
            form.sending.set(true);
        } else {
            form.problem.set(Some(Problem::NotSent));
        }
    }

    /// The relay stored the rating.
    pub(crate) fn rated(&self, conversation: ConversationId, csat: Csat) {
        self.state
            .transcript
            .update(|t| t.rated(&conversation, csat));
        self.thank(conversation);
    }

    fn thank(&self, conversation: ConversationId) {
        let form = self.state.survey;
        form.sending.set(false);
        form.rating.set(None);
        form.comment.set(String::new());
        form.thanked.set(Some(conversation));
    }

    /// Whether a refusal about no message answered the rating on its way
    /// (then the form shows it).
    pub(crate) fn survey_refused(&self, code: ErrorCode) -> bool {
        let form = self.state.survey;
        if !form.sending.get_untracked() || !survey::about_rating(code) {
            return false;
        }
        form.sending.set(false);
        match survey::refusal(code) {
            Some(problem) => form.problem.set(Some(problem)),
            None => {
                let asked = self.state.transcript.with_untracked(|t| {
                    match survey::stage(t.latest(), None) {
                        Some(Stage::Ask(id)) => Some(id),
                        _ => None,
                    }
                });
                if let Some(id) = asked {
                    self.thank(id);
                }
            }
        }
        true
    }
}
