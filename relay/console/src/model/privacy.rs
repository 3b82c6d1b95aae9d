//! An admin's privacy actions on the customer card: export the shown
//! contact's whole record (saved as a JSON file) and erase it. The relay
//! refuses both to anyone but an admin, so others are not offered them;
//! an erasure cannot be undone, so it is sent only after the agent
//! confirmed it for the very contact still shown.
//!
//! Each request waits in `requests.rs`, so a refusal lands on the card as
//! its note; answers are matched by their contact. An erasure clears the
//! contact's card (leaving its note), its search hits, and the text of
//! its conversations already loaded, which the relay has just redacted.

use shared::privacy::{ContactExport, Erased, ERASED_TEXT};
use shared::{AgentFrame, ContactId, ConversationId, ErrorCode, Role};

use super::card::{CardPanel, Subject};
use super::requests::Request;
use super::{Effect, Model, Note, Phase};

impl Model {
    /// The contact export and erasure would act on: the shown card's, for
    /// a signed-in admin.
    fn privacy_subject(&self) -> Option<ContactId> {
        if self.phase != Phase::SignedIn || !self.is_admin() {
            return None;
        }
        self.card.card.as_ref().map(|c| c.contact.id.clone())
    }

    /// Whether the card shows "Export record" and "Erase record".
    pub(crate) fn offers_privacy(&self) -> bool {
        self.privacy_subject().is_some()
    }

    /// The shown contact's `export_contact`, unless one is in flight.
    pub(crate) fn export_contact(&mut self) -> Option<AgentFrame> {
        let contact = self.privacy_subject()?;
        let request = Request::Export(contact.clone());
        if self.requests.waiting(|r| *r == request) {
            return None;
        }
        self.card.note = None;
        self.requests.push(request);
        Some(AgentFrame::ExportContact { contact })
    }

    /// An export of the shown contact is on its way.
    pub(crate) fn exporting(&self) -> bool {
        self.privacy_subject()
            .is_some_and(|c| self.requests.waiting(|r| *r == Request::Export(c.clone())))
    }

    /// "Erase record": opens the confirm step; nothing is sent yet.
    pub(crate) fn ask_erase(&mut self) {
        if self.erasing() {
            return;
        }
        if let Some(contact) = self.privacy_subject() {
            self.card.confirm_erase = Some(contact);
        }
    }

    pub(crate) fn cancel_erase(&mut self) {
        self.card.confirm_erase = None;
    }

    /// The confirm step is open for the contact shown.
    pub(crate) fn confirming_erase(&self) -> bool {
        self.card.confirm_erase.is_some() && self.card.confirm_erase == self.privacy_subject()
    }

    /// The confirmed `erase_contact`: `None` unless the agent confirmed it
    /// for the contact still shown (a merge may have replaced the card
    /// since), or while one is in flight.
    pub(crate) fn erase_contact(&mut self) -> Option<AgentFrame> {
        if !self.confirming_erase() || self.erasing() {
            return None;
        }
        let contact = self.card.confirm_erase.take()?;
        self.card.note = None;
        self.requests.push(Request::Erase(contact.clone()));
        Some(AgentFrame::EraseContact { contact })
    }

    /// An erasure of the shown contact is on its way.
    pub(crate) fn erasing(&self) -> bool {
        self.privacy_subject()
            .is_some_and(|c| self.requests.waiting(|r| *r == Request::Erase(c.clone())))
    }

    /// `contact_export`: the record to save as `contact-<id>.json`. Saved
    /// even if the agent has moved on (they asked for it); the note is for
    /// the card it was asked on.
    pub(super) fn on_contact_export(&mut self, export: &ContactExport) -> Vec<Effect> {
        let contact = export.contact.id.clone();
        self.requests
            .take(|r| *r == Request::Export(contact.clone()));
        let file = format!("contact-{contact}.json");
        let (note, fx) = match serde_json::to_string_pretty(export) {
            Ok(json) => (
                Note::ContactExported(file.clone()),
                vec![Effect::Download { file, json }],
            ),
            Err(_) => (Note::ExportFailed(ErrorCode::Internal), Vec::new()),
        };
        self.privacy_note(&contact, note);
        fx
    }

    /// The browser would not save the export after all.
    pub(crate) fn export_not_saved(&mut self) {
        self.card.note = Some(Note::ExportFailed(ErrorCode::Internal));
    }

    /// `contact_erased`: the contact is gone from the card, the search
    /// hits and the loaded transcripts; the card's note says what went.
    pub(super) fn on_contact_erased(&mut self, erased: Erased) {
        let contact = erased.contact.clone();
        self.requests
            .take(|r| *r == Request::Erase(contact.clone()));
        if let Some(search) = self.search.as_mut() {
            search.hits.retain(|hit| hit.contact.id != contact);
        }
        let panel = &mut self.card;
        let shown = panel.card.as_ref().filter(|c| c.contact.id == contact);
        let conversations: Vec<ConversationId> = shown
            .map(|c| c.conversations.iter().map(|s| s.id.clone()).collect())
            .unwrap_or_default();
        let alone = panel.subject == Some(Subject::Contact(contact));
        if shown.is_some() || alone {
            // The subject stays so the panel, and the note, stay in place.
            *panel = CardPanel {
                subject: panel.subject.take(),
                note: Some(Note::ContactErased(erased)),
                ..CardPanel::default()
            };
        }
        self.redact(&conversations);
    }

    /// Loaded messages of these conversations read as the relay now
    /// stores them: erased text, no visitor name.
    fn redact(&mut self, conversations: &[ConversationId]) {
        let erased = self
            .convs
            .iter_mut()
            .filter(|(id, _)| conversations.contains(id));
        for (_, conv) in erased {
            for message in conv.messages.values_mut() {
                ERASED_TEXT.clone_into(&mut message.text);
                if message.author.role == Role::Visitor {
                    message.author.name = None;
                }
            }
        }
    }

    /// Puts `note` on the card if it still shows `contact` (a note about
    /// another contact's record would mislead there).
    pub(super) fn privacy_note(&mut self, contact: &ContactId, note: Note) {
        let panel = &mut self.card;
        if panel
            .card
            .as_ref()
            .is_some_and(|c| c.contact.id == *contact)
        {
            panel.note = Some(note);
        }
    }
}

impl CardPanel {
    /// Whether `contact` is the one this panel showed until it was erased.
    pub(super) fn erased(&self, contact: &ContactId) -> bool {
        matches!(&self.note, Some(Note::ContactErased(e)) if e.contact == *contact)
    }
}
