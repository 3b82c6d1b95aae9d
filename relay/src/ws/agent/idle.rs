//! An agent who does nothing for a while goes away on their own, so
//! routing stops handing conversations to an empty chair. The console is
//! told (`presence: away`) and the agent comes back by choosing Online.

use shared::{Presence, ServerFrame};

use super::AgentSession;
use crate::ws::outbox::Outbox;

impl AgentSession {
    /// On each ping tick: an online agent idle on this node for the
    /// setting's time is set away, and each of its consoles here told once.
    pub(super) async fn away_if_idle(&mut self, out: &mut Outbox) {
        let Some(agent) = &self.agent else { return };
        let after = self.app.config.limits.agent_idle_away_secs;
        if after == 0 || self.app.presence.idle_for(&agent.id).as_secs() < after {
            return;
        }
        let service = &self.app.conversations;
        let presence = match service.presence_of(&agent.id).await {
            Ok(presence) => presence,
            Err(e) => return tracing::warn!(error = %e, "could not read presence"),
        };
        let presence = if presence == Presence::Online {
            if let Err(e) = service.set_presence(agent, Presence::Away).await {
                return tracing::warn!(error = %e, "could not set an idle agent away");
            }
            tracing::info!(agent = %agent.id, "idle; set away");
            Presence::Away
        } else {
            presence
        };
        if presence == Presence::Away && !self.told_idle {
            self.told_idle = true;
            out.push(ServerFrame::Presence { presence });
        }
    }
}
