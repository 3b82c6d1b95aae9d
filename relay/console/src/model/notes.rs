//! Private notes: what agents write inside a conversation for each other.
//! They are loaded when a conversation is opened (`notes`), arrive live
//! while it is watched (`note`, which the author receives twice: as the
//! answer and as the push every watching agent gets) and are kept by id, so
//! each shows once. The transcript shows them inline by time (`view.rs`).
//! A note never goes through the outbox or the message path: it is an
//! `add_note` frame and nothing else; its refusal is shown under the
//! composer.

use std::collections::BTreeMap;

use shared::canned::Note as PrivateNote;
use shared::{AgentFrame, ConversationId, ErrorCode, TimelineItemId};

use super::library::Ask;
use super::Model;

/// Every conversation's notes, and the last refusal.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Notes {
    by_conversation: BTreeMap<ConversationId, BTreeMap<TimelineItemId, PrivateNote>>,
    /// Why notes of a conversation could not be loaded or added.
    pub(crate) failed: Option<(ConversationId, ErrorCode)>,
}

impl Notes {
    fn keep(&mut self, note: PrivateNote) {
        self.by_conversation
            .entry(note.conversation.clone())
            .or_default()
            .insert(note.id.clone(), note);
    }

    /// A conversation's notes, oldest first.
    pub(crate) fn of(&self, conversation: &ConversationId) -> Vec<&PrivateNote> {
        let mut notes: Vec<&PrivateNote> = self
            .by_conversation
            .get(conversation)
            .into_iter()
            .flat_map(BTreeMap::values)
            .collect();
        notes.sort_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)));
        notes
    }

    /// Why the last request about `conversation`'s notes was refused.
    pub(crate) fn failure(&self, conversation: &ConversationId) -> Option<ErrorCode> {
        self.failed
            .as_ref()
            .filter(|(c, _)| c == conversation)
            .map(|(_, code)| *code)
    }
}

/// `notes` for a conversation being opened. Sent in the background, like
/// `resume`: an error about it cannot be told from one about the request
/// it would be taken for, so it is not waited for (its answer names its
/// conversation).
pub(super) fn ask_notes(conversation: &ConversationId) -> AgentFrame {
    AgentFrame::Notes {
        conversation: conversation.clone(),
    }
}

impl Model {
    /// An `add_note`; `None` for a blank note.
    pub(crate) fn add_note(
        &mut self,
        conversation: &ConversationId,
        text: &str,
    ) -> Option<AgentFrame> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        self.kb.notes.failed = None;
        let frame = AgentFrame::AddNote {
            conversation: conversation.clone(),
            text: text.to_owned(),
        };
        let ask = Ask::AddNote {
            conversation: conversation.clone(),
            text: text.to_owned(),
        };
        Some(self.ask(ask, frame))
    }

    /// Whether a note in `conversation` is on its way.
    pub(crate) fn adding_note(&self, conversation: &ConversationId) -> bool {
        self.asking(|a| matches!(a, Ask::AddNote { conversation: c, .. } if c == conversation))
    }

    /// `note`: the answer to this console's `add_note` (matched by what it
    /// says), or another agent's note pushed live; kept once either way.
    pub(super) fn on_note(&mut self, note: PrivateNote) {
        let mine = self.answered(|a| {
            matches!(a, Ask::AddNote { conversation, text }
                if *conversation == note.conversation && *text == note.text)
        });
        if mine.is_some() && self.kb.notes.failure(&note.conversation).is_some() {
            self.kb.notes.failed = None;
        }
        self.kb.notes.keep(note);
    }

    /// `notes`: a conversation's notes, answering the `notes` sent on open.
    pub(super) fn on_notes(&mut self, conversation: &ConversationId, notes: Vec<PrivateNote>) {
        for note in notes
            .into_iter()
            .filter(|n| n.conversation == *conversation)
        {
            self.kb.notes.keep(note);
        }
    }
}
