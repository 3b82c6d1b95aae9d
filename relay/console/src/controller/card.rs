//! The agent's customer-card and search actions, as the components call
//! them (an admin's export and erasure too): each updates the model and
//! sends the frame it returns.

use leptos::prelude::Update;
use shared::contacts::{Channel, MergeDecision};
use shared::{AgentFrame, ContactId, MergeProposalId};

use super::Controller;
use crate::model::Model;

impl Controller {
    /// Runs a model action and sends the frame it produced, if any.
    pub(super) fn send_from(&self, action: impl FnOnce(&mut Model) -> Option<AgentFrame>) {
        if let Some(frame) = self.model().try_update(action).flatten() {
            self.send(&frame);
        }
    }

    pub(crate) fn search_contacts(&self, query: &str) {
        self.send_from(|m| m.search_contacts(query));
    }

    pub(crate) fn clear_search(&self) {
        self.model().update(Model::clear_search);
    }

    /// Shows a contact's card in place of the open conversation.
    pub(crate) fn open_contact(&self, contact: &ContactId) {
        self.stop_typing();
        self.send_from(|m| Some(m.open_contact(contact)));
    }

    pub(crate) fn close_contact(&self) {
        self.model().update(Model::close_contact);
    }

    pub(crate) fn retry_card(&self) {
        self.send_from(Model::retry_card);
    }

    pub(crate) fn load_older(&self) {
        self.send_from(Model::load_older);
    }

    pub(crate) fn filter_channel(&self, channel: Option<Channel>) {
        self.model().update(|m| m.filter_channel(channel));
    }

    pub(crate) fn decide_merge(&self, proposal: &MergeProposalId, decision: MergeDecision) {
        self.send_from(|m| m.decide_merge(proposal, decision));
    }

    /// Admins: asks for the shown contact's record; it arrives as a download.
    pub(crate) fn export_contact(&self) {
        self.send_from(Model::export_contact);
    }

    /// Admins: "Erase record" opens a confirm step; nothing is sent yet.
    pub(crate) fn ask_erase(&self) {
        self.model().update(Model::ask_erase);
    }

    pub(crate) fn cancel_erase(&self) {
        self.model().update(Model::cancel_erase);
    }

    /// Admins: the confirmed erasure of the shown contact.
    pub(crate) fn erase_contact(&self) {
        self.send_from(Model::erase_contact);
    }
}
