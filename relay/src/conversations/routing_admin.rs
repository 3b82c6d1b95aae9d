//! Routing as people change it: an agent taking a waiting conversation
//! (an offline message) by hand, and admins setting an agent's languages,
//! skills and capacity, and a site's teams, topics, deadlines, priority
//! and opening hours. Every setting is checked before it is stored.

use shared::hours::OpeningHours;
use shared::routing::{check_agent_routing, SiteRouting};
use shared::{AgentId, AgentProfile, ConversationId, ConversationStatus, SiteId};

use super::{ConversationService, ServiceError, ServiceResult};
use crate::agents::MAX_CAPACITY;
use crate::opening_hours;
use crate::store::{AgentRecord, Conversation, Site};

/// A site's routing settings and hours, as admins edit them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings {
    pub site: SiteId,
    pub routing: SiteRouting,
    pub hours: Option<OpeningHours>,
}

impl SiteSettings {
    fn of(site: &Site) -> Self {
        Self {
            site: site.id.clone(),
            routing: site.routing.clone(),
            hours: site.hours.clone(),
        }
    }
}

fn admin_only(agent: &AgentRecord, what: &'static str) -> ServiceResult<()> {
    if agent.admin {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(what))
    }
}

/// Checks a schedule (shape, zone, calendar dates) with a clear message.
pub fn check_hours(hours: &OpeningHours) -> ServiceResult<()> {
    opening_hours::check(hours).map_err(|e| ServiceError::Invalid(format!("hours: {e}")))
}

impl ConversationService {
    /// The agent takes a waiting conversation (usually an offline
    /// message); the store's capacity rule holds as for routing.
    pub async fn take(
        &self,
        agent: &AgentRecord,
        id: &ConversationId,
    ) -> ServiceResult<Conversation> {
        let waiting = self
            .store
            .conversation(id)
            .await?
            .filter(|c| c.status == ConversationStatus::Waiting)
            .ok_or(ServiceError::NotFound("no such waiting conversation"))?;
        let taken = self
            .store
            .assign_matched(&waiting.id, &agent.id, None, self.clock.now_ms())
            .await?;
        self.assigned_fact(&taken).await;
        tracing::info!(conversation = %id, agent = %agent.id, offline = taken.route.offline, "taken by hand");
        self.after_change(&taken, None, true).await;
        Ok(taken)
    }

    /// An admin sets an agent's languages, skills and capacity.
    pub async fn set_agent_routing(
        &self,
        admin: &AgentRecord,
        agent: &AgentId,
        languages: Vec<String>,
        skills: Vec<String>,
        max_concurrent: u32,
    ) -> ServiceResult<Vec<AgentProfile>> {
        admin_only(
            admin,
            "only admins set agents' languages, skills and capacity",
        )?;
        let languages: Vec<String> = languages.iter().map(|l| l.trim().to_owned()).collect();
        let skills: Vec<String> = skills.iter().map(|s| s.trim().to_owned()).collect();
        check_agent_routing(&languages, &skills)
            .map_err(|e| ServiceError::Invalid(e.to_string()))?;
        if max_concurrent == 0 || max_concurrent > MAX_CAPACITY {
            return Err(ServiceError::Invalid(format!(
                "max_concurrent must be 1 to {MAX_CAPACITY}"
            )));
        }
        self.store
            .set_agent_routing(agent, &languages, &skills, max_concurrent)
            .await
            .map_err(|e| match ServiceError::from(e) {
                ServiceError::NotFound(_) => ServiceError::UnknownAgent,
                other => other,
            })?;
        tracing::info!(agent = %agent, by = %admin.id, max_concurrent, "agent routing changed");
        // More capacity or a new language may let the queue move.
        self.assign_after_step(false).await;
        self.list_agents(admin).await
    }

    /// A site's routing settings and hours (any agent may read them: the
    /// console explains the queue with them).
    pub async fn site_settings(&self, id: &SiteId) -> ServiceResult<SiteSettings> {
        let site = self
            .store
            .site(id)
            .await?
            .ok_or(ServiceError::NotFound("no such site"))?;
        Ok(SiteSettings::of(&site))
    }

    /// An admin replaces a site's routing settings and hours.
    pub async fn save_site_settings(
        &self,
        admin: &AgentRecord,
        settings: SiteSettings,
    ) -> ServiceResult<SiteSettings> {
        admin_only(admin, "only admins change routing settings")?;
        let routing = settings.routing;
        routing
            .check()
            .map_err(|e| ServiceError::Invalid(e.to_string()))?;
        for team in &routing.teams {
            if let Some(hours) = &team.hours {
                check_hours(hours)?;
            }
        }
        if let Some(hours) = &settings.hours {
            check_hours(hours)?;
        }
        let mut site = self
            .store
            .site(&settings.site)
            .await?
            .ok_or(ServiceError::NotFound("no such site"))?;
        site.routing = routing;
        site.hours = settings.hours;
        self.store.put_site(&site).await?;
        self.assigner.forget_site(&site.id);
        tracing::info!(site = %site.id, by = %admin.id, "routing settings saved");
        self.assign_after_step(false).await;
        Ok(SiteSettings::of(&site))
    }
}
