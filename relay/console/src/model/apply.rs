//! How each frame from the relay changes the model, and what the console
//! must do about it (the returned [`Effect`]s).
//!
//! Rules worth knowing:
//! - Messages are stored by seq, so a replay after a resume or a resend
//!   changes nothing; the stored copy of an outbox entry replaces it.
//! - A conversation that becomes this agent's (routed or transferred here)
//!   beeps and is "fresh" until opened; one new in the queue beeps too. The relay then sends its whole
//!   transcript by itself, so no `resume` is needed for it.
//! - After `agent_welcome` the console re-sends the chosen presence (the
//!   relay marks an agent offline when its last socket closes), the
//!   outbox, and asks for the history of conversations it has not loaded,
//!   and again for the customer card and a search still unanswered.
//! - `card`, `timeline_page` and `contact_results` are handled in `card.rs`
//!   and `search.rs`, `contact_export` and `contact_erased` in
//!   `privacy.rs`, `password_changed` and `agents` in `account.rs`; an
//!   error naming no message is first offered to the oldest of those
//!   requests (`requests.rs`), then shown in the banner. An `auth_failed`
//!   while signed in answers a password change, not the session.
//! - The knowledge base's, canned replies' and notes' frames are handled
//!   in `library.rs`; `presence` in `presence.rs`, `site_settings` in `routing.rs`.

use shared::{
    AgentFrame, ChatMessage, ConversationId, ConversationStatus, ErrorCode, Role, ServerFrame,
};

use super::routing::Settings;
use super::{Link, Model, Note, Phase};

/// Waiting conversations (the head of the queue) whose history is fetched
/// ahead of opening, for the preview; the relay then pushes their new
/// messages live. More are fetched when opened. Bounded so a long queue
/// does not trip the relay's frame rate limit.
pub(super) const EAGER_WAITING: usize = 10;

/// How long a visitor's "typing" lasts without a fresh `typing` frame.
pub(crate) const VISITOR_TYPING_MS: u32 = 6_000;

/// Something the controller must do after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    Send(AgentFrame),
    SaveSession(String),
    ClearSession,
    Beep,
    /// Hide the visitor's typing indicator after [`VISITOR_TYPING_MS`]
    /// unless a newer frame refreshed it.
    ExpireTyping {
        conversation: ConversationId,
        stamp: u64,
    },
    /// Send the outbox again after this many milliseconds.
    RetryOutbox(u64),
    /// The relay is going away: reconnect after this many milliseconds.
    ReconnectAfter(u64),
    /// Save `json` on the agent's computer as `file` (an exported record).
    Download {
        file: String,
        json: String,
    },
}

impl Model {
    /// Applies one frame from the relay.
    pub(crate) fn apply(&mut self, frame: ServerFrame) -> Vec<Effect> {
        let mut fx = Vec::new();
        match frame {
            ServerFrame::AgentWelcome {
                session_token,
                agent,
                conversations,
                waiting,
                sites,
                ..
            } => {
                if self.my_id().is_some_and(|id| *id != agent.id) {
                    self.sign_out();
                }
                self.phase = Phase::SignedIn;
                self.link = Link::Open;
                self.session_hello = false;
                self.sign_in_note = None;
                self.banner = None;
                self.me = Some(agent);
                self.kb.sites = sites;
                fx.push(Effect::SaveSession(session_token));
                for conv in self.convs.values_mut() {
                    conv.mine = false;
                }
                for summary in conversations {
                    self.upsert(summary).mine = true;
                }
                self.queue = waiting.iter().map(|s| s.id.clone()).collect();
                for summary in waiting {
                    self.upsert(summary);
                }
                self.prune();
                fx.push(Effect::Send(self.presence_again()));
                fx.push(Effect::Send(AgentFrame::ListAgents));
                fx.extend(self.outbox.resend().into_iter().map(Effect::Send));
                fx.extend(self.fetch_histories());
                fx.extend(self.ask_again());
                fx.extend(self.library_again());
                fx.extend(self.routing_again());
                fx.extend(self.reports_again());
            }
            ServerFrame::Conversation(summary) => self.conversation(summary, &mut fx),
            ServerFrame::Message(message) => self.message(message),
            ServerFrame::Ack { client_msg_id, .. } => self.outbox.remove(&client_msg_id),
            ServerFrame::Typing {
                conversation,
                role: Role::Visitor,
                typing,
            } => {
                let stamp = self.next_typing_stamp();
                if let Some(conv) = self.convs.get_mut(&conversation) {
                    conv.visitor_typing = typing.then_some(stamp);
                    if typing {
                        fx.push(Effect::ExpireTyping {
                            conversation,
                            stamp,
                        });
                    }
                }
            }
            ServerFrame::Queue { waiting } => {
                if waiting.iter().any(|s| !self.convs.contains_key(&s.id)) {
                    // Someone new is waiting, whoever will take them.
                    fx.push(Effect::Beep);
                }
                self.queue = waiting.iter().map(|s| s.id.clone()).collect();
                for summary in waiting {
                    self.upsert(summary);
                }
                self.prune();
                fx.extend(self.fetch_histories());
            }
            ServerFrame::QueueDelta { added, removed } => {
                if added.iter().any(|s| !self.convs.contains_key(&s.id)) {
                    fx.push(Effect::Beep);
                }
                self.queue.retain(|id| !removed.contains(id));
                self.queue.extend(added.iter().map(|s| s.id.clone()));
                for summary in added {
                    self.upsert(summary);
                }
                self.prune();
                fx.extend(self.fetch_histories());
            }
            ServerFrame::Presence { presence } => self.on_presence(presence),
            ServerFrame::SiteSettings {
                site,
                routing,
                hours,
            } => self.on_site_settings(
                site,
                Settings {
                    routing: *routing,
                    hours,
                },
            ),
            ServerFrame::Agents { agents } => self.on_agents(agents),
            ServerFrame::PasswordChanged => self.on_password_changed(),
            ServerFrame::AgentAdded { agent } => {
                self.adding_agent = false;
                self.admin_note = Some(Note::AgentAdded(agent.name));
                fx.push(Effect::Send(AgentFrame::ListAgents));
            }
            ServerFrame::Error {
                code,
                message,
                client_msg_id,
                retry_after_ms,
            } => self.error(code, &message, client_msg_id, retry_after_ms, &mut fx),
            ServerFrame::Reconnect { after_ms } => fx.push(Effect::ReconnectAfter(after_ms)),
            ServerFrame::Card(card) => fx.extend(self.on_card(card)),
            ServerFrame::TimelinePage {
                contact,
                items,
                next,
            } => self.on_timeline_page(&contact, items, next),
            ServerFrame::ContactResults { query, hits } => self.on_contact_results(&query, hits),
            ServerFrame::ContactExport(export) => fx.extend(self.on_contact_export(&export)),
            ServerFrame::ContactErased(erased) => self.on_contact_erased(erased),
            frame @ (ServerFrame::CannedReplies { .. }
            | ServerFrame::Note(_)
            | ServerFrame::Notes { .. }
            | ServerFrame::KbResults { .. }
            | ServerFrame::KbArticle(_)
            | ServerFrame::Articles { .. }
            | ServerFrame::ArticleSaved(_)
            | ServerFrame::ArticleRevisions { .. }
            | ServerFrame::ArticleDeleted { .. }
            | ServerFrame::ArticlePreview { .. }
            | ServerFrame::Categories { .. }) => self.on_library(frame),
            frame @ (ServerFrame::Report { .. } | ServerFrame::LiveView(_)) => {
                self.on_reports(frame)
            }
            // Visitors' frames, and typing from anyone but a visitor.
            ServerFrame::Welcome { .. }
            | ServerFrame::Identified { .. }
            | ServerFrame::Acknowledgement(_)
            | ServerFrame::QueuePosition { .. }
            | ServerFrame::FeedbackRecorded { .. }
            | ServerFrame::Rated { .. }
            | ServerFrame::Typing { .. } => {}
        }
        self.mark_read();
        fx
    }

    fn conversation(&mut self, summary: shared::ConversationSummary, fx: &mut Vec<Effect>) {
        let me = self.my_id().cloned();
        let id = summary.id.clone();
        let mine_now = summary.status == ConversationStatus::Assigned
            && summary.agent.is_some()
            && summary.agent == me;
        let open_and_seen = self.open.as_ref() == Some(&id) && self.visible;
        let closed = summary.status == ConversationStatus::Closed;
        let known = self.convs.contains_key(&id);
        let conv = self.upsert(summary);
        if mine_now {
            if !conv.mine {
                conv.mine = true;
                conv.fresh = !open_and_seen;
                // The relay sends the whole transcript of a conversation
                // that becomes ours.
                conv.history = true;
                fx.push(Effect::Beep);
                let opened = self.on_mine(&id);
                fx.extend(opened.into_iter().map(Effect::Send));
            }
        } else if closed && known {
            conv.visitor_typing = None;
        } else {
            conv.mine = false;
        }
        if closed || mine_now {
            self.queue.retain(|q| *q != id);
        }
        self.prune();
    }

    fn message(&mut self, message: ChatMessage) {
        self.outbox.remove(&message.client_msg_id);
        let Some(conv) = self.convs.get_mut(&message.conversation) else {
            return;
        };
        if message.author.role == Role::Visitor {
            conv.visitor_typing = None;
        }
        conv.summary.last_seq = conv.summary.last_seq.max(message.seq);
        conv.messages.insert(message.seq, message);
    }

    fn error(
        &mut self,
        code: ErrorCode,
        message: &str,
        client_msg_id: Option<shared::ClientMsgId>,
        retry_after_ms: Option<u64>,
        fx: &mut Vec<Effect>,
    ) {
        if let Some(id) = client_msg_id {
            if matches!(code, ErrorCode::RateLimited | ErrorCode::Unavailable) {
                fx.push(Effect::RetryOutbox(retry_after_ms.unwrap_or(1_000)));
            } else {
                self.outbox.fail(&id, code);
            }
            return;
        }
        match code {
            ErrorCode::AuthFailed if self.password_refused() => {}
            ErrorCode::AuthFailed => {
                let note = if self.session_hello {
                    fx.push(Effect::ClearSession);
                    Note::SessionEnded
                } else {
                    Note::WrongPassword
                };
                self.sign_out();
                self.sign_in_note = Some(note);
            }
            ErrorCode::Unavailable | ErrorCode::Internal | ErrorCode::RateLimited
                if self.session_hello =>
            {
                // The session may be fine; the relay is not. Try again.
                fx.push(Effect::ReconnectAfter(retry_after_ms.unwrap_or(2_000)));
            }
            _ if self.phase != Phase::SignedIn => {
                if self.session_hello {
                    fx.push(Effect::ClearSession);
                }
                self.sign_out();
                self.sign_in_note = Some(Note::Error(code));
            }
            _ if self.adding_agent => {
                self.adding_agent = false;
                self.admin_note = Some(Note::Error(code));
            }
            // Shown on the card or the search results instead.
            _ if self.request_failed(code, message) => {}
            // Typing and other background frames may be limited; not news.
            ErrorCode::RateLimited => {}
            _ => self.banner = Some(Note::Error(code)),
        }
    }
}
