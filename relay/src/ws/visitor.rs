//! A visitor's socket, translating frames into the conversation service's
//! steps and its answers and events into frames: hello and identify
//! ([`hello`]), start ([`start`]), send, type, close, resume, and the
//! queue place of a waiting visitor ([`queue`]). Who may touch which
//! conversation is the service's rule; this keeps the grants it gave.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use shared::{
    ClientMsgId, ConversationId, ConversationSummary, ErrorCode, Role, ServerFrame, VisitorFrame,
};

mod hello;
mod knowledge;
mod queue;
mod resync;
mod start;

use super::connection::RoleSession;
use super::delivery::Delivery;
use super::outbox::Outbox;
use crate::app::App;
use crate::bus::Event;
use crate::conversations::start::StartRequest;
use crate::conversations::{Actor, Grant, SeenVersions, ServiceError, ServiceResult, VisitorActor};
use crate::hub::Subscription;
use crate::ratelimit::Allowance;
use crate::store::Site;

/// One visitor connection.
#[derive(Debug)]
pub struct VisitorSession {
    app: Arc<App>,
    sub: Subscription,
    /// The site named on upgrade, whose origin check passed.
    site: Site,
    /// The client's address (behind a trusted proxy, whom it forwarded for).
    peer: IpAddr,
    /// Set by hello.
    actor: Option<VisitorActor>,
    /// The conversations this connection may write to, with the status
    /// it last saw.
    owned: HashMap<ConversationId, Grant>,
    delivery: Delivery,
    seen: SeenVersions,
    /// Last queue position sent, per waiting conversation.
    positions: HashMap<ConversationId, u32>,
    /// Whether the hub sends this connection queue changes.
    watching_queue: bool,
    /// Open conversations this socket counts in `app.visitors_online`.
    online: HashSet<ConversationId>,
    sends: Allowance,
    /// Articles whose feedback this connection already counted.
    feedback_given: HashSet<shared::ArticleId>,
}

impl VisitorSession {
    pub fn new(app: Arc<App>, sub: Subscription, site: Site, peer: IpAddr) -> Self {
        let limits = &app.config.limits;
        let sends = Allowance::new(limits.visitor_msg_burst, limits.visitor_msg_per_sec);
        Self {
            app,
            sub,
            site,
            peer,
            actor: None,
            owned: HashMap::new(),
            delivery: Delivery::default(),
            seen: SeenVersions::default(),
            positions: HashMap::new(),
            watching_queue: false,
            online: HashSet::new(),
            sends,
            feedback_given: HashSet::new(),
        }
    }

    async fn send(
        &mut self,
        conversation: ConversationId,
        client_msg_id: ClientMsgId,
        text: String,
        out: &mut Outbox,
    ) {
        let app = Arc::clone(&self.app);
        let service = &app.conversations;
        let posted = match self.sends.try_take() {
            Err(wait) => Err(ServiceError::RateLimited {
                retry_after_ms: shared::limits::duration_ms(wait).max(1),
            }),
            Ok(()) => match self.own(&conversation).await {
                Ok(grant) => service.post(&grant, client_msg_id.clone(), text).await,
                Err(e) => Err(e),
            },
        };
        self.delivery
            .answer_post(service, posted, &client_msg_id, out)
            .await;
    }

    async fn typing(&mut self, conversation: ConversationId, typing: bool) -> ServiceResult<()> {
        let grant = self.own(&conversation).await?;
        self.app.conversations.typing(&grant, typing).await
    }

    async fn close(&mut self, conversation: ConversationId, out: &mut Outbox) -> ServiceResult<()> {
        self.own(&conversation).await?;
        let actor = self
            .actor
            .as_ref()
            .ok_or(ServiceError::NotFound("send hello first"))?;
        let closed = self
            .app
            .conversations
            .close(Actor::Visitor(actor), &conversation)
            .await?;
        if self.seen.is_fresh(&closed.id, closed.version) {
            self.conversation_changed(&closed.summary(), out);
        }
        Ok(())
    }

    /// The survey of a closed conversation: answered with `rated`.
    async fn rate(
        &mut self,
        conversation: ConversationId,
        rating: u32,
        comment: Option<String>,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let actor = self.actor.as_ref().ok_or(ServiceError::Internal)?;
        let service = &self.app.conversations;
        let rated = service
            .rate(actor, &conversation, rating, comment.as_deref())
            .await?;
        let csat = rated.csat.ok_or(ServiceError::Internal)?;
        out.push(ServerFrame::Rated { conversation, csat });
        Ok(())
    }

    /// A newer snapshot of one of the visitor's conversations.
    fn conversation_changed(&mut self, summary: &ConversationSummary, out: &mut Outbox) {
        let Some(grant) = self.owned.get_mut(&summary.id) else {
            return;
        };
        grant.observe(summary.status);
        if summary.status != shared::ConversationStatus::Waiting {
            self.positions.remove(&summary.id);
        }
        // Still followed once closed: an agent may reopen it.
        if summary.status == shared::ConversationStatus::Closed {
            if self.online.remove(&summary.id) {
                self.app.visitors_online.remove(&summary.id);
            }
        } else if self.online.insert(summary.id.clone()) {
            self.app.visitors_online.add(&summary.id);
        }
        out.push(ServerFrame::Conversation(summary.clone()));
    }
}

impl RoleSession for VisitorSession {
    type Frame = VisitorFrame;
    const ROLE: &'static str = "visitor";
    const TYPES: &'static [&'static str] = VisitorFrame::TYPES;

    async fn on_frame(&mut self, frame: VisitorFrame, out: &mut Outbox) {
        if self.actor.is_none() && !matches!(frame, VisitorFrame::Hello { .. }) {
            return out.error(ErrorCode::HelloRequired, "send hello first");
        }
        let refused = match frame {
            VisitorFrame::Hello {
                protocol,
                site,
                visitor_token,
                resume,
            } => return self.hello(protocol, site, visitor_token, resume, out).await,
            VisitorFrame::Start {
                details,
                topic,
                language,
                page_url,
            } => {
                let request = StartRequest {
                    details,
                    topic,
                    language,
                    page_url,
                };
                self.start(request, out).await
            }
            VisitorFrame::OfflineMessage {
                details,
                text,
                topic,
                language,
                page_url,
            } => {
                let request = StartRequest {
                    details: Some(details),
                    topic,
                    language,
                    page_url,
                };
                self.offline_message(request, text, out).await
            }
            VisitorFrame::Identify { token } => self.identify(&token, out).await,
            VisitorFrame::Send {
                conversation,
                client_msg_id,
                text,
            } => return self.send(conversation, client_msg_id, text, out).await,
            VisitorFrame::Typing {
                conversation,
                typing,
            } => self.typing(conversation, typing).await,
            VisitorFrame::Close { conversation } => self.close(conversation, out).await,
            VisitorFrame::Rate {
                conversation,
                rating,
                comment,
            } => self.rate(conversation, rating, comment, out).await,
            VisitorFrame::Resume(point) => return self.resume(point, out).await,
            VisitorFrame::KbSearch { query, lang } => self.kb_search(query, lang, out).await,
            VisitorFrame::KbArticle { article } => self.kb_article(article, out).await,
            VisitorFrame::KbFeedback { article, feedback } => {
                self.kb_feedback(article, feedback, out).await
            }
        };
        if let Err(e) = refused {
            out.refuse(&e);
        }
    }

    async fn on_event(&mut self, event: Arc<Event>, out: &mut Outbox) {
        match event.as_ref() {
            Event::Message { message } => {
                if self.owned.contains_key(&message.conversation) {
                    let service = &self.app.conversations;
                    self.delivery.live(service, message, out).await;
                }
            }
            Event::Typing {
                conversation,
                role,
                typing,
            } => {
                // A visitor hears agents typing, not its own other tabs.
                if *role != Role::Visitor && self.owned.contains_key(conversation) {
                    out.typing(conversation, *role, *typing);
                }
            }
            Event::ConversationChanged {
                conversation,
                version,
                ..
            } => {
                if self.owned.contains_key(&conversation.id)
                    && self.seen.is_fresh(&conversation.id, *version)
                {
                    self.conversation_changed(conversation, out);
                    if conversation.status == shared::ConversationStatus::Waiting {
                        // Back in the queue (routing took it back): the
                        // queue event may have come first, so read the place.
                        self.send_positions_from_store(out).await;
                    }
                }
            }
            Event::QueueChanged { waiting } => {
                // Published in routing order; offline messages wait apart.
                let ids: Vec<ConversationId> = waiting
                    .iter()
                    .filter(|c| !c.route.offline)
                    .map(|c| c.id.clone())
                    .collect();
                self.send_positions(&ids, out);
            }
            // Private notes are agents' only; articles are the index's.
            Event::SessionsRevoked { .. }
            | Event::NoteAdded { .. }
            | Event::ArticleChanged { .. } => {}
        }
    }

    async fn resync(&mut self, out: &mut Outbox) {
        self.resync_conversations(out).await;
    }

    fn greeted(&self) -> bool {
        self.actor.is_some()
    }

    fn replaying(&self) -> bool {
        self.delivery.replaying()
    }

    async fn replay_more(&mut self, out: &mut Outbox) {
        let service = &self.app.conversations;
        self.delivery.replay_more(service, out).await;
    }

    async fn on_close(self) {
        for conversation in &self.online {
            self.app.visitors_online.remove(conversation);
        }
        if let Some(actor) = &self.actor {
            tracing::info!(visitor = %actor.visitor.id, "visitor disconnected");
        }
    }
}
