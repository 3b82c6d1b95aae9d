//! The team's accounts: listing them (any agent), adding one and
//! disabling or enabling one (admins), changing one's own password and
//! signing out everywhere. Taking access back ends the sessions in the
//! store and then closes their sockets on every node (over the bus).

use shared::{AgentId, AgentProfile, Presence};

use super::{ConversationService, ServiceError, ServiceResult};
use crate::agents::{create_agent, NewAgent};
use crate::auth::{hash_password_blocking, MIN_PASSWORD_CHARS};
use crate::bus::Event;
use crate::store::AgentRecord;

impl ConversationService {
    /// Every agent with its current presence: two store reads, however
    /// many agents (the routing snapshot carries everyone's presence).
    pub async fn list_agents(&self, _asked_by: &AgentRecord) -> ServiceResult<Vec<AgentProfile>> {
        let store = self.store.as_ref();
        let (agents, snapshot) = tokio::try_join!(store.agents(), store.routing_snapshot())?;
        let presence = |id: &shared::AgentId| {
            snapshot
                .agents
                .iter()
                .find(|a| &a.id == id)
                .map_or(Presence::Offline, |a| a.presence)
        };
        Ok(agents.iter().map(|a| a.profile(presence(&a.id))).collect())
    }

    /// An admin adds an agent (offline until it signs in).
    pub async fn add_agent(
        &self,
        admin: &AgentRecord,
        request: NewAgent,
    ) -> ServiceResult<AgentProfile> {
        if !admin.admin {
            return Err(ServiceError::Forbidden("only admins can add agents"));
        }
        let record = create_agent(self.store.as_ref(), request).await?;
        Ok(record.profile(Presence::Offline))
    }

    /// Changes the agent's own password (the current one proves it is
    /// the agent at the keyboard); every other session of the agent ends.
    pub async fn change_password(
        &self,
        agent: &AgentRecord,
        current: &str,
        new: &str,
        session_hash: Option<&str>,
    ) -> ServiceResult<()> {
        if new.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ServiceError::Invalid(format!(
                "password must have at least {MIN_PASSWORD_CHARS} characters"
            )));
        }
        let store = self.store.as_ref();
        // A stolen session must not make guessing the current password
        // cheaper than signing in: the same per-account backoff applies.
        let keys = super::sign_in_guard::keys(&agent.email, None);
        self.sign_in_allowed(&keys).await?;
        if self
            .auth
            .sign_in(store, &agent.email, current)
            .await?
            .is_none()
        {
            self.sign_in_failed(&keys).await?;
            return Err(ServiceError::AuthFailed);
        }
        self.sign_in_succeeded(&keys).await?;
        let hash = hash_password_blocking(new.to_owned()).await?;
        store.set_password_hash(&agent.id, &hash).await?;
        tracing::info!(agent = %agent.id, "password changed");
        self.revoke_sessions(&agent.id, session_hash).await
    }

    /// Ends every session of the agent, this one too.
    pub async fn sign_out_everywhere(&self, agent: &AgentRecord) -> ServiceResult<()> {
        self.revoke_sessions(&agent.id, None).await
    }

    /// An admin disables (or enables again) another agent: a disabled one
    /// cannot sign in, goes offline and loses its sessions at once.
    pub async fn set_agent_disabled(
        &self,
        admin: &AgentRecord,
        agent: &AgentId,
        disabled: bool,
    ) -> ServiceResult<Vec<AgentProfile>> {
        if !admin.admin {
            return Err(ServiceError::Forbidden("only admins disable agents"));
        }
        if agent == &admin.id && disabled {
            return Err(ServiceError::Forbidden("admins cannot disable themselves"));
        }
        let store = self.store.as_ref();
        store
            .set_agent_disabled(agent, disabled)
            .await
            .map_err(|e| match ServiceError::from(e) {
                ServiceError::NotFound(_) => ServiceError::UnknownAgent,
                other => other,
            })?;
        tracing::info!(agent = %agent, by = %admin.id, disabled, "agent access changed");
        if disabled {
            store
                .set_presence(agent, Presence::Offline, crate::now_ms())
                .await?;
            self.revoke_sessions(agent, None).await?;
        }
        self.list_agents(admin).await
    }

    /// Ends the agent's sessions but `keep` in the store, then tells every
    /// node to close their sockets.
    async fn revoke_sessions(&self, agent: &AgentId, keep: Option<&str>) -> ServiceResult<()> {
        let ended = self.store.end_agent_sessions(agent, keep).await?;
        tracing::info!(agent = %agent, ended, "sessions revoked");
        self.publisher
            .publish(Event::SessionsRevoked {
                agent: agent.clone(),
                keep: keep.map(str::to_owned),
            })
            .await;
        Ok(())
    }
}
