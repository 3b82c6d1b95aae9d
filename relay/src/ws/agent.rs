//! An agent's socket, translating frames into the conversation service's
//! steps and the service's answers and events into frames: sign in
//! ([`sign_in`]), the conversations it follows ([`follow`]), reply, type,
//! transfer, close, presence, the team's accounts, the customer card
//! ([`card`]), and an admin's reports and live view ([`live`]). No domain
//! rule lives here.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Arc;

use shared::limits::CLOSE_NORMAL;
use shared::{
    AgentFrame, ClientMsgId, ConversationId, ConversationSummary, ErrorCode, Role, ServerFrame,
};

mod card;
mod desk;
mod follow;
mod idle;
mod knowledge;
mod live;
mod resync;
mod sign_in;

use super::connection::RoleSession;
use super::delivery::Delivery;
use super::outbox::Outbox;
use crate::app::App;
use crate::bus::Event;
use crate::conversations::{AgentGrants, SeenVersions, ServiceResult};
use crate::hub::Subscription;
use crate::store::AgentRecord;

/// One agent connection.
#[derive(Debug)]
pub struct AgentSession {
    app: Arc<App>,
    sub: Subscription,
    agent: Option<AgentRecord>,
    session_hash: Option<String>,
    /// Open conversations assigned to this agent, as this connection knows them.
    assigned: HashSet<ConversationId>,
    /// Grants this connection replied under (the store re-checks each).
    grants: AgentGrants,
    /// Other agents' or waiting conversations this connection read (resumed)
    /// and so follows live until they leave the queue: the queue's
    /// previews and unread counts stay current without polling.
    following: HashSet<ConversationId>,
    delivery: Delivery,
    seen: SeenVersions,
    /// The queue as this connection last told it (see `queue_changed`).
    queue: Vec<ConversationId>,
    failed_sign_ins: u32,
    /// This console was told its agent went away for being idle.
    told_idle: bool,
    /// The client's address (behind a trusted proxy, whom it forwarded
    /// for): failed sign-ins count against it.
    peer: IpAddr,
    /// While an admin watches the live view: when to push it next.
    live_due: Option<tokio::time::Instant>,
}

impl AgentSession {
    pub fn new(app: Arc<App>, sub: Subscription, peer: IpAddr) -> Self {
        Self {
            app,
            sub,
            agent: None,
            session_hash: None,
            assigned: HashSet::new(),
            grants: AgentGrants::default(),
            following: HashSet::new(),
            delivery: Delivery::default(),
            seen: SeenVersions::default(),
            queue: Vec::new(),
            failed_sign_ins: 0,
            told_idle: false,
            peer,
            live_due: None,
        }
    }

    async fn send(
        &mut self,
        agent: &AgentRecord,
        conversation: ConversationId,
        client_msg_id: ClientMsgId,
        text: String,
        out: &mut Outbox,
    ) {
        let service = &self.app.conversations;
        let posted = service
            .agent_post(
                &mut self.grants,
                agent,
                &conversation,
                client_msg_id.clone(),
                text,
            )
            .await;
        self.delivery
            .answer_post(service, posted, &client_msg_id, out)
            .await;
    }

    async fn typing(
        &self,
        agent: &AgentRecord,
        conversation: ConversationId,
        typing: bool,
    ) -> ServiceResult<()> {
        let service = &self.app.conversations;
        let grant = service.agent_grant(agent, &conversation).await?;
        service.typing(&grant, typing).await
    }

    /// Frames of a signed-in agent.
    async fn signed_in_frame(&mut self, agent: AgentRecord, frame: AgentFrame, out: &mut Outbox) {
        self.app.presence.active(&agent.id);
        self.told_idle = false;
        let refused = match frame {
            AgentFrame::Hello { .. } => {
                return out.error(
                    ErrorCode::AlreadyGreeted,
                    "hello was already sent on this connection",
                )
            }
            AgentFrame::Send {
                conversation,
                client_msg_id,
                text,
            } => {
                return self
                    .send(&agent, conversation, client_msg_id, text, out)
                    .await
            }
            AgentFrame::Resume(point) => return self.resume(&agent, point, out).await,
            AgentFrame::Typing {
                conversation,
                typing,
            } => self.typing(&agent, conversation, typing).await,
            AgentFrame::SignOut => self.sign_out(out).await,
            AgentFrame::SignOutEverywhere => {
                let ended = self.app.conversations.sign_out_everywhere(&agent).await;
                if ended.is_ok() {
                    self.session_hash = None;
                    out.close(CLOSE_NORMAL, "signed out everywhere");
                }
                ended
            }
            AgentFrame::ChangePassword { current, new } => self
                .app
                .conversations
                .change_password(&agent, &current, &new, self.session_hash.as_deref())
                .await
                .map(|()| out.push(ServerFrame::PasswordChanged)),
            frame @ (AgentFrame::Card { .. }
            | AgentFrame::Contact { .. }
            | AgentFrame::Timeline { .. }
            | AgentFrame::SearchContacts { .. }
            | AgentFrame::DecideMerge { .. }
            | AgentFrame::ExportContact { .. }
            | AgentFrame::EraseContact { .. }) => {
                card::answer(&self.app.conversations, &agent, frame)
                    .await
                    .map(|answer| out.push(answer))
            }
            frame @ (AgentFrame::KbSearch { .. }
            | AgentFrame::KbArticle { .. }
            | AgentFrame::ListArticles { .. }
            | AgentFrame::SaveArticle(_)
            | AgentFrame::ArticleRevisions { .. }
            | AgentFrame::DeleteArticle { .. }
            | AgentFrame::PreviewArticle { .. }
            | AgentFrame::SaveCategory { .. }
            | AgentFrame::DeleteCategory { .. }
            | AgentFrame::CannedReplies { .. }
            | AgentFrame::SaveCannedReply { .. }
            | AgentFrame::DeleteCannedReply { .. }
            | AgentFrame::AddNote { .. }
            | AgentFrame::Notes { .. }) => {
                knowledge::answer(&self.app.conversations, &agent, frame)
                    .await
                    .map(|answer| out.push(answer))
            }
            frame @ (AgentFrame::Report { .. } | AgentFrame::WatchLive { .. }) => {
                self.reports_step(&agent, frame, out).await
            }
            frame => self.desk_step(&agent, frame, out).await,
        };
        if let Err(e) = refused {
            out.refuse(&e);
        }
    }
}

impl AgentSession {
    /// Tells the console what changed in the queue, not the whole queue
    /// again: with many agents and a long queue, each change would cost
    /// every agent the whole list. A change bigger than the queue itself
    /// (after a lost event, say) sends the whole queue instead.
    fn queue_changed(&mut self, waiting: &[ConversationSummary], out: &mut Outbox) {
        let now: Vec<ConversationId> = waiting.iter().map(|c| c.id.clone()).collect();
        let removed: Vec<ConversationId> = self
            .queue
            .iter()
            .filter(|id| !now.contains(id))
            .cloned()
            .collect();
        let added: Vec<ConversationSummary> = waiting
            .iter()
            .filter(|c| !self.queue.contains(&c.id))
            .cloned()
            .collect();
        let kept: Vec<&ConversationId> = self.queue.iter().filter(|id| now.contains(id)).collect();
        let same_order = kept.iter().zip(now.iter()).all(|(a, b)| *a == b);
        self.queue = now;
        if added.is_empty() && removed.is_empty() {
            return;
        }
        if !same_order || added.len() + removed.len() >= waiting.len().max(1) {
            return out.push(ServerFrame::Queue {
                waiting: waiting.to_vec(),
            });
        }
        out.push(ServerFrame::QueueDelta { added, removed });
    }
}

impl RoleSession for AgentSession {
    type Frame = AgentFrame;
    const ROLE: &'static str = "agent";
    const TYPES: &'static [&'static str] = AgentFrame::TYPES;

    async fn on_frame(&mut self, frame: AgentFrame, out: &mut Outbox) {
        match (self.agent.clone(), frame) {
            (Some(agent), frame) => self.signed_in_frame(agent, frame, out).await,
            (
                None,
                AgentFrame::Hello {
                    protocol,
                    auth,
                    resume,
                },
            ) => self.hello(protocol, auth, resume, out).await,
            (None, _) => out.error(ErrorCode::HelloRequired, "sign in with hello first"),
        }
    }

    async fn on_event(&mut self, event: Arc<Event>, out: &mut Outbox) {
        match event.as_ref() {
            Event::Message { message } => {
                if self.sees(&message.conversation) {
                    let service = &self.app.conversations;
                    self.delivery.live(service, message, out).await;
                }
            }
            Event::Typing {
                conversation,
                role,
                typing,
            } => {
                // Agents hear the visitor typing, not each other.
                if *role == Role::Visitor && self.sees(conversation) {
                    out.typing(conversation, *role, *typing);
                }
            }
            Event::ConversationChanged {
                conversation,
                previous_agent,
                version,
            } => {
                if self.seen.is_fresh(&conversation.id, *version) {
                    self.conversation_changed(conversation, previous_agent.as_ref(), out)
                        .await;
                }
                self.live_changed();
            }
            Event::QueueChanged { waiting } => {
                self.queue_changed(waiting, out);
                self.live_changed();
            }
            Event::SessionsRevoked { keep, .. } => {
                if self.session_hash.is_some() && *keep != self.session_hash {
                    tracing::info!(agent = ?self.agent.as_ref().map(|a| &a.id), "session revoked; closing");
                    out.close(CLOSE_NORMAL, "signed out everywhere");
                }
            }
            Event::NoteAdded { note } => {
                if self.sees(&note.conversation) {
                    out.push(ServerFrame::Note(note.clone()));
                }
            }
            // Only this node's search index keeper takes these.
            Event::ArticleChanged { .. } => {}
        }
    }

    async fn resync(&mut self, out: &mut Outbox) {
        self.resync_desk(out).await;
    }

    fn greeted(&self) -> bool {
        self.agent.is_some()
    }

    fn replaying(&self) -> bool {
        self.delivery.replaying()
    }

    async fn replay_more(&mut self, out: &mut Outbox) {
        let service = &self.app.conversations;
        self.delivery.replay_more(service, out).await;
    }

    async fn tick(&mut self, out: &mut Outbox) {
        self.away_if_idle(out).await;
    }

    fn wake_at(&self) -> Option<tokio::time::Instant> {
        self.live_due
    }

    async fn wake(&mut self, out: &mut Outbox) {
        self.push_live(out).await;
    }

    async fn on_close(self) {
        if let Some(agent) = &self.agent {
            tracing::info!(agent = %agent.id, "agent disconnected");
            let keep_lease = self.app.shutdown.is_cancelled();
            self.app.presence.disconnected(&agent.id, keep_lease).await;
        }
    }
}
