//! An agent's hello: sign in through the service, then the welcome (its
//! conversations, presence and the queue), the conversations it asked to
//! resume, and the history of the rest. Repeated failures close the
//! socket.

use shared::limits::CLOSE_POLICY;
use shared::{AgentAuth, ConversationId, ErrorCode, ResumePoint, ServerFrame, PROTOCOL_VERSION};

use super::AgentSession;
use crate::conversations::ServiceError;
use crate::secrets::token_hash;
use crate::store::Conversation;
use crate::ws::delivery::resume_points;
use crate::ws::outbox::Outbox;

impl AgentSession {
    pub(super) async fn hello(
        &mut self,
        protocol: u32,
        auth: AgentAuth,
        resume: Vec<ResumePoint>,
        out: &mut Outbox,
    ) {
        if protocol != PROTOCOL_VERSION {
            return out.error(
                ErrorCode::UnsupportedProtocol,
                format!("this relay speaks protocol {PROTOCOL_VERSION}"),
            );
        }
        let resume = match resume_points(resume) {
            Ok(resume) => resume,
            Err(e) => return out.refuse(&e),
        };
        let app = std::sync::Arc::clone(&self.app);
        let service = &app.conversations;
        let signed_in = match service.sign_in(auth, Some(self.peer)).await {
            Ok(signed_in) => signed_in,
            Err(ServiceError::AuthFailed) => return self.refuse_sign_in(out),
            Err(e) => return out.refuse(&e),
        };
        let agent = signed_in.agent;
        let desk = match service.desk(&agent).await {
            Ok(desk) => desk,
            Err(e) => return out.refuse(&e),
        };
        app.presence.connected(&agent.id);
        self.sub.watch_agent(&agent.id);
        self.sub.watch_queue();
        for conversation in &desk.conversations {
            self.track(conversation);
        }
        self.queue = desk.waiting.iter().map(|c| c.id.clone()).collect();
        out.push(ServerFrame::AgentWelcome {
            protocol: PROTOCOL_VERSION,
            session_token: signed_in.session_token.clone(),
            agent: agent.profile(desk.presence),
            conversations: desk
                .conversations
                .iter()
                .map(Conversation::summary)
                .collect(),
            waiting: desk.waiting.iter().map(Conversation::summary).collect(),
            sites: desk.sites,
        });
        self.session_hash = Some(token_hash(&signed_in.session_token));
        self.agent = Some(agent.clone());
        self.app.presence.active(&agent.id);
        let resumed: Vec<ConversationId> = resume.iter().map(|p| p.conversation.clone()).collect();
        for point in resume {
            self.resume(&agent, point, out).await;
        }
        for conversation in desk
            .conversations
            .iter()
            .filter(|c| !resumed.contains(&c.id))
        {
            if let Err(e) = self.delivery.catch_up(service, &conversation.id, out).await {
                return out.refuse(&e);
            }
        }
    }

    fn refuse_sign_in(&mut self, out: &mut Outbox) {
        self.failed_sign_ins += 1;
        tracing::warn!(failures = self.failed_sign_ins, "agent sign-in failed");
        out.refuse(&ServiceError::AuthFailed);
        if self.failed_sign_ins >= self.app.config.limits.max_failed_sign_ins {
            out.close(CLOSE_POLICY, "too many failed sign-ins");
        }
    }
}
