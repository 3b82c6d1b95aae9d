//! Self-service rules, apart from the screen: when the widget offers help
//! articles, which text it searches for, when a search goes out (and which
//! answers still count), how article headings sit under the widget's own,
//! and which link and image addresses an article may carry. Pure: tested
//! natively.

use shared::knowledge::MAX_QUERY_CHARS;
use shared::{ArticleId, ConversationStatus};

use crate::i18n::{fill, Catalog};

/// Shorter queries find too much to be worth a round trip.
pub(crate) const MIN_QUERY_CHARS: usize = 3;
/// Quiet time after the last keystroke before a search goes out.
pub(crate) const DEBOUNCE_MS: u32 = 300;
/// Most articles listed at once (the relay may return more).
pub(crate) const SHOWN_HITS: usize = 5;

/// Link schemes an article may use; the relay allows no others, this is a
/// second lock on the iframe's door.
const LINK_SCHEMES: [&str; 3] = ["http:", "https:", "mailto:"];
const IMAGE_SCHEMES: [&str; 2] = ["http:", "https:"];

/// The article on screen instead of the chat, if any.
#[derive(Debug, Default)]
pub(crate) enum Reading {
    /// The chat is on screen.
    #[default]
    Closed,
    /// Asked for; the chat stays until it arrives.
    Loading(ArticleId),
    Open(Box<shared::knowledge::ArticleView>),
}

impl Reading {
    pub(crate) fn is_open(&self) -> bool {
        matches!(self, Self::Open(_))
    }
}

/// Whether articles are offered: before a chat starts (nothing open, the
/// pre-chat form included) and while it waits for an agent.
pub(crate) fn offers_help(open: Option<ConversationStatus>) -> bool {
    matches!(open, None | Some(ConversationStatus::Waiting))
}

/// The text to search for: the search box when it holds a query, else the
/// composer, else the message the visitor sent last (waiting behind the
/// pre-chat form or in the queue).
pub(crate) fn source<'a>(search: &'a str, draft: &'a str, asked: &'a str) -> &'a str {
    if query_of(search).is_some() {
        search
    } else if query_of(draft).is_some() {
        draft
    } else {
        asked
    }
}

/// `text` as a query: spaces collapsed, at most [`MAX_QUERY_CHARS`]
/// characters (the relay refuses longer); `None` when too short.
pub(crate) fn query_of(text: &str) -> Option<String> {
    let mut query = String::new();
    for word in text.split_whitespace() {
        if !query.is_empty() {
            query.push(' ');
        }
        query.push_str(word);
    }
    if let Some((cut, _)) = query.char_indices().nth(MAX_QUERY_CHARS) {
        query.truncate(cut);
    }
    query.truncate(query.trim_end().len());
    (query.chars().count() >= MIN_QUERY_CHARS).then_some(query)
}

/// What to do once the typing pauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Search(String),
    /// The text became too short: take the listed articles away.
    Clear,
    /// Same query as last time (or still nothing to search).
    Nothing,
}

/// The latest query sent; answers to any other are stale.
#[derive(Debug, Default)]
pub(crate) struct Lookup {
    sent: Option<String>,
}

impl Lookup {
    pub(crate) fn next(&mut self, text: &str) -> Step {
        match query_of(text) {
            None if self.sent.take().is_some() => Step::Clear,
            None => Step::Nothing,
            Some(query) if self.sent.as_ref() == Some(&query) => Step::Nothing,
            Some(query) => {
                self.sent = Some(query.clone());
                Step::Search(query)
            }
        }
    }

    /// Whether an answer to `query` is for what the visitor typed last.
    pub(crate) fn is_latest(&self, query: &str) -> bool {
        self.sent.as_deref() == Some(query)
    }

    /// The search never went out (or its answer was lost with the socket):
    /// the same text searches again.
    pub(crate) fn forget(&mut self) {
        self.sent = None;
    }
}

/// The HTML heading level for an article heading of `level`: the panel's
/// title is the page's `h1` and the article's title its `h2`, so the body
/// starts at `h2` and stops at `h4`.
pub(crate) fn heading_level(level: u8) -> u8 {
    level.saturating_add(1).clamp(2, 4)
}

/// Whether an article link may point at `href`.
pub(crate) fn link_allowed(href: &str) -> bool {
    has_scheme(href, &LINK_SCHEMES)
}

/// Whether an article image may load from `src`.
pub(crate) fn image_allowed(src: &str) -> bool {
    has_scheme(src, &IMAGE_SCHEMES)
}

fn has_scheme(url: &str, schemes: &[&str]) -> bool {
    schemes.iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

/// What the live region says about the listed articles: their count, or
/// (only for the search box: the composer searches quietly) that there are
/// none; empty before an answer.
pub(crate) fn found(strings: &Catalog, listed: Option<usize>, from_search_box: bool) -> String {
    match listed {
        None => String::new(),
        Some(0) if from_search_box => strings.kb_found_none.to_owned(),
        Some(0) => String::new(),
        Some(1) => strings.kb_found_one.to_owned(),
        Some(n) => fill(strings.kb_found_many, n),
    }
}

#[cfg(test)]
#[path = "self_service_tests.rs"]
mod tests;
