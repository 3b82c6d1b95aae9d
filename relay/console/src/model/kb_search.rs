//! Searching the knowledge base from a conversation's composer: the query
//! goes out with the conversation's site (and no language: the relay uses
//! the site's default, or any language when that has no hit); only the
//! answer to the latest query is shown. A hit can be inserted as a link to
//! the help center or as the article's text (fetched with `kb_article`
//! and flattened by [`plain_text`]).

use shared::knowledge::{ArticleView, SearchHit};
use shared::{AgentFrame, ArticleId, ConversationId, SiteId};

use super::library::Ask;
use super::plain::plain_text;
use super::requests::Fetch;
use super::Model;

/// The search panel of one conversation's composer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KbSearch {
    pub(crate) conversation: ConversationId,
    pub(crate) site: SiteId,
    /// The latest query; empty before the first.
    pub(crate) query: String,
    pub(crate) hits: Vec<SearchHit>,
    /// The search, or the article being fetched for "Insert text".
    pub(crate) fetch: Fetch,
}

/// The help center's address of an article: `{origin}/help/{site}/{lang}/{slug}`.
pub(crate) fn help_url(origin: &str, site: &SiteId, hit: &SearchHit) -> String {
    format!(
        "{}/help/{site}/{}/{}",
        origin.trim_end_matches('/'),
        hit.lang,
        hit.slug
    )
}

impl Model {
    /// Opens the search panel for `conversation`'s composer.
    pub(crate) fn kb_open(&mut self, conversation: &ConversationId) {
        let Some(conv) = self.convs.get(conversation) else {
            return;
        };
        if self
            .kb
            .search
            .as_ref()
            .is_some_and(|s| s.conversation == *conversation)
        {
            return;
        }
        self.kb.search = Some(KbSearch {
            conversation: conversation.clone(),
            site: conv.summary.site.clone(),
            query: String::new(),
            hits: Vec::new(),
            fetch: Fetch::Settled,
        });
    }

    pub(crate) fn kb_close(&mut self) {
        self.kb.search = None;
    }

    /// Searches the open panel's site; a blank query clears the hits.
    pub(crate) fn kb_search(&mut self, query: &str) -> Option<AgentFrame> {
        let search = self.kb.search.as_mut()?;
        let query = query.trim();
        search.query = query.to_owned();
        search.hits.clear();
        if query.is_empty() {
            search.fetch = Fetch::Settled;
            return None;
        }
        search.fetch = Fetch::Pending;
        let frame = AgentFrame::KbSearch {
            site: search.site.clone(),
            query: query.to_owned(),
            lang: None,
        };
        Some(self.ask(Ask::Search(query.to_owned()), frame))
    }

    /// "Insert link": the hit's help center address into the composer.
    pub(crate) fn kb_insert_link(&mut self, origin: &str, article: &ArticleId) {
        let Some(search) = &self.kb.search else {
            return;
        };
        let Some(hit) = search.hits.iter().find(|h| h.article == *article) else {
            return;
        };
        let url = help_url(origin, &search.site, hit);
        let conversation = search.conversation.clone();
        self.insert_text(&conversation, url);
    }

    /// "Insert text": asks for the article; its text is inserted when it comes.
    pub(crate) fn kb_insert_text(&mut self, article: &ArticleId) -> Option<AgentFrame> {
        let search = self.kb.search.as_mut()?;
        search.fetch = Fetch::Pending;
        let frame = AgentFrame::KbArticle {
            site: search.site.clone(),
            article: article.clone(),
        };
        let ask = Ask::Article {
            conversation: search.conversation.clone(),
            article: article.clone(),
        };
        Some(self.ask(ask, frame))
    }

    /// `kb_results`: shown if they answer the latest query.
    pub(super) fn on_kb_results(&mut self, query: &str, hits: Vec<SearchHit>) {
        let asked = match self.answered(|a| matches!(a, Ask::Search(_))) {
            Some(Ask::Search(asked)) => Some(asked),
            _ => None,
        };
        let latest = |s: &&mut KbSearch| s.query == query || asked.as_ref() == Some(&s.query);
        if let Some(search) = self.kb.search.as_mut().filter(latest) {
            search.hits = hits;
            search.fetch = Fetch::Settled;
        }
    }

    /// `kb_article`: the text of an article asked for "Insert text".
    pub(super) fn on_kb_article(&mut self, view: &ArticleView) {
        let asked =
            self.answered(|a| matches!(a, Ask::Article { article, .. } if *article == view.id));
        let Some(Ask::Article { conversation, .. }) = asked else {
            return;
        };
        if let Some(search) = self.kb.search.as_mut() {
            search.fetch = Fetch::Settled;
        }
        self.insert_text(&conversation, plain_text(&view.blocks));
    }
}
