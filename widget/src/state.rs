//! The reactive state the components draw from, and the context newtypes
//! that hand it (and the session's actions) down the component tree.
//!
//! Only the session writes [`ChatState`]; components read it. Everything in
//! it is plain data, so it lives in ordinary (thread-safe) signals; the
//! session itself holds browser objects and is reached through [`Actions`].

use std::rc::Rc;

use leptos::prelude::*;
use shared::card::PrechatDetails;
use shared::knowledge::{Feedback, SearchHit};
use shared::ArticleId;

use crate::help::After;
use crate::i18n::Catalog;
use crate::offline::{Offer, Problem, Screen};
use crate::outbox::Outbox;
use crate::prechat::Ask;
use crate::self_service::Reading;
use crate::session::Session;
use crate::transcript::Transcript;

/// The connection as the visitor should understand it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkState {
    /// First connection of this page, not welcomed yet.
    Connecting,
    /// Welcomed by the relay.
    Online,
    /// Lost; retrying (messages typed now wait in the outbox).
    Reconnecting,
}

/// Everything the panel shows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChatState {
    pub(crate) transcript: RwSignal<Transcript>,
    pub(crate) outbox: RwSignal<Outbox>,
    pub(crate) link: RwSignal<LinkState>,
    /// Place in the queue of the open conversation, while it waits.
    pub(crate) queue_position: RwSignal<Option<u32>>,
    /// An agent is typing: their name (empty when unknown).
    pub(crate) agent_typing: RwSignal<Option<String>>,
    /// The host page shows the panel.
    pub(crate) open: RwSignal<bool>,
    pub(crate) unread: RwSignal<u32>,
    /// The pre-chat form, while it stands between the visitor and a start.
    pub(crate) prechat: RwSignal<Option<Ask>>,
    /// What the composer holds (kept while an article is read).
    pub(crate) draft: RwSignal<String>,
    pub(crate) help: HelpState,
    /// Topics and availability from the latest `welcome`.
    pub(crate) offer: RwSignal<Offer>,
    /// The topic id picked (empty: none), live or offline.
    pub(crate) topic: RwSignal<String>,
    /// What stands at the bottom: set by the session only when it changes
    /// (a change redraws the form there), see `offline::screen`.
    pub(crate) screen: RwSignal<Screen>,
    /// The live chat offers the topic choice (`offline::offers_topics`).
    pub(crate) topics_offered: RwSignal<bool>,
    pub(crate) offline: OfflineState,
    pub(crate) survey: SurveyState,
}

/// The satisfaction survey's form (see `survey`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SurveyState {
    pub(crate) rating: RwSignal<Option<u8>>,
    pub(crate) comment: RwSignal<String>,
    pub(crate) problem: RwSignal<Option<crate::survey::Problem>>,
    /// Submitted; waiting for the relay's answer.
    pub(crate) sending: RwSignal<bool>,
    /// The conversation this page rated (its thank-you shows).
    pub(crate) thanked: RwSignal<Option<shared::ConversationId>>,
}

/// The offline-message form. What is typed lives here, not in the form,
/// so a refusal, a reconnect or the form being redrawn loses none of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OfflineState {
    pub(crate) name: RwSignal<String>,
    pub(crate) email: RwSignal<String>,
    pub(crate) text: RwSignal<String>,
    /// Said inline (or above the fields); cleared on the next submit.
    pub(crate) problem: RwSignal<Option<Problem>>,
    /// Submitted; waiting for the relay's answer.
    pub(crate) sending: RwSignal<bool>,
    /// The email the answer goes to, for the confirmation.
    pub(crate) reply_to: RwSignal<Option<String>>,
}

impl OfflineState {
    fn new() -> Self {
        Self {
            name: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            text: RwSignal::new(String::new()),
            problem: RwSignal::new(None),
            sending: RwSignal::new(false),
            reply_to: RwSignal::new(None),
        }
    }
}

/// Self-service: the articles offered and the one being read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HelpState {
    /// What is typed in "Search help articles".
    pub(crate) search: RwSignal<String>,
    /// The message the visitor sent last, searched while it waits.
    pub(crate) asked: RwSignal<String>,
    /// The articles found for the latest query; `None` before its answer
    /// or when there is nothing to search.
    pub(crate) results: RwSignal<Option<Vec<SearchHit>>>,
    pub(crate) reading: RwSignal<Reading>,
    /// Said in the live region instead of the count (thanks, gone);
    /// empty when there is nothing to say.
    pub(crate) notice: RwSignal<String>,
}

impl HelpState {
    fn new() -> Self {
        Self {
            search: RwSignal::new(String::new()),
            asked: RwSignal::new(String::new()),
            results: RwSignal::new(None),
            reading: RwSignal::new(Reading::Closed),
            notice: RwSignal::new(String::new()),
        }
    }
}

impl ChatState {
    pub(crate) fn new(open: bool) -> Self {
        Self {
            transcript: RwSignal::new(Transcript::default()),
            outbox: RwSignal::new(Outbox::default()),
            link: RwSignal::new(LinkState::Connecting),
            queue_position: RwSignal::new(None),
            agent_typing: RwSignal::new(None),
            open: RwSignal::new(open),
            unread: RwSignal::new(0),
            prechat: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            help: HelpState::new(),
            offer: RwSignal::new(Offer::default()),
            topic: RwSignal::new(String::new()),
            screen: RwSignal::new(Screen::Live),
            topics_offered: RwSignal::new(false),
            offline: OfflineState::new(),
            survey: SurveyState {
                rating: RwSignal::new(None),
                comment: RwSignal::new(String::new()),
                problem: RwSignal::new(None),
                sending: RwSignal::new(false),
                thanked: RwSignal::new(None),
            },
        }
    }
}

/// The string catalog of the widget's language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Strings(pub(crate) &'static Catalog);

/// The visitor's language tag as given (`en-GB`), for dates and times;
/// the catalog only knows the primary language.
#[derive(Debug, Clone)]
pub(crate) struct Locale(pub(crate) String);

/// What components may ask the session to do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Actions(StoredValue<Rc<Session>, LocalStorage>);

impl Actions {
    pub(crate) fn new(session: Rc<Session>) -> Self {
        Self(StoredValue::new_local(session))
    }

    fn with(&self, f: impl FnOnce(&Session)) {
        if let Some(session) = self.0.try_get_value() {
            f(&session);
        }
    }

    /// The visitor pressed Send (or Enter).
    pub(crate) fn send(&self, text: String) {
        self.with(|s| s.send_text(text));
    }

    /// The visitor submitted the pre-chat form (already checked).
    pub(crate) fn give_details(&self, details: PrechatDetails) {
        self.with(|s| s.give_details(details));
    }

    /// The visitor submitted the offline form (already checked).
    pub(crate) fn leave_message(&self, details: PrechatDetails, text: String) {
        self.with(|s| s.leave_message(details, text));
    }

    /// The composer's text changed.
    pub(crate) fn typed(&self, has_text: bool) {
        self.with(|s| s.typed(has_text));
    }

    /// Close button or Escape.
    pub(crate) fn close(&self) {
        self.with(Session::close_panel);
    }

    /// A pointer or key press inside the widget.
    pub(crate) fn gesture(&self) {
        self.with(Session::gesture);
    }

    /// The text to find articles for changed (searched after a pause).
    pub(crate) fn look_up(&self, text: String) {
        self.with(|s| s.look_up(text));
    }

    /// The visitor picked an article.
    pub(crate) fn open_article(&self, article: ArticleId) {
        self.with(|s| s.open_article(article));
    }

    /// "Back to chat" or Escape in the article.
    pub(crate) fn close_article(&self, then: After) {
        self.with(|s| s.close_article(then));
    }

    /// The visitor submitted the survey of a closed conversation.
    pub(crate) fn rate(&self, conversation: shared::ConversationId) {
        self.with(|s| s.rate(conversation));
    }

    /// "This answered my question" or "I still need help".
    pub(crate) fn article_feedback(&self, feedback: Feedback) {
        self.with(|s| s.article_feedback(feedback));
    }
}
