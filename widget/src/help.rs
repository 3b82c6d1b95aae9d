//! The session's side of self-service: searching the site's articles as
//! the visitor types (after a pause, only for a changed query, answers to
//! older queries dropped), loading an article only when it is opened,
//! sending the visitor's feedback, and taking focus back where it was when
//! the article closes. Rules in `self_service`; the screens are
//! `help_panel` and `reader`.

use std::cell::RefCell;

use leptos::prelude::*;
use shared::knowledge::{ArticleView, Feedback, SearchHit};
use shared::{ArticleId, VisitorFrame};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::self_service::{Lookup, Reading, Step, DEBOUNCE_MS, SHOWN_HITS};
use crate::session::Session;
use crate::timer::Timer;

/// Where focus goes when the article closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    /// Back to the control that opened it ("Back to chat", Escape,
    /// "This answered my question").
    Return,
    /// Into the composer (or the pre-chat form): "I still need help".
    Compose,
}

/// The session's self-service bookkeeping.
#[derive(Debug)]
pub(crate) struct Help {
    /// The widget's language, for searches.
    lang: String,
    lookup: RefCell<Lookup>,
    /// The text to search once the typing pauses.
    pending: RefCell<String>,
    timer: Timer,
    /// The element that had focus when the article was opened.
    return_to: RefCell<Option<Element>>,
}

impl Help {
    pub(crate) fn new(lang: &str) -> Self {
        Self {
            lang: lang.to_owned(),
            lookup: RefCell::default(),
            pending: RefCell::default(),
            timer: Timer::default(),
            return_to: RefCell::default(),
        }
    }
}

impl Session {
    /// The text to find articles for is now `text`: search after a pause.
    pub(crate) fn look_up(&self, text: String) {
        *self.help.pending.borrow_mut() = text;
        self.schedule(&self.help.timer, DEBOUNCE_MS, Session::search_now);
    }

    /// Sends the pending search if its query changed.
    fn search_now(&self) {
        self.help.timer.fired();
        let step = {
            let text = self.help.pending.borrow();
            self.help.lookup.borrow_mut().next(&text)
        };
        match step {
            Step::Search(query) => {
                let lang = Some(self.help.lang.clone());
                if !self.send(&VisitorFrame::KbSearch { query, lang }) {
                    self.help.lookup.borrow_mut().forget();
                }
            }
            Step::Clear => self.state.help.results.set(None),
            Step::Nothing => {}
        }
    }

    /// A new connection: a search lost with the old one goes out again.
    pub(crate) fn search_again(&self) {
        self.help.lookup.borrow_mut().forget();
        self.search_now();
    }

    pub(crate) fn kb_results(&self, query: &str, mut hits: Vec<SearchHit>) {
        if !self.help.lookup.borrow().is_latest(query) {
            return;
        }
        hits.truncate(SHOWN_HITS);
        self.state.help.notice.set(String::new());
        self.state.help.results.set(Some(hits));
    }

    /// Asks for the article; the chat stays until it arrives.
    pub(crate) fn open_article(&self, article: ArticleId) {
        let focused = document().active_element();
        if self.send(&VisitorFrame::KbArticle {
            article: article.clone(),
        }) {
            *self.help.return_to.borrow_mut() = focused;
            self.state.help.notice.set(String::new());
            self.state.help.reading.set(Reading::Loading(article));
        }
    }

    pub(crate) fn kb_article(&self, view: Box<ArticleView>) {
        let asked = self
            .state
            .help
            .reading
            .with_untracked(|r| matches!(r, Reading::Loading(id) if *id == view.id));
        if asked {
            self.state.help.reading.set(Reading::Open(view));
        }
    }

    /// The relay has no such article (any more). False when no article
    /// was awaited: the `not_found` is about something else.
    pub(crate) fn article_missing(&self) -> bool {
        let awaited = self
            .state
            .help
            .reading
            .with_untracked(|r| matches!(r, Reading::Loading(_)));
        if awaited {
            self.state.help.reading.set(Reading::Closed);
            self.state
                .help
                .notice
                .set(self.strings.kb_missing.to_owned());
        }
        awaited
    }

    /// Back to the chat, focus where `then` says.
    pub(crate) fn close_article(&self, then: After) {
        self.state.help.reading.set(Reading::Closed);
        let back = self.help.return_to.borrow_mut().take();
        // Once the chat is shown again: a hidden element takes no focus.
        request_animation_frame(move || {
            let target = match then {
                // Safari focuses no button on click: then `body` was active.
                After::Return => back
                    .filter(|e| e.is_connected() && e.tag_name() != "BODY")
                    .or_else(|| find(".sb-search")),
                After::Compose => find(".sb-input, #sb-pf-name"),
            };
            if let Some(el) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = el.focus();
            }
        });
    }

    /// Records the visitor's answer about the open article, then leaves it.
    pub(crate) fn article_feedback(&self, feedback: Feedback) {
        let article = self.state.help.reading.with_untracked(|r| match r {
            Reading::Open(view) => Some(view.id.clone()),
            _ => None,
        });
        let Some(article) = article else {
            return;
        };
        self.send(&VisitorFrame::KbFeedback { article, feedback });
        match feedback {
            Feedback::Answered => {
                self.state
                    .help
                    .notice
                    .set(self.strings.kb_thanks.to_owned());
                self.close_article(After::Return);
            }
            Feedback::NeedHelp => self.close_article(After::Compose),
        }
    }
}

fn find(selector: &str) -> Option<Element> {
    document().query_selector(selector).ok().flatten()
}
