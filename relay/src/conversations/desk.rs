//! An agent at the desk: signing in (password or session token; never a
//! disabled agent), what it finds on arrival (its conversations, its
//! presence, the queue), setting presence, signing out.

use std::net::IpAddr;

use shared::{AgentAuth, Presence};

use super::{sign_in_guard, ConversationService, ServiceError, ServiceResult};
use crate::secrets::{new_token, token_hash};
use crate::store::{AgentRecord, Conversation};

/// A successful sign-in: the agent and its session token.
#[derive(Debug)]
pub struct SignedIn {
    pub agent: AgentRecord,
    pub session_token: String,
}

/// What a signed-in agent starts from.
#[derive(Debug)]
pub struct Desk {
    pub conversations: Vec<Conversation>,
    pub presence: Presence,
    pub waiting: Vec<Conversation>,
    /// The sites agents serve (the demo site only when it is enabled).
    pub sites: Vec<shared::frames::SiteBrief>,
}

impl ConversationService {
    /// Signs an agent in; a password sign-in opens a new session.
    /// Unknown email, wrong password and an expired session are alike
    /// `AuthFailed`; an account or address that failed too often must
    /// wait first (`SignInLocked`, see [`sign_in_guard`]).
    pub async fn sign_in(&self, auth: AgentAuth, peer: Option<IpAddr>) -> ServiceResult<SignedIn> {
        let store = self.store.as_ref();
        let signed_in = match auth {
            AgentAuth::Password { email, password } => {
                let keys = sign_in_guard::keys(&email, peer);
                let _turn = self.signing_in.take(peer).await;
                self.sign_in_allowed(&keys).await?;
                match self.auth.sign_in(store, &email, &password).await? {
                    Some(agent) => {
                        self.sign_in_succeeded(&keys).await?;
                        let token = new_token();
                        let ttl = shared::limits::duration_ms(self.limits.session_ttl);
                        let expires = crate::now_ms().saturating_add(ttl);
                        store
                            .create_session(&token_hash(&token), &agent.id, expires)
                            .await?;
                        Some((agent, token))
                    }
                    None => {
                        tracing::warn!(email = %email, peer = ?peer, "failed sign-in");
                        self.sign_in_failed(&keys).await?;
                        None
                    }
                }
            }
            AgentAuth::Session { token } => {
                match store
                    .session_agent(&token_hash(&token), crate::now_ms())
                    .await?
                {
                    Some(id) => store
                        .agent(&id)
                        .await?
                        .filter(|agent| !agent.disabled)
                        .map(|agent| (agent, token)),
                    None => None,
                }
            }
        };
        let (agent, session_token) = signed_in.ok_or(ServiceError::AuthFailed)?;
        tracing::info!(agent = %agent.id, "agent signed in");
        Ok(SignedIn {
            agent,
            session_token,
        })
    }

    /// The agent's presence as the store has it.
    pub async fn presence_of(&self, agent: &shared::AgentId) -> ServiceResult<shared::Presence> {
        Ok(self.store.agent_status(agent).await?.presence)
    }

    /// The agent's open conversations, presence and the queue.
    pub async fn desk(&self, agent: &AgentRecord) -> ServiceResult<Desk> {
        let store = self.store.as_ref();
        let (conversations, status, waiting) = tokio::try_join!(
            store.agent_conversations(&agent.id),
            store.agent_status(&agent.id),
            store.waiting(),
        )?;
        Ok(Desk {
            conversations,
            presence: status.presence,
            waiting: shared::routing::queue_order(waiting, |c| &c.route),
            sites: self.site_briefs().await?,
        })
    }

    /// Every site agents may pick in the console, by name.
    pub async fn site_briefs(&self) -> ServiceResult<Vec<shared::frames::SiteBrief>> {
        let mut briefs = Vec::new();
        for id in self.store.sites().await? {
            if let Ok(site) = self.site(&id).await {
                briefs.push(shared::frames::SiteBrief {
                    id: site.id,
                    name: site.name,
                    languages: site.languages,
                });
            }
        }
        briefs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(briefs)
    }

    /// Sets the agent's presence; coming online may take from the queue.
    pub async fn set_presence(&self, agent: &AgentRecord, presence: Presence) -> ServiceResult<()> {
        self.store
            .set_presence(&agent.id, presence, crate::now_ms())
            .await?;
        tracing::info!(agent = %agent.id, ?presence, "presence");
        if presence == Presence::Online {
            self.assign_after_step(false).await;
        }
        Ok(())
    }

    /// Ends the session whose token hashes to `session_hash`.
    pub async fn sign_out(&self, session_hash: &str) -> ServiceResult<()> {
        Ok(self.store.delete_session(session_hash).await?)
    }
}
