//! The agent's status as the relay has it, and telling the relay's own
//! change (an idle agent set away) from the echo of the agent's choice.
//!
//! The relay answers every `set_presence` with a `presence` frame, in
//! order, and also pushes `presence { away }` on its own when the agent
//! has been idle. An `away` that answers no choice in flight while the
//! agent chose `online` is the automatic one: the console says "Away
//! (idle)" and offers "I'm back". The away is kept across reconnects (the
//! welcome re-sends the presence the model holds) so a dropped socket
//! does not hand conversations to an agent who is not there.

use std::collections::VecDeque;

use shared::{AgentFrame, Presence};

use super::Model;

/// What the console knows about its presence beyond the value itself.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Status {
    /// The relay set the agent away for being idle.
    pub(crate) idle: bool,
    /// `set_presence` frames sent and not yet echoed, oldest first.
    asked: VecDeque<Presence>,
}

impl Model {
    /// The `set_presence` for the agent's choice.
    pub(crate) fn choose_presence(&mut self, presence: Presence) -> AgentFrame {
        self.presence = presence;
        self.status.idle = false;
        self.status.asked.push_back(presence);
        AgentFrame::SetPresence { presence }
    }

    /// The presence to restore on a new socket; nothing earlier will be echoed.
    pub(super) fn presence_again(&mut self) -> AgentFrame {
        self.status.asked.clear();
        self.status.asked.push_back(self.presence);
        AgentFrame::SetPresence {
            presence: self.presence,
        }
    }

    /// A `presence` frame: an echo of a choice, or the relay's own change.
    pub(super) fn on_presence(&mut self, presence: Presence) {
        let echo = self.status.asked.front() == Some(&presence);
        if echo {
            self.status.asked.pop_front();
        }
        let automatic = !echo && presence == Presence::Away && self.presence == Presence::Online;
        self.status.idle = automatic || (self.status.idle && presence == Presence::Away);
        self.presence = presence;
        if let Some(me) = &mut self.me {
            me.presence = presence;
        }
    }
}
