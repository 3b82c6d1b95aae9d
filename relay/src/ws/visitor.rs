//! A visitor's socket: hello (site + optional token, issuing a new secret
//! token when there is none), start a conversation, send, type, close,
//! resume, identify. A visitor can only ever touch its own conversations
//! and, once the site's signed token linked it to a contact, those of the
//! contact's other visitors (their other devices): anything else is
//! `not_found`, whether or not it exists.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use shared::{
    Author, ConversationId, ConversationStatus, ConversationSummary, ErrorCode, ResumePoint, Role,
    ServerFrame, VisitorFrame, VisitorId, PROTOCOL_VERSION,
};

mod start;

use super::connection::RoleSession;
use super::delivery::Delivery;
use super::outbox::Outbox;
use super::posting::post_message;
use crate::app::App;
use crate::bus::Event;
use crate::customers::identify::{conversations_of, identify, linked_visitors, IdentifyError};
use crate::hub::Subscription;
use crate::ratelimit::TokenBucket;
use crate::routing::queue_position;
use crate::secrets::{new_id, new_token, token_hash};
use crate::store::{Conversation, Site, VisitorRecord};

/// One visitor connection.
#[derive(Debug)]
pub struct VisitorSession {
    app: Arc<App>,
    sub: Subscription,
    /// The site named on upgrade, whose origin check passed.
    site: Site,
    visitor: Option<VisitorRecord>,
    /// The other visitors of the contact this one is proven to be.
    linked: HashSet<VisitorId>,
    /// The visitor's conversations this connection knows, and their status.
    owned: HashMap<ConversationId, ConversationStatus>,
    delivery: Delivery,
    /// Last queue position sent, per waiting conversation.
    positions: HashMap<ConversationId, u32>,
    /// Whether the hub sends this connection queue changes.
    watching_queue: bool,
    sends: TokenBucket,
}

impl VisitorSession {
    pub fn new(app: Arc<App>, sub: Subscription, site: Site) -> Self {
        let limits = &app.config.limits;
        let sends = TokenBucket::new(
            limits.visitor_msg_burst,
            limits.visitor_msg_per_sec,
            Instant::now(),
        );
        Self {
            app,
            sub,
            site,
            visitor: None,
            linked: HashSet::new(),
            owned: HashMap::new(),
            delivery: Delivery::default(),
            positions: HashMap::new(),
            watching_queue: false,
            sends,
        }
    }

    async fn hello(
        &mut self,
        protocol: u32,
        site: shared::SiteId,
        token: Option<String>,
        resume: Vec<ResumePoint>,
        out: &mut Outbox,
    ) {
        if self.visitor.is_some() {
            return out.error(
                ErrorCode::AlreadyGreeted,
                "hello was already sent on this connection",
            );
        }
        if protocol != PROTOCOL_VERSION {
            return out.error(
                ErrorCode::UnsupportedProtocol,
                format!("this relay speaks protocol {PROTOCOL_VERSION}"),
            );
        }
        if site != self.site.id {
            return out.error(
                ErrorCode::UnknownSite,
                "hello names another site than the connection URL",
            );
        }
        let app = Arc::clone(&self.app);
        let store = app.store.as_ref();
        let (visitor, token) = match token {
            Some(token) => match store.visitor_by_token(&token_hash(&token)).await {
                Ok(Some(visitor)) if visitor.site == self.site.id => (visitor, token),
                Ok(_) => {
                    return out.error(
                        ErrorCode::InvalidToken,
                        "visitor token is not valid for this site; send hello without one to start afresh",
                    )
                }
                Err(e) => return out.store_error(&e, None),
            },
            None => {
                let token = new_token();
                let visitor = VisitorRecord {
                    id: new_id("v").as_str().into(),
                    site: self.site.id.clone(),
                    token_hash: token_hash(&token),
                    created_at_ms: crate::now_ms(),
                };
                if let Err(e) = store.create_visitor(&visitor).await {
                    return out.store_error(&e, None);
                }
                (visitor, token)
            }
        };
        let linked = match linked_visitors(store, &visitor.id).await {
            Ok(linked) => linked,
            Err(e) => return out.store_error(&e, None),
        };
        let mine: Vec<VisitorId> = std::iter::once(visitor.id.clone())
            .chain(linked.iter().cloned())
            .collect();
        let conversations = match conversations_of(store, &mine).await {
            Ok(list) => list,
            Err(e) => return out.store_error(&e, None),
        };
        self.linked = linked.into_iter().collect();
        for conversation in &conversations {
            self.adopt(conversation);
        }
        tracing::info!(visitor = %visitor.id, site = %self.site.id, "visitor connected");
        out.push(ServerFrame::Welcome {
            protocol: PROTOCOL_VERSION,
            visitor: visitor.id.clone(),
            visitor_token: token,
            conversations: conversations.iter().map(|c| c.summary()).collect(),
            prechat_form: self.site.prechat_form,
        });
        self.visitor = Some(visitor);
        let resumed: Vec<ConversationId> = resume.iter().map(|p| p.conversation.clone()).collect();
        for point in resume {
            self.resume(point, out).await;
        }
        // Catch anything stored between reading the list and watching it.
        for conversation in conversations
            .iter()
            .filter(|c| c.is_open() && !resumed.contains(&c.id))
        {
            if let Err(e) = self.delivery.catch_up(store, &conversation.id, out).await {
                return out.store_error(&e, None);
            }
        }
        self.send_positions_from_store(out).await;
    }

    /// The visitor's own conversation's status, loading it if this
    /// connection has not seen it yet (e.g. started in another tab).
    async fn own(&mut self, conversation: &ConversationId) -> Option<ConversationStatus> {
        if let Some(status) = self.owned.get(conversation) {
            return Some(*status);
        }
        let visitor = self.visitor.as_ref()?;
        let found = self.app.store.conversation(conversation).await.ok()??;
        if found.visitor != visitor.id && !self.linked.contains(&found.visitor) {
            return None;
        }
        self.adopt(&found);
        Some(found.status)
    }

    /// Starts following one of the visitor's conversations from its
    /// current seq (the client resumes from wherever it is).
    fn adopt(&mut self, conversation: &Conversation) {
        self.owned
            .insert(conversation.id.clone(), conversation.status);
        if conversation.is_open() {
            self.sub.watch_conversation(&conversation.id);
        }
        if self.delivery.position(&conversation.id).is_none() {
            self.delivery
                .set_position(&conversation.id, conversation.last_seq);
        }
    }

    /// Links the visitor to the contact the site's token names; answers
    /// with the conversations of the contact's other visitors.
    async fn identify(&mut self, token: String, out: &mut Outbox) {
        let Some(visitor) = self.visitor.clone() else {
            return;
        };
        let app = Arc::clone(&self.app);
        let store = app.store.as_ref();
        let identified = match identify(store, &self.site, &visitor, &token, crate::now_ms()).await
        {
            Ok(identified) => identified,
            Err(IdentifyError::Store(e)) => return out.store_error(&e, None),
            Err(e) => {
                tracing::info!(visitor = %visitor.id, error = %e, "identify refused");
                return out.error(e.code(), e.to_string());
            }
        };
        tracing::info!(visitor = %visitor.id, contact = %identified.contact, "visitor identified");
        let others = match conversations_of(store, &identified.linked).await {
            Ok(list) => list,
            Err(e) => return out.store_error(&e, None),
        };
        self.linked = identified.linked.into_iter().collect();
        for conversation in &others {
            self.adopt(conversation);
        }
        out.push(ServerFrame::Identified {
            name: identified.name,
            conversations: others.iter().map(Conversation::summary).collect(),
        });
    }

    async fn resume(&mut self, point: ResumePoint, out: &mut Outbox) {
        if self.own(&point.conversation).await.is_none() {
            return out.error(ErrorCode::NotFound, "no such conversation");
        }
        self.delivery
            .set_position(&point.conversation, point.after_seq);
        if let Err(e) = self
            .delivery
            .catch_up(self.app.store.as_ref(), &point.conversation, out)
            .await
        {
            out.store_error(&e, None);
        }
    }

    /// Sends the positions of this visitor's waiting conversations. Only
    /// a visitor that waits follows the queue's changes: with many nodes
    /// and visitors, waking every chatting visitor on every queue change
    /// would cost more than all the chatting.
    async fn send_positions_from_store(&mut self, out: &mut Outbox) {
        for pass in 0..2 {
            if !self
                .owned
                .values()
                .any(|s| *s == ConversationStatus::Waiting)
            {
                return;
            }
            let ids: Vec<ConversationId> = match self.app.store.waiting().await {
                Ok(waiting) => waiting.into_iter().map(|c| c.id).collect(),
                Err(e) => return tracing::warn!(error = %e, "could not read the queue"),
            };
            let waits = self.owned.keys().any(|c| ids.contains(c));
            if !waits {
                return;
            }
            if pass == 0 && !self.watching_queue {
                // Watch, then read again: no change can fall in between.
                self.sub.watch_queue();
                self.watching_queue = true;
                continue;
            }
            return self.send_positions(&ids, out);
        }
    }

    fn send_positions(&mut self, waiting: &[ConversationId], out: &mut Outbox) {
        for (conversation, status) in &self.owned {
            if *status != ConversationStatus::Waiting {
                continue;
            }
            let Some(position) = queue_position(waiting, conversation) else {
                continue;
            };
            if self.positions.get(conversation) != Some(&position) {
                self.positions.insert(conversation.clone(), position);
                out.push(ServerFrame::QueuePosition {
                    conversation: conversation.clone(),
                    position,
                });
            }
        }
    }

    fn conversation_changed(&mut self, summary: &ConversationSummary, out: &mut Outbox) {
        let Some(status) = self.owned.get_mut(&summary.id) else {
            return;
        };
        *status = summary.status;
        if summary.status != ConversationStatus::Waiting {
            self.positions.remove(&summary.id);
        }
        if summary.status == ConversationStatus::Closed {
            self.sub.unwatch_conversation(&summary.id);
        }
        out.push(ServerFrame::Conversation(summary.clone()));
    }
}

impl RoleSession for VisitorSession {
    type Frame = VisitorFrame;
    const ROLE: &'static str = "visitor";
    const TYPES: &'static [&'static str] = VisitorFrame::TYPES;

    async fn on_frame(&mut self, frame: VisitorFrame, out: &mut Outbox) {
        if self.visitor.is_none() && !matches!(frame, VisitorFrame::Hello { .. }) {
            return out.error(ErrorCode::HelloRequired, "send hello first");
        }
        match frame {
            VisitorFrame::Hello {
                protocol,
                site,
                visitor_token,
                resume,
            } => {
                self.hello(protocol, site, visitor_token, resume, out).await;
            }
            VisitorFrame::Start { details } => self.start(details, out).await,
            VisitorFrame::Identify { token } => self.identify(token, out).await,
            VisitorFrame::Send {
                conversation,
                client_msg_id,
                text,
            } => {
                if let Err(wait) = self.sends.try_take(Instant::now()) {
                    let ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
                    return out.message_error(
                        ErrorCode::RateLimited,
                        "too many messages; slow down",
                        &client_msg_id,
                        Some(ms),
                    );
                }
                if self.own(&conversation).await.is_none() {
                    return out.message_error(
                        ErrorCode::NotFound,
                        "no such conversation",
                        &client_msg_id,
                        None,
                    );
                }
                let visitor = self.visitor.as_ref().map(|v| v.id.clone());
                let author = Author {
                    role: Role::Visitor,
                    agent: None,
                    name: None,
                };
                tracing::debug!(?visitor, conversation = %conversation, "visitor message");
                post_message(
                    &self.app,
                    &mut self.delivery,
                    conversation,
                    client_msg_id,
                    author,
                    text,
                    out,
                )
                .await;
            }
            VisitorFrame::Typing {
                conversation,
                typing,
            } => match self.own(&conversation).await {
                Some(ConversationStatus::Closed) => {
                    out.error(ErrorCode::ConversationClosed, "the conversation is closed")
                }
                Some(_) => {
                    let event = Event::Typing {
                        conversation,
                        role: Role::Visitor,
                        typing,
                    };
                    self.app.dispatcher.publish(event).await;
                }
                None => out.error(ErrorCode::NotFound, "no such conversation"),
            },
            VisitorFrame::Close { conversation } => {
                let Some(before) = self.own(&conversation).await else {
                    return out.error(ErrorCode::NotFound, "no such conversation");
                };
                match self
                    .app
                    .store
                    .close_conversation(&conversation, crate::now_ms())
                    .await
                {
                    Ok(closed) => {
                        tracing::info!(conversation = %conversation, "visitor closed the conversation");
                        self.conversation_changed(&closed.summary(), out);
                        let event = Event::ConversationChanged {
                            conversation: closed.summary(),
                            previous_agent: None,
                        };
                        self.app.dispatcher.publish(event).await;
                        if let Err(e) = self
                            .app
                            .dispatcher
                            .route(before == ConversationStatus::Waiting)
                            .await
                        {
                            tracing::warn!(error = %e, "routing failed; the sweep will retry");
                        }
                    }
                    Err(e) => out.store_error(&e, None),
                }
            }
            VisitorFrame::Resume(point) => self.resume(point, out).await,
        }
    }

    async fn on_event(&mut self, event: Arc<Event>, out: &mut Outbox) {
        match event.as_ref() {
            Event::Message { message } => {
                if self.owned.contains_key(&message.conversation) {
                    if let Err(e) = self
                        .delivery
                        .deliver(self.app.store.as_ref(), message, out)
                        .await
                    {
                        tracing::warn!(error = %e, "gap fill failed; the client will resume");
                    }
                }
            }
            Event::Typing {
                conversation,
                role,
                typing,
            } => {
                if *role != Role::Visitor && self.owned.contains_key(conversation) {
                    out.push(ServerFrame::Typing {
                        conversation: conversation.clone(),
                        role: *role,
                        typing: *typing,
                    });
                }
            }
            Event::ConversationChanged { conversation, .. } => {
                self.conversation_changed(conversation, out)
            }
            Event::QueueChanged { waiting } => {
                let ids: Vec<ConversationId> = waiting.iter().map(|c| c.id.clone()).collect();
                self.send_positions(&ids, out);
            }
        }
    }

    async fn on_close(self) {
        if let Some(visitor) = &self.visitor {
            tracing::info!(visitor = %visitor.id, "visitor disconnected");
        }
    }
}
