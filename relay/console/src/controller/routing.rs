//! Routing's actions, as the components call them: taking an offline
//! message, "I'm back" after an idle away, and the admins' routing panel.
//! Each asks the model (which may refuse, saying why on its form) and
//! sends the frame it returns.

use shared::{AgentId, ConversationId, Presence, SiteId};

use super::Controller;
use crate::model::RoutingForm;

impl Controller {
    /// Takes a waiting conversation; it opens once the relay gives it.
    pub(crate) fn take(&self, conversation: &ConversationId) {
        self.send_from(|m| m.take(conversation));
    }

    /// Back from an idle away: online again, as if chosen.
    pub(crate) fn im_back(&self) {
        self.set_presence(Presence::Online);
    }

    pub(crate) fn routing_pick_site(&self, site: &SiteId) {
        self.send_from(|m| m.routing_pick_site(site));
    }

    /// Saves the form unless the model finds a problem (the panel says it).
    pub(crate) fn routing_save(&self, form: &RoutingForm) {
        self.send_from(|m| m.routing_save(form));
    }

    /// Saves an agent's languages, skills and capacity, as typed.
    pub(crate) fn set_agent_routing(
        &self,
        agent: &AgentId,
        languages: &str,
        skills: &str,
        capacity: &str,
    ) {
        self.send_from(|m| m.set_agent_routing(agent, languages, skills, capacity));
    }
}
