//! What the agent does, as changes to the model and the frames to send,
//! plus the model changes timers and socket events cause (typing expiry,
//! sign-out, lost connection). The controller calls these and sends the
//! frames.

use shared::{
    AgentAuth, AgentFrame, AgentId, ClientMsgId, ConversationId, ConversationStatus, ResumePoint,
    PROTOCOL_VERSION,
};

use super::apply::EAGER_WAITING;
use super::{Effect, Link, Model, Note, Pending, PendingState, Phase};

impl Model {
    /// The `hello` for a new socket: how to sign in, and where to resume
    /// each conversation whose history is loaded (its newest seq).
    pub(crate) fn hello(&mut self, auth: AgentAuth) -> AgentFrame {
        self.session_hello = matches!(auth, AgentAuth::Session { .. });
        if self.phase == Phase::SignedOut {
            self.phase = Phase::SigningIn;
        }
        self.sign_in_note = None;
        AgentFrame::Hello {
            protocol: PROTOCOL_VERSION,
            auth,
            resume: self.resume_points(),
        }
    }

    fn resume_points(&self) -> Vec<ResumePoint> {
        self.convs
            .values()
            .filter(|c| c.history || !c.messages.is_empty())
            .map(|c| ResumePoint {
                conversation: c.summary.id.clone(),
                after_seq: c.max_seq(),
            })
            .collect()
    }

    /// The socket is connecting or open (not yet greeted).
    pub(crate) fn set_link(&mut self, link: Link) {
        self.link = link;
    }

    /// A password sign-in could not reach the relay.
    pub(crate) fn unreachable(&mut self) {
        self.sign_out();
        self.sign_in_note = Some(Note::CannotReach);
    }

    /// The relay closed the socket for too many failed sign-ins.
    pub(crate) fn locked_out(&mut self) {
        self.sign_out();
        self.sign_in_note = Some(Note::TooManyAttempts);
    }

    /// Asks for the history of the agent's conversations and the first
    /// waiting ones that have not been loaded yet.
    pub(super) fn fetch_histories(&mut self) -> Vec<Effect> {
        let heads = self.queue.iter().take(EAGER_WAITING);
        let wanted: Vec<ConversationId> = self
            .convs
            .values()
            .filter(|c| c.mine)
            .map(|c| c.summary.id.clone())
            .chain(heads.cloned())
            .collect();
        let mut fx = Vec::new();
        for id in wanted {
            if let Some(conv) = self.convs.get_mut(&id).filter(|c| !c.history) {
                conv.history = true;
                fx.push(Effect::Send(AgentFrame::Resume(ResumePoint {
                    conversation: id,
                    after_seq: 0,
                })));
            }
        }
        fx
    }

    /// Opens a conversation and asks for its customer's card. Its history
    /// is asked for the first time; a waiting one, or one another agent
    /// has, is asked again for anything new: the relay follows only the
    /// conversations a connection has read, up to a limit. One that is not
    /// listed (a past conversation on the card) is shown read-only. Its
    /// private notes are asked for each time.
    pub(crate) fn open(&mut self, id: &ConversationId) -> Vec<AgentFrame> {
        if !self.convs.contains_key(id) {
            let Some(summary) = self.card.conversation(id).cloned() else {
                return Vec::new();
            };
            self.upsert(summary);
        }
        let listed = self.convs.get(id).is_some_and(|c| self.listed(c));
        self.reading = (!listed).then(|| id.clone());
        self.open = Some(id.clone());
        // Drops the conversation read before, if any.
        self.prune();
        let mut frames = Vec::new();
        if let Some(conv) = self.convs.get_mut(id) {
            let live = !conv.mine && conv.summary.status != ConversationStatus::Closed;
            if !conv.history || live {
                let after_seq = if conv.history { conv.max_seq() } else { 0 };
                conv.history = true;
                frames.push(AgentFrame::Resume(ResumePoint {
                    conversation: id.clone(),
                    after_seq,
                }));
            }
        }
        self.mark_read();
        frames.extend(self.card_for_conversation(id));
        // Notes may have been added while it was not watched.
        frames.push(super::notes::ask_notes(id));
        if self
            .kb
            .search
            .as_ref()
            .is_some_and(|s| s.conversation != *id)
        {
            self.kb_close();
        }
        self.canned_close();
        frames
    }

    /// Back to the list (on narrow screens the list replaces the view).
    pub(crate) fn close_view(&mut self) {
        self.open = None;
        self.reading = None;
        self.prune();
        if matches!(self.card.subject, Some(super::Subject::Conversation(_))) {
            self.card = Default::default();
        }
    }

    pub(crate) fn set_visible(&mut self, visible: bool) {
        self.visible = visible;
        self.mark_read();
    }

    /// Queues a reply in the outbox; `None` if there is nothing to send.
    pub(crate) fn reply(
        &mut self,
        conversation: &ConversationId,
        client_msg_id: ClientMsgId,
        text: &str,
    ) -> Option<AgentFrame> {
        if text.trim().is_empty() || !self.convs.contains_key(conversation) {
            return None;
        }
        let pending = Pending {
            conversation: conversation.clone(),
            client_msg_id,
            text: text.to_owned(),
            state: PendingState::Sending,
        };
        let frame = pending.frame();
        self.outbox.push(pending);
        Some(frame)
    }

    pub(crate) fn transfer(&mut self, conversation: &ConversationId, to: AgentId) -> AgentFrame {
        self.banner = None;
        AgentFrame::Transfer {
            conversation: conversation.clone(),
            to_agent: to,
        }
    }

    pub(crate) fn add_agent(&mut self, frame: AgentFrame) -> AgentFrame {
        self.adding_agent = true;
        self.admin_note = None;
        frame
    }

    pub(crate) fn dismiss_banner(&mut self) {
        self.banner = None;
    }

    /// Hides the visitor's typing indicator if `stamp` is still the latest.
    pub(crate) fn expire_typing(&mut self, conversation: &ConversationId, stamp: u64) {
        if let Some(conv) = self.convs.get_mut(conversation) {
            if conv.visitor_typing == Some(stamp) {
                conv.visitor_typing = None;
            }
        }
    }

    /// Back to the sign-in form, keeping only the chosen presence and
    /// whether the tab is visible.
    pub(crate) fn sign_out(&mut self) {
        let visible = self.visible;
        *self = Self::new(self.presence);
        self.visible = visible;
    }
}
