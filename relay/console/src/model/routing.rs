//! Routing's part of the model: each site's settings as the relay last
//! sent them (every agent reads them, to explain the queue), taking an
//! offline message by hand, and the admins' "Routing" panel (a site's
//! settings and hours; each agent's languages, skills and capacity are
//! `agent_routing.rs`).
//!
//! Requests wait in `requests.rs` like the account's, so an anonymous
//! error lands on the form that asked; a refused save keeps the form
//! (it lives in the UI, rebuilt only when [`RoutingAdmin::stamp`] moves,
//! which an answer to the admin's own load or save does). The settings
//! every welcome asks for in the background are not requests: an answer
//! for a site first ends the oldest of those, as the relay answers in order.

use std::collections::BTreeMap;

use shared::hours::OpeningHours;
use shared::routing::SiteRouting;
use shared::{AgentFrame, AgentId, ConversationId, ConversationStatus, ErrorCode, SiteId};

use super::requests::{Fetch, Request};
use super::routing_form::{FormProblem, RoutingForm};
use super::{Effect, Model};

/// The most conversations an agent may hold at once (the relay's limit).
pub(crate) const MAX_CAPACITY: u32 = 100;

/// A site's settings as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) routing: SiteRouting,
    pub(crate) hours: Option<OpeningHours>,
}

/// A routing request waiting for its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoutingAsk {
    /// The admin opened a site's settings.
    Load(SiteId),
    Save(SiteId),
    Take(ConversationId),
    /// `set_agent_routing`: answered by an `agents` list showing it done.
    Agent {
        agent: AgentId,
        languages: Vec<String>,
        skills: Vec<String>,
        max_concurrent: u32,
    },
}

/// What came of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoutingNote {
    Saved,
    /// Not sent: the console's own check.
    Invalid(FormProblem),
    /// Refused; the relay's message names a refused field.
    Failed {
        code: ErrorCode,
        message: String,
    },
}

/// The admins' panel.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct RoutingAdmin {
    pub(crate) site: Option<SiteId>,
    pub(crate) load: Fetch,
    pub(crate) saving: bool,
    pub(crate) note: Option<RoutingNote>,
    /// Moves whenever the form must be filled from the stored settings.
    pub(crate) stamp: u64,
    /// The agents' section: the last save or refusal, and whose.
    pub(crate) agent_note: Option<(AgentId, RoutingNote)>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Routing {
    pub(crate) sites: BTreeMap<SiteId, Settings>,
    pub(crate) admin: RoutingAdmin,
    /// Why taking a conversation failed.
    pub(crate) take_failed: Option<(ConversationId, ErrorCode)>,
    /// Sites whose settings were asked for in the background, oldest first.
    background: Vec<SiteId>,
}

fn is_take(request: &Request, id: &ConversationId) -> bool {
    matches!(request, Request::Routing(RoutingAsk::Take(c)) if c == id)
}

impl Model {
    /// Whether the "Routing" panel is offered: admins only.
    pub(crate) fn can_edit_routing(&self) -> bool {
        self.is_admin()
    }

    /// After `agent_welcome`: every site's settings (for explaining the
    /// queue); what was in flight on the old socket is not any more, but
    /// a site being loaded for the panel is asked for again.
    pub(super) fn routing_again(&mut self) -> Vec<Effect> {
        let routing = &mut self.routing;
        let loading = routing
            .admin
            .site
            .clone()
            .filter(|_| routing.admin.load == Fetch::Pending);
        routing.admin.load = Fetch::Settled;
        routing.admin.saving = false;
        routing.background = self.kb.sites.iter().map(|s| s.id.clone()).collect();
        let mut fx: Vec<Effect> = routing
            .background
            .iter()
            .map(|site| Effect::Send(AgentFrame::SiteSettings { site: site.clone() }))
            .collect();
        fx.extend(
            loading
                .and_then(|site| self.routing_pick_site(&site))
                .map(Effect::Send),
        );
        fx
    }

    /// Picks the site to edit (or loads it again).
    pub(crate) fn routing_pick_site(&mut self, site: &SiteId) -> Option<AgentFrame> {
        if !self.can_edit_routing() {
            return None;
        }
        let admin = &mut self.routing.admin;
        if admin.site.as_ref() != Some(site) {
            admin.site = Some(site.clone());
            admin.note = None;
        }
        admin.load = Fetch::Pending;
        self.requests
            .push(Request::Routing(RoutingAsk::Load(site.clone())));
        Some(AgentFrame::SiteSettings { site: site.clone() })
    }

    /// The form for the chosen site, from its stored settings.
    pub(crate) fn routing_form(&self) -> RoutingForm {
        let stored = self.routing.admin.site.as_ref();
        match stored.and_then(|s| self.routing.sites.get(s)) {
            Some(s) => RoutingForm::of(&s.routing, s.hours.as_ref()),
            None => RoutingForm::of(&SiteRouting::default(), None),
        }
    }

    /// "Save": checked here first; a problem is told and nothing is sent.
    pub(crate) fn routing_save(&mut self, form: &RoutingForm) -> Option<AgentFrame> {
        let site = self
            .routing
            .admin
            .site
            .clone()
            .filter(|_| self.can_edit_routing())?;
        let admin = &mut self.routing.admin;
        // Until the chosen site's settings are in, the form holds another's.
        if admin.saving || admin.load != Fetch::Settled {
            return None;
        }
        let (routing, hours) = match form.to_settings() {
            Ok(settings) => settings,
            Err(problem) => {
                admin.note = Some(RoutingNote::Invalid(problem));
                return None;
            }
        };
        admin.saving = true;
        admin.note = None;
        self.requests
            .push(Request::Routing(RoutingAsk::Save(site.clone())));
        Some(AgentFrame::SaveSiteSettings {
            site,
            routing: Box::new(routing),
            hours,
        })
    }

    /// `site_settings`: kept for explaining; the answer to the admin's
    /// load or save refills the form.
    pub(super) fn on_site_settings(&mut self, site: SiteId, settings: Settings) {
        self.routing.sites.insert(site.clone(), settings);
        if let Some(at) = self.routing.background.iter().position(|s| *s == site) {
            self.routing.background.remove(at);
            return;
        }
        let asked = self.requests.take(|r| {
            matches!(r, Request::Routing(RoutingAsk::Load(s) | RoutingAsk::Save(s)) if *s == site)
        });
        let admin = &mut self.routing.admin;
        if admin.site.as_ref() != Some(&site) {
            return;
        }
        match asked {
            Some(Request::Routing(RoutingAsk::Load(_))) => admin.load = Fetch::Settled,
            Some(Request::Routing(RoutingAsk::Save(_))) => {
                admin.saving = false;
                admin.note = Some(RoutingNote::Saved);
            }
            _ => return,
        }
        admin.stamp += 1;
    }

    /// "Take": a waiting conversation becomes the agent's.
    pub(crate) fn take(&mut self, id: &ConversationId) -> Option<AgentFrame> {
        let waiting = self.queue.contains(id)
            && self
                .convs
                .get(id)
                .is_some_and(|c| !c.mine && c.summary.status == ConversationStatus::Waiting);
        if !waiting || self.taking(id) {
            return None;
        }
        self.routing.take_failed = None;
        self.requests
            .push(Request::Routing(RoutingAsk::Take(id.clone())));
        Some(AgentFrame::Take {
            conversation: id.clone(),
        })
    }

    pub(crate) fn taking(&self, id: &ConversationId) -> bool {
        self.requests.waiting(|r| is_take(r, id))
    }

    /// A conversation became the agent's: one it took opens at once.
    pub(super) fn on_mine(&mut self, id: &ConversationId) -> Vec<AgentFrame> {
        if self.requests.take(|r| is_take(r, id)).is_some() {
            self.open(id)
        } else {
            Vec::new()
        }
    }

    /// An error taken as the answer to a routing request.
    pub(super) fn routing_failed(&mut self, ask: RoutingAsk, code: ErrorCode, message: &str) {
        let admin = &mut self.routing.admin;
        let failed = RoutingNote::Failed {
            code,
            message: message.to_owned(),
        };
        match ask {
            RoutingAsk::Load(site) => {
                if admin.site.as_ref() == Some(&site) {
                    admin.load = Fetch::Failed(code);
                }
            }
            RoutingAsk::Save(_) => {
                admin.saving = false;
                admin.note = Some(failed);
            }
            RoutingAsk::Take(id) => self.routing.take_failed = Some((id, code)),
            RoutingAsk::Agent { agent, .. } => admin.agent_note = Some((agent, failed)),
        }
    }
}
