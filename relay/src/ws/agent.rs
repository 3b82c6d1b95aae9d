//! An agent's socket: sign in (password or session token), presence, the
//! conversations routed to the agent (their history arrives on
//! assignment), reply, type, transfer, close, and admin's adding agents.

use std::collections::HashSet;
use std::sync::Arc;

use shared::{
    AgentAuth, AgentFrame, AgentId, Author, ConversationId, ConversationStatus,
    ConversationSummary, ErrorCode, Presence, ResumePoint, Role, ServerFrame, PROTOCOL_VERSION,
};

mod card;

use super::connection::RoleSession;
use super::delivery::Delivery;
use super::outbox::Outbox;
use super::posting::post_message;
use crate::app::App;
use crate::bus::Event;
use crate::hub::Subscription;
use crate::secrets::{new_token, token_hash};
use crate::store::{AgentRecord, Conversation};

/// Waiting conversations one connection follows live at most (the console
/// reads the first few of the queue); beyond this, history still loads on
/// `resume` but is not pushed.
const MAX_FOLLOWING: usize = 100;

/// One agent connection.
#[derive(Debug)]
pub struct AgentSession {
    app: Arc<App>,
    sub: Subscription,
    agent: Option<AgentRecord>,
    session_hash: Option<String>,
    /// Open conversations assigned to this agent, as this connection knows them.
    assigned: HashSet<ConversationId>,
    /// Other agents' or waiting conversations this connection read (resumed)
    /// and so follows live until they leave the queue: the queue's
    /// previews and unread counts stay current without polling.
    following: HashSet<ConversationId>,
    delivery: Delivery,
    failed_sign_ins: u32,
}

impl AgentSession {
    pub fn new(app: Arc<App>, sub: Subscription) -> Self {
        Self {
            app,
            sub,
            agent: None,
            session_hash: None,
            assigned: HashSet::new(),
            following: HashSet::new(),
            delivery: Delivery::default(),
            failed_sign_ins: 0,
        }
    }

    fn me(&self) -> Option<&AgentId> {
        self.agent.as_ref().map(|a| &a.id)
    }

    async fn hello(
        &mut self,
        protocol: u32,
        auth: AgentAuth,
        resume: Vec<ResumePoint>,
        out: &mut Outbox,
    ) {
        if self.agent.is_some() {
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
        let app = Arc::clone(&self.app);
        let store = app.store.as_ref();
        let signed_in = match auth {
            AgentAuth::Password { email, password } => {
                match app.auth.sign_in(store, &email, &password).await {
                    Ok(Some(agent)) => {
                        let token = new_token();
                        let expires = crate::now_ms() + duration_ms(app.config.limits.session_ttl);
                        if let Err(e) = store
                            .create_session(&token_hash(&token), &agent.id, expires)
                            .await
                        {
                            return out.store_error(&e, None);
                        }
                        Some((agent, token))
                    }
                    Ok(None) => None,
                    Err(e) => return out.store_error(&e, None),
                }
            }
            AgentAuth::Session { token } => match store
                .session_agent(&token_hash(&token), crate::now_ms())
                .await
            {
                Ok(Some(id)) => match store.agent(&id).await {
                    Ok(agent) => agent.map(|a| (a, token)),
                    Err(e) => return out.store_error(&e, None),
                },
                Ok(None) => None,
                Err(e) => return out.store_error(&e, None),
            },
        };
        let Some((agent, token)) = signed_in else {
            self.failed_sign_ins += 1;
            tracing::warn!(failures = self.failed_sign_ins, "agent sign-in failed");
            out.error(
                ErrorCode::AuthFailed,
                "sign-in failed: wrong email or password, or an expired session",
            );
            if self.failed_sign_ins >= app.config.limits.max_failed_sign_ins {
                out.close(1008, "too many failed sign-ins");
            }
            return;
        };
        let (conversations, status, waiting) = match tokio::try_join!(
            store.agent_conversations(&agent.id),
            store.agent_status(&agent.id),
            store.waiting(),
        ) {
            Ok(loaded) => loaded,
            Err(e) => return out.store_error(&e, None),
        };
        app.agent_connected(&agent.id);
        self.sub.watch_agent(&agent.id);
        self.sub.watch_queue();
        for conversation in &conversations {
            self.track(conversation);
        }
        tracing::info!(agent = %agent.id, "agent signed in");
        out.push(ServerFrame::AgentWelcome {
            protocol: PROTOCOL_VERSION,
            session_token: token.clone(),
            agent: agent.profile(status.presence),
            conversations: conversations.iter().map(Conversation::summary).collect(),
            waiting: waiting.iter().map(Conversation::summary).collect(),
        });
        self.session_hash = Some(token_hash(&token));
        self.agent = Some(agent);
        let resumed: Vec<ConversationId> = resume.iter().map(|p| p.conversation.clone()).collect();
        for point in resume {
            self.resume(point, out).await;
        }
        for conversation in conversations.iter().filter(|c| !resumed.contains(&c.id)) {
            if let Err(e) = self.delivery.catch_up(store, &conversation.id, out).await {
                return out.store_error(&e, None);
            }
        }
    }

    /// Starts following an assigned conversation from its current seq.
    fn track(&mut self, conversation: &Conversation) {
        self.assigned.insert(conversation.id.clone());
        self.sub.watch_conversation(&conversation.id);
        if self.delivery.position(&conversation.id).is_none() {
            self.delivery
                .set_position(&conversation.id, conversation.last_seq);
        }
    }

    /// Agents may read any conversation's history (e.g. a waiting one); a
    /// waiting one is then followed live until it leaves the queue.
    async fn resume(&mut self, point: ResumePoint, out: &mut Outbox) {
        match self.app.store.conversation(&point.conversation).await {
            Ok(Some(c)) => {
                if c.status == ConversationStatus::Waiting
                    && !self.assigned.contains(&c.id)
                    && self.following.len() < MAX_FOLLOWING
                    && self.following.insert(c.id.clone())
                {
                    self.sub.watch_conversation(&c.id);
                }
            }
            Ok(None) => return out.error(ErrorCode::NotFound, "no such conversation"),
            Err(e) => return out.store_error(&e, None),
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

    /// The conversation, if it is open and assigned to this agent.
    async fn mine(&self, conversation: &ConversationId, out: &mut Outbox) -> Option<Conversation> {
        match self.app.store.conversation(conversation).await {
            Ok(Some(c))
                if c.agent.as_ref() == self.me() && c.status == ConversationStatus::Assigned =>
            {
                Some(c)
            }
            Ok(Some(c)) if c.agent.as_ref() == self.me() => {
                out.error(ErrorCode::ConversationClosed, "the conversation is closed");
                None
            }
            Ok(_) => {
                out.error(ErrorCode::NotFound, "no such conversation assigned to you");
                None
            }
            Err(e) => {
                out.store_error(&e, None);
                None
            }
        }
    }

    async fn route(&self) {
        if let Err(e) = self.app.dispatcher.route(false).await {
            tracing::warn!(error = %e, "routing failed; the sweep will retry");
        }
    }

    async fn close(&mut self, conversation: ConversationId, out: &mut Outbox) {
        let admin = self.agent.as_ref().is_some_and(|a| a.admin);
        let before = if admin {
            match self.app.store.conversation(&conversation).await {
                Ok(Some(c)) => c,
                Ok(None) => return out.error(ErrorCode::NotFound, "no such conversation"),
                Err(e) => return out.store_error(&e, None),
            }
        } else {
            let Some(c) = self.mine(&conversation, out).await else {
                return;
            };
            c
        };
        match self
            .app
            .store
            .close_conversation(&conversation, crate::now_ms())
            .await
        {
            Ok(closed) => {
                tracing::info!(conversation = %conversation, agent = ?self.me(), "agent closed the conversation");
                let event = Event::ConversationChanged {
                    conversation: closed.summary(),
                    previous_agent: None,
                };
                self.app.dispatcher.publish(event).await;
                if before.status == ConversationStatus::Waiting {
                    let _ = self.app.dispatcher.publish_queue().await;
                }
                self.route().await;
            }
            Err(e) => out.store_error(&e, None),
        }
    }

    async fn transfer(&mut self, conversation: ConversationId, to: AgentId, out: &mut Outbox) {
        let Some(me) = self.me().cloned() else { return };
        if self.mine(&conversation, out).await.is_none() {
            return;
        }
        match self.app.store.agent(&to).await {
            Ok(Some(_)) => {}
            Ok(None) => return out.error(ErrorCode::UnknownAgent, "no such agent"),
            Err(e) => return out.store_error(&e, None),
        }
        match self
            .app
            .store
            .transfer(&conversation, &me, &to, crate::now_ms())
            .await
        {
            Ok(moved) => {
                tracing::info!(conversation = %conversation, from = %me, to = %to, "transferred");
                let event = Event::ConversationChanged {
                    conversation: moved.summary(),
                    previous_agent: Some(me),
                };
                self.app.dispatcher.publish(event).await;
                self.route().await;
            }
            Err(e) => out.store_error(&e, None),
        }
    }

    async fn conversation_changed(
        &mut self,
        event: &ConversationSummary,
        previous: Option<&AgentId>,
        out: &mut Outbox,
    ) {
        let me = self.me().cloned();
        let is_mine = |s: &ConversationSummary| {
            s.agent.as_ref() == me.as_ref() && s.status == ConversationStatus::Assigned
        };
        let held = self.assigned.contains(&event.id);
        // An event is a snapshot taken when its publisher stored the
        // change, and publishers race between storing and publishing: a
        // snapshot can arrive after a newer change (e.g. a conversation's
        // "waiting" summary after its assignment). Taking or dropping a
        // conversation on a stale one would follow a conversation that is
        // not ours or, worse, stop delivering one that is; so when the
        // event would do either, the store says what is current.
        let fresh;
        let summary = if is_mine(event) != held {
            match self.app.store.conversation(&event.id).await {
                Ok(Some(current)) => {
                    fresh = current.summary();
                    &fresh
                }
                Ok(None) => event,
                Err(e) => {
                    tracing::warn!(error = %e, conversation = %event.id, "could not confirm a conversation change; taking the event's word");
                    event
                }
            }
        } else {
            event
        };
        let mine_now = is_mine(summary);
        let was_mine = held || (previous.is_some() && previous == me.as_ref());
        if mine_now {
            out.push(ServerFrame::Conversation(summary.clone()));
            self.following.remove(&summary.id);
            if !self.assigned.contains(&summary.id) {
                // Newly routed or transferred here: follow it from the start
                // so the agent gets the whole transcript.
                self.assigned.insert(summary.id.clone());
                self.sub.watch_conversation(&summary.id);
                if self.delivery.position(&summary.id).is_none() {
                    self.delivery.set_position(&summary.id, 0);
                }
            }
        } else if was_mine {
            out.push(ServerFrame::Conversation(summary.clone()));
            self.assigned.remove(&summary.id);
            self.sub.unwatch_conversation(&summary.id);
            self.delivery.forget(&summary.id);
        } else if summary.status != ConversationStatus::Waiting
            && self.following.remove(&summary.id)
        {
            // Someone else took it (or it closed): the queue no longer shows it.
            self.sub.unwatch_conversation(&summary.id);
            self.delivery.forget(&summary.id);
        }
    }

    /// Whether live events of `conversation` go to this connection.
    fn sees(&self, conversation: &ConversationId) -> bool {
        self.assigned.contains(conversation) || self.following.contains(conversation)
    }
}

impl RoleSession for AgentSession {
    type Frame = AgentFrame;
    const ROLE: &'static str = "agent";
    const TYPES: &'static [&'static str] = AgentFrame::TYPES;

    async fn on_frame(&mut self, frame: AgentFrame, out: &mut Outbox) {
        let Some(agent) = self.agent.clone() else {
            return match frame {
                AgentFrame::Hello {
                    protocol,
                    auth,
                    resume,
                } => self.hello(protocol, auth, resume, out).await,
                _ => out.error(ErrorCode::HelloRequired, "sign in with hello first"),
            };
        };
        match frame {
            AgentFrame::Hello { .. } => out.error(
                ErrorCode::AlreadyGreeted,
                "hello was already sent on this connection",
            ),
            AgentFrame::SetPresence { presence } => {
                if let Err(e) = self
                    .app
                    .store
                    .set_presence(&agent.id, presence, crate::now_ms())
                    .await
                {
                    return out.store_error(&e, None);
                }
                tracing::info!(agent = %agent.id, ?presence, "presence");
                out.push(ServerFrame::Presence { presence });
                if presence == Presence::Online {
                    self.route().await;
                }
            }
            AgentFrame::Send {
                conversation,
                client_msg_id,
                text,
            } => {
                if self.mine(&conversation, out).await.is_none() {
                    if let Some(ServerFrame::Error {
                        client_msg_id: id, ..
                    }) = out.frames.last_mut()
                    {
                        *id = Some(client_msg_id);
                    }
                    return;
                }
                let author = Author {
                    role: Role::Agent,
                    agent: Some(agent.id.clone()),
                    name: Some(agent.name.clone()),
                };
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
            AgentFrame::Typing {
                conversation,
                typing,
            } => {
                if self.mine(&conversation, out).await.is_some() {
                    let event = Event::Typing {
                        conversation,
                        role: Role::Agent,
                        typing,
                    };
                    self.app.dispatcher.publish(event).await;
                }
            }
            AgentFrame::Transfer {
                conversation,
                to_agent,
            } => self.transfer(conversation, to_agent, out).await,
            AgentFrame::Close { conversation } => self.close(conversation, out).await,
            AgentFrame::Resume(point) => self.resume(point, out).await,
            AgentFrame::ListAgents => match crate::agents::list_agents(&self.app).await {
                Ok(agents) => out.push(ServerFrame::Agents { agents }),
                Err(e) => out.store_error(&e, None),
            },
            AgentFrame::AddAgent {
                email,
                name,
                password,
                max_concurrent,
                admin,
            } => {
                if !agent.admin {
                    return out.error(ErrorCode::Forbidden, "only admins can add agents");
                }
                let request = crate::agents::NewAgent {
                    email,
                    name,
                    password,
                    max_concurrent,
                    admin,
                };
                match crate::agents::add_agent(&self.app, request).await {
                    Ok(profile) => out.push(ServerFrame::AgentAdded { agent: profile }),
                    Err((code, message)) => out.error(code, message),
                }
            }
            frame @ (AgentFrame::Card { .. }
            | AgentFrame::Contact { .. }
            | AgentFrame::Timeline { .. }
            | AgentFrame::SearchContacts { .. }
            | AgentFrame::DecideMerge { .. }) => card::answer(&self.app, &agent, frame, out).await,
            AgentFrame::SignOut => {
                if let Some(hash) = self.session_hash.take() {
                    if let Err(e) = self.app.store.delete_session(&hash).await {
                        return out.store_error(&e, None);
                    }
                }
                out.close(1000, "signed out");
            }
        }
    }

    async fn on_event(&mut self, event: Arc<Event>, out: &mut Outbox) {
        match event.as_ref() {
            Event::Message { message } => {
                if self.sees(&message.conversation) {
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
                if *role == Role::Visitor && self.sees(conversation) {
                    out.push(ServerFrame::Typing {
                        conversation: conversation.clone(),
                        role: *role,
                        typing: *typing,
                    });
                }
            }
            Event::ConversationChanged {
                conversation,
                previous_agent,
            } => {
                self.conversation_changed(conversation, previous_agent.as_ref(), out)
                    .await;
                if self.assigned.contains(&conversation.id) {
                    if let Err(e) = self
                        .delivery
                        .catch_up(self.app.store.as_ref(), &conversation.id, out)
                        .await
                    {
                        tracing::warn!(error = %e, "history load failed; the client will resume");
                    }
                }
            }
            Event::QueueChanged { waiting } => out.push(ServerFrame::Queue {
                waiting: waiting.clone(),
            }),
        }
    }

    async fn on_close(self) {
        if let Some(agent) = &self.agent {
            tracing::info!(agent = %agent.id, "agent disconnected");
            self.app.agent_disconnected(&agent.id).await;
        }
    }
}

fn duration_ms(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
