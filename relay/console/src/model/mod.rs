//! The console's state, as plain data: who is signed in, the conversations
//! (the agent's own and the waiting queue), each one's transcript keyed by
//! seq, the outbox of unacked replies, the customer card and contact
//! search (`card.rs`, `search.rs`), an admin's export and erasure of a
//! contact (`privacy.rs`), the account panel's answers (`account.rs`), the
//! knowledge base, canned replies and private notes (`library.rs` and the
//! files it names), routing (`routing.rs`: sites' settings, taking offline
//! messages, the admins' panel with `routing_form.rs`, `form_rows.rs`,
//! `hours_form.rs` and `agent_routing.rs`; the queue explained in
//! `explain.rs`; the status in `presence.rs`), the admins' reports and
//! live view (`reports/`), and what to tell the agent.
//!
//! Nothing here touches the browser. Server frames change the model through
//! [`Model::apply`] (in `apply.rs`), which returns [`Effect`]s for the
//! controller to carry out (send a frame, save the session, beep); the
//! agent's own actions are methods in `actions.rs`. The UI reads the model
//! through the projections in `view.rs`. This split keeps every rule about
//! ordering, deduplication and unread counts testable without a browser.

mod account;
mod actions;
mod agent_routing;
mod apply;
mod canned;
mod card;
mod card_actions;
mod conv;
pub(crate) mod csat;
mod editor;
mod explain;
mod form_rows;
mod hours_form;
mod kb_admin;
mod kb_search;
mod library;
mod notes;
mod outbox;
mod plain;
mod presence;
mod privacy;
pub(crate) mod reports;
mod requests;
mod routing;
mod routing_form;
mod search;
mod view;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use shared::privacy::Erased;
use shared::{
    AgentId, AgentProfile, ConversationId, ConversationSummary, ErrorCode, Presence, Seq,
};

pub(crate) use account::{Account, TeamRow};
pub(crate) use apply::{Effect, VISITOR_TYPING_MS};
pub(crate) use canned::CannedRow;
pub(crate) use card::{CardPanel, Subject};
pub(crate) use conv::Conv;
pub(crate) use editor::{ArticleFields, EditorNote};
pub(crate) use explain::{RouteView, Why};
pub(crate) use hours_form::{
    ExceptionRow, HolidayRow, HoursForm, HoursProblem, Keys, PeriodRow, SpanRow,
};
pub(crate) use kb_admin::ArticleRow;
pub(crate) use library::Knowledge;
pub(crate) use outbox::{Outbox, Pending, PendingState};
pub(crate) use requests::{Fetch, Requests};
pub(crate) use routing::{RoutingNote, MAX_CAPACITY};
pub(crate) use routing_form::{
    FormProblem, HoursOwner, RoutingForm, SecondsField, TeamForm, TopicForm,
};
pub(crate) use search::ContactSearch;
pub(crate) use view::{ConvRow, MsgRow, MsgState};

/// Where signing in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// No session: the sign-in form is shown.
    SignedOut,
    /// A `hello` is on its way (with a password or a stored session).
    SigningIn,
    /// `agent_welcome` arrived: the console is usable.
    SignedIn,
}

/// The socket's state, for the "reconnecting" banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Link {
    Connecting,
    Open,
    Down,
}

/// Something to tell the agent; the catalog words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Note {
    WrongPassword,
    SessionEnded,
    TooManyAttempts,
    CannotReach,
    /// An agent was added; their name.
    AgentAdded(String),
    /// The relay confirmed the new password.
    PasswordChanged,
    /// The "current password" of a password change was wrong.
    CurrentPasswordWrong,
    /// Not sent: the new password is shorter than the relay accepts.
    PasswordTooShort,
    /// Not sent: the new password and its repetition differ.
    PasswordsDiffer,
    /// This console signed out everywhere; shown on the sign-in form.
    SignedOutEverywhere,
    /// An admin's change of an agent's access went through; their name.
    AgentDisabled(String),
    AgentEnabled(String),
    /// A contact's record was downloaded; the file's name.
    ContactExported(String),
    /// A contact was erased; what went.
    ContactErased(Erased),
    ExportFailed(ErrorCode),
    EraseFailed(ErrorCode),
    /// A canned reply was saved or deleted; its `/shortcut`.
    ReplySaved(String),
    ReplyDeleted(String),
    /// A canned reply was not saved (or not sent: the console's own check).
    CannedFailed(ErrorCode),
    /// An article was deleted; its title.
    ArticleDeleted(String),
    Error(ErrorCode),
}

/// Everything the console shows. (`PartialEq` only: reports carry `f64`.)
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Model {
    pub(crate) phase: Phase,
    pub(crate) link: Link,
    pub(crate) me: Option<AgentProfile>,
    /// The presence the agent chose (or the relay's idle away); re-sent
    /// after every reconnect.
    pub(crate) presence: Presence,
    pub(crate) status: presence::Status,
    pub(crate) convs: BTreeMap<ConversationId, Conv>,
    /// Waiting conversations in routing order, as the relay last sent them.
    pub(crate) queue: Vec<ConversationId>,
    pub(crate) open: Option<ConversationId>,
    /// A conversation opened from the customer card that is neither the
    /// agent's nor waiting: shown read-only, kept until another is opened.
    pub(crate) reading: Option<ConversationId>,
    /// The customer card beside the open conversation, or of a contact.
    pub(crate) card: CardPanel,
    pub(crate) search: Option<ContactSearch>,
    /// Card, timeline and search requests awaiting an answer.
    pub(crate) requests: Requests,
    /// The tab is visible.
    pub(crate) visible: bool,
    /// Every agent, from the last `agents` frame.
    pub(crate) agents: Vec<AgentProfile>,
    pub(crate) outbox: Outbox,
    /// The `hello` in flight uses a stored session token.
    pub(crate) session_hello: bool,
    /// An `add_agent` is waiting for its answer.
    pub(crate) adding_agent: bool,
    pub(crate) sign_in_note: Option<Note>,
    pub(crate) admin_note: Option<Note>,
    /// The account panel's notes (password, sign out everywhere, team).
    pub(crate) account: Account,
    /// The knowledge base, canned replies and private notes.
    pub(crate) kb: Knowledge,
    /// Sites' routing settings, taking offline messages, the admins' panel.
    pub(crate) routing: routing::Routing,
    /// The admins' reports page and live view.
    pub(crate) reports: reports::Reports,
    pub(crate) banner: Option<Note>,
    /// Read marks from an earlier page load, applied as conversations arrive.
    pub(crate) read_seed: BTreeMap<ConversationId, Seq>,
    typing_stamp: u64,
}

impl Model {
    /// A signed-out console whose agent last chose `presence`.
    pub(crate) fn new(presence: Presence) -> Self {
        Self {
            phase: Phase::SignedOut,
            link: Link::Down,
            me: None,
            presence,
            status: Default::default(),
            convs: BTreeMap::new(),
            queue: Vec::new(),
            open: None,
            reading: None,
            card: CardPanel::default(),
            search: None,
            requests: Requests::default(),
            visible: true,
            agents: Vec::new(),
            outbox: Outbox::default(),
            session_hello: false,
            adding_agent: false,
            sign_in_note: None,
            admin_note: None,
            account: Account::default(),
            kb: Knowledge::default(),
            routing: Default::default(),
            reports: Default::default(),
            banner: None,
            read_seed: BTreeMap::new(),
            typing_stamp: 0,
        }
    }

    pub(crate) fn my_id(&self) -> Option<&AgentId> {
        self.me.as_ref().map(|a| &a.id)
    }

    pub(crate) fn is_admin(&self) -> bool {
        self.me.as_ref().is_some_and(|a| a.admin)
    }

    /// Shown in the list: the agent's own conversations and the queue.
    fn listed(&self, conv: &Conv) -> bool {
        conv.mine || self.queue.contains(&conv.summary.id)
    }

    /// Forgets conversations that are no longer listed (nor being read),
    /// closing the view of one that went away (taken by another agent,
    /// transferred away).
    fn prune(&mut self) {
        if let Some(id) = &self.open {
            let kept = self.reading.as_ref() == Some(id)
                || self.convs.get(id).is_some_and(|c| self.listed(c));
            if !kept {
                self.open = None;
            }
        }
        let (queue, reading) = (&self.queue, &self.reading);
        self.convs
            .retain(|id, c| c.mine || queue.contains(id) || reading.as_ref() == Some(id));
    }

    /// Inserts or updates a conversation's summary, keeping what is known.
    fn upsert(&mut self, summary: ConversationSummary) -> &mut Conv {
        let id = summary.id.clone();
        let read = self.read_seed.get(&id).copied().unwrap_or(0);
        let conv = self.convs.entry(id).or_insert_with(|| Conv {
            read_seq: read,
            ..Conv::new(summary.clone())
        });
        let last_seq = conv.summary.last_seq.max(summary.last_seq);
        conv.summary = summary;
        conv.summary.last_seq = last_seq;
        conv
    }

    /// Marks the open conversation read when the agent can see it.
    fn mark_read(&mut self) {
        if !self.visible {
            return;
        }
        if let Some(conv) = self.open.as_ref().and_then(|id| self.convs.get_mut(id)) {
            conv.read_seq = conv.max_seq().max(conv.summary.last_seq);
            conv.fresh = false;
        }
    }

    fn next_typing_stamp(&mut self) -> u64 {
        self.typing_stamp += 1;
        self.typing_stamp
    }
}
