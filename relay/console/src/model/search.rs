//! Contact search: the agent's query, the relay's hits for it, and whether
//! the answer is still coming. Only the answer to the latest query is shown,
//! so a slow answer to an earlier one never replaces it.

use shared::card::ContactHit;
use shared::AgentFrame;

use super::requests::{Answer, Fetch, Request};
use super::Model;

/// The latest search and its hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContactSearch {
    pub(crate) query: String,
    pub(crate) hits: Vec<ContactHit>,
    pub(crate) fetch: Fetch,
}

impl Model {
    /// Searches contacts; a blank query clears the search instead.
    pub(crate) fn search_contacts(&mut self, query: &str) -> Option<AgentFrame> {
        let query = query.trim();
        if query.is_empty() {
            self.clear_search();
            return None;
        }
        self.search = Some(ContactSearch {
            query: query.to_owned(),
            hits: Vec::new(),
            fetch: Fetch::Pending,
        });
        self.requests.push(Request::Search(query.to_owned()));
        Some(AgentFrame::SearchContacts {
            query: query.to_owned(),
        })
    }

    pub(crate) fn clear_search(&mut self) {
        self.search = None;
    }

    /// `contact_results`: shown if they answer the latest query (by the
    /// query they echo, or by order, should the relay tidy the query up).
    pub(super) fn on_contact_results(&mut self, query: &str, hits: Vec<ContactHit>) {
        let asked = match self.requests.answer(Answer::ContactResults) {
            Some(Request::Search(asked)) => Some(asked),
            _ => None,
        };
        let latest = |s: &&mut ContactSearch| s.query == query || asked.as_ref() == Some(&s.query);
        if let Some(search) = self.search.as_mut().filter(latest) {
            search.hits = hits;
            search.fetch = Fetch::Settled;
        }
    }
}
