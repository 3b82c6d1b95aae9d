//! The account panel's actions, as the components call them: each asks
//! the model for the frame (it may refuse, saying why on the form) and
//! sends it.

use leptos::prelude::{Update, WithUntracked};
use shared::AgentId;

use super::Controller;
use crate::model::{Account, Model};

impl Controller {
    /// Sends a password change unless the model refuses it (the new
    /// password too short or not repeated exactly: the form says so).
    pub(crate) fn change_password(&self, current: &str, new: &str, repeat: &str) {
        self.send_from(|m| m.change_password(current, new, repeat));
    }

    /// Ends every session of the agent; the relay then closes this socket
    /// too, which signs the console out.
    pub(crate) fn sign_out_everywhere(&self) {
        self.send_from(|m| m.sign_out_everywhere());
    }

    /// Clears the panel's notes once it is closed.
    pub(crate) fn forget_account_notes(&self) {
        // Only when there are some: every update re-runs the console's memos.
        let any = self
            .model()
            .with_untracked(|m| m.account != Account::default());
        if any {
            self.model().update(Model::forget_account_notes);
        }
    }

    /// Admins: disables or enables another agent; the answer is the team list.
    pub(crate) fn set_agent_disabled(&self, agent: &AgentId, disabled: bool) {
        self.send_from(|m| m.set_agent_disabled(agent, disabled));
    }
}
