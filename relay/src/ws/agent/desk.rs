//! An agent's steps whose only answer is a frame or the events that
//! follow: presence, transfer, close, reopen, taking a waiting
//! conversation, the team's accounts and routing settings, signing out.

use shared::limits::CLOSE_NORMAL;
use shared::{AgentFrame, ServerFrame};

use super::AgentSession;
use crate::agents::NewAgent;
use crate::conversations::routing_admin::SiteSettings;
use crate::conversations::{Actor, ServiceResult};
use crate::store::AgentRecord;
use crate::ws::outbox::Outbox;

impl AgentSession {
    /// Presence, transfer, close and the team's accounts: steps whose
    /// only answer is a frame or the events that follow.
    pub(super) async fn desk_step(
        &self,
        agent: &AgentRecord,
        frame: AgentFrame,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let service = &self.app.conversations;
        match frame {
            AgentFrame::SetPresence { presence } => {
                service.set_presence(agent, presence).await?;
                out.push(ServerFrame::Presence { presence });
            }
            AgentFrame::Transfer {
                conversation,
                to_agent,
            } => {
                service.transfer(agent, &conversation, &to_agent).await?;
            }
            AgentFrame::Close { conversation } => {
                service.close(Actor::Agent(agent), &conversation).await?;
            }
            AgentFrame::Reopen { conversation } => {
                service.reopen(agent, &conversation).await?;
            }
            AgentFrame::ListAgents => {
                let agents = service.list_agents(agent).await?;
                out.push(ServerFrame::Agents { agents });
            }
            AgentFrame::SetAgentDisabled {
                agent: target,
                disabled,
            } => {
                let agents = service.set_agent_disabled(agent, &target, disabled).await?;
                out.push(ServerFrame::Agents { agents });
            }
            AgentFrame::AddAgent {
                email,
                name,
                password,
                max_concurrent,
                admin,
            } => {
                let request = NewAgent {
                    email,
                    name,
                    password,
                    max_concurrent,
                    admin,
                };
                let agent = service.add_agent(agent, request).await?;
                out.push(ServerFrame::AgentAdded { agent });
            }
            AgentFrame::Take { conversation } => {
                service.take(agent, &conversation).await?;
            }
            AgentFrame::SetAgentRouting {
                agent: target,
                languages,
                skills,
                max_concurrent,
            } => {
                let agents = service
                    .set_agent_routing(agent, &target, languages, skills, max_concurrent)
                    .await?;
                out.push(ServerFrame::Agents { agents });
            }
            AgentFrame::SiteSettings { site } => {
                out.push(settings_frame(service.site_settings(&site).await?));
            }
            AgentFrame::SaveSiteSettings {
                site,
                routing,
                hours,
            } => {
                let settings = SiteSettings {
                    site,
                    routing: *routing,
                    hours,
                };
                out.push(settings_frame(
                    service.save_site_settings(agent, settings).await?,
                ));
            }
            // The rest are answered by `signed_in_frame`.
            _ => {}
        }
        Ok(())
    }

    pub(super) async fn sign_out(&mut self, out: &mut Outbox) -> ServiceResult<()> {
        if let Some(hash) = self.session_hash.take() {
            self.app.conversations.sign_out(&hash).await?;
        }
        out.close(CLOSE_NORMAL, "signed out");
        Ok(())
    }
}

fn settings_frame(settings: SiteSettings) -> ServerFrame {
    ServerFrame::SiteSettings {
        site: settings.site,
        routing: Box::new(settings.routing),
        hours: settings.hours,
    }
}
