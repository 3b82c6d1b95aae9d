//! What the session does with each frame from the relay.
//!
//! - `welcome`: keep the token; show the recent conversations, asking the
//!   relay to replay from seq 0 those this page has not shown yet (a fresh
//!   load); keep its topics and availability; then flush the outbox, or,
//!   when nobody can answer, offer the offline form (see `offline_session`).
//! - `conversation`: status, agent name; binds waiting outbox items.
//! - `message`: into the transcript (exactly once); agent news → `message`
//!   to the host page, a beep when the visitor is not looking, unread count.
//! - `acknowledgement`: shown at the start of its conversation; its queue
//!   position stands until a `queue_position` frame says otherwise (an
//!   offline one is the offline form's confirmation).
//! - `ack`: the item leaves the outbox; the relay stores again, so a
//!   "Reconnecting…" shown for an `unavailable` refusal clears.
//! - `error`: see `refusals`.
//! - `reconnect`: new socket after `after_ms`.
//! - `rated`: the survey's thank-you (see `survey_session`).
//! - `kb_results`, `kb_article`: self-service, see `help`
//!   (`feedback_recorded` needs nothing: the widget moved on already).

use leptos::prelude::*;
use shared::card::Acknowledgement;
use shared::{
    ConversationStatus, ConversationSummary, ResumePoint, Role, VisitorFrame,
    VisitorServerFrame as ServerFrame,
};

use crate::offline::Offer;
use crate::session::Session;
use crate::state::LinkState;
use crate::timer::now_ms;
use crate::transcript::{Received, Transcript};

/// How many of the visitor's conversations a fresh page shows (newest).
const RECENT_CONVERSATIONS: usize = 3;
/// An agent's typing indicator hides itself after this long.
const TYPING_SHOWN_MS: u32 = 6_000;

impl Session {
    pub(crate) fn on_frame(&self, frame: ServerFrame) {
        match frame {
            ServerFrame::Welcome {
                visitor_token,
                conversations,
                prechat_form,
                topics,
                availability,
                ..
            } => {
                self.keys.set_token(Some(&visitor_token));
                self.state.offer.set(Offer {
                    topics,
                    availability,
                });
                self.conn.established();
                {
                    let mut inner = self.inner.borrow_mut();
                    inner.greeted = true;
                    inner.pacer = crate::pacing::Pacer::new(now_ms());
                    inner.prechat_form = prechat_form;
                    inner.welcomed_with_history = !conversations.is_empty();
                }
                self.state.link.set(LinkState::Online);
                // A rating lost with the old socket may be sent again.
                self.state.survey.sending.set(false);
                let newer = |at: u64| {
                    conversations
                        .iter()
                        .filter(|c| c.created_at_ms > at)
                        .count()
                };
                let recent: Vec<bool> = conversations
                    .iter()
                    .map(|c| newer(c.created_at_ms) < RECENT_CONVERSATIONS)
                    .collect();
                for (summary, recent) in conversations.into_iter().zip(recent) {
                    let known = self
                        .state
                        .transcript
                        .with_untracked(|t| t.knows(&summary.id));
                    if known || recent {
                        self.conversation(summary, !known);
                    }
                }
                self.conversations_changed();
                self.send_identity();
                self.search_again();
            }
            ServerFrame::Conversation(summary) => {
                self.learn(summary);
                self.conversations_changed();
            }
            ServerFrame::Message(message) => self.message(message),
            ServerFrame::Ack { client_msg_id, .. } => {
                if self.state.link.get_untracked() == LinkState::Reconnecting {
                    self.state.link.set(LinkState::Online);
                }
                self.inner
                    .borrow_mut()
                    .in_flight
                    .retain(|id| id != &client_msg_id);
                self.update_outbox(|o| {
                    o.remove(&client_msg_id);
                });
            }
            ServerFrame::Typing { role, typing, .. } if role != Role::Visitor => {
                if typing {
                    let name = self.state.transcript.with_untracked(|t| {
                        t.open()
                            .and_then(|s| s.agent_name.clone())
                            .unwrap_or_default()
                    });
                    self.state.agent_typing.set(Some(name));
                    self.schedule(&self.agent_typing_timer, TYPING_SHOWN_MS, |s| {
                        s.state.agent_typing.set(None)
                    });
                } else {
                    self.agent_typing_timer.clear();
                    self.state.agent_typing.set(None);
                }
            }
            ServerFrame::QueuePosition {
                conversation,
                position,
            } if self.open_conversation() == Some(conversation.clone()) => {
                self.state.queue_position.set(Some(position));
            }
            ServerFrame::Error {
                code,
                message,
                client_msg_id,
                retry_after_ms,
            } => self.error(code, &message, client_msg_id, retry_after_ms),
            ServerFrame::Reconnect { after_ms } => self.conn.reconnect_after(after_ms),
            ServerFrame::Identified { conversations, .. } => self.identified(conversations),
            ServerFrame::Acknowledgement(ack) => self.acknowledged(ack),
            ServerFrame::KbResults { query, hits } => self.kb_results(&query, hits),
            ServerFrame::KbArticle(view) => self.kb_article(view),
            ServerFrame::Rated { conversation, csat } => self.rated(conversation, csat),
            _ => {}
        }
    }

    /// Records a conversation, asking for its whole transcript if new.
    pub(crate) fn learn(&self, summary: ConversationSummary) {
        let known = self
            .state
            .transcript
            .with_untracked(|t| t.knows(&summary.id));
        self.conversation(summary, !known);
    }

    /// Records a conversation; `replay` asks for its whole transcript.
    fn conversation(&self, summary: ConversationSummary, replay: bool) {
        if summary.status != ConversationStatus::Waiting
            && self.open_conversation().as_ref() == Some(&summary.id)
        {
            self.state.queue_position.set(None);
        }
        let id = summary.id.clone();
        self.state.transcript.update(|t| t.upsert(summary));
        if replay {
            self.send(&VisitorFrame::Resume(ResumePoint {
                conversation: id,
                after_seq: 0,
            }));
        }
    }

    /// After conversations changed: tell the host once there is one, and
    /// send the outbox to the open conversation (or start one for it).
    pub(crate) fn conversations_changed(&self) {
        let open = self.open_conversation();
        if open.is_some() {
            self.details_accepted();
            self.inner.borrow_mut().start_sent = false;
            let first = !std::mem::replace(&mut self.inner.borrow_mut().active_posted, true);
            if first {
                self.bridge.active();
            }
        } else {
            self.state.queue_position.set(None);
        }
        self.offline_check();
        self.pump();
        self.refresh_attention();
    }

    fn acknowledged(&self, ack: Acknowledgement) {
        let position = ack.queue_position;
        let open = self.open_conversation().as_ref() == Some(&ack.conversation);
        let known = self
            .state
            .transcript
            .try_update(|t| t.acknowledge(ack))
            .unwrap_or(false);
        if known
            && open
            && position.is_some()
            && self.state.queue_position.get_untracked().is_none()
        {
            self.state.queue_position.set(position);
        }
    }

    fn message(&self, message: shared::ChatMessage) {
        let from_agent = message.author.role == Role::Agent;
        let text = from_agent.then(|| message.text.clone());
        let conversation = message.conversation.clone();
        let received = self
            .state
            .transcript
            .try_update(|t: &mut Transcript| t.receive(message))
            .unwrap_or(Received::Ignored);
        match received {
            Received::New { live } => {
                if from_agent {
                    self.agent_typing_timer.clear();
                    self.state.agent_typing.set(None);
                }
                if let (true, Some(text)) = (live, text) {
                    self.bridge.agent_message(&text);
                    if !self.looking() {
                        self.sound.beep();
                    }
                }
                self.refresh_attention();
            }
            Received::Gap { after } => {
                self.send(&VisitorFrame::Resume(ResumePoint {
                    conversation,
                    after_seq: after,
                }));
            }
            Received::Ignored => {}
        }
    }
}
