//! Card, timeline, search, privacy and account requests still waiting for
//! the relay's answer, oldest first, and where each kind of request stands
//! ([`Fetch`]).
//!
//! The relay answers an agent's frames in the order they were sent, but its
//! `error` frames do not say which frame they answer. An error that names no
//! message is taken as the answer to the oldest request here; the guess can
//! be wrong (a background frame may have failed instead), so `card.rs` also
//! checks answers by their content and a late right answer still lands
//! (`privacy.rs` matches an export or an erasure by its contact). Account
//! requests (`account.rs`) are kept here too, so an error lands on the
//! form that asked and not on a card fetched at the same time; so are the
//! knowledge base's, canned replies' and notes' (`library.rs`), and
//! routing's (`routing.rs`).

use std::collections::VecDeque;

use shared::card::TimelineCursor;
use shared::{AgentId, ContactId, ErrorCode, MergeProposalId, SiteId};

use super::card::Subject;
use super::library::Ask;
use super::routing::RoutingAsk;
use super::{Model, Note};

/// Where a request stands, as the UI shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Fetch {
    /// Nothing in flight: what is shown is the latest answer (if any).
    #[default]
    Settled,
    Pending,
    Failed(ErrorCode),
}

impl Fetch {
    /// Why it failed, if it did.
    pub(crate) fn failed(self) -> Option<ErrorCode> {
        match self {
            Fetch::Failed(code) => Some(code),
            Fetch::Settled | Fetch::Pending => None,
        }
    }
}

/// One request in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Request {
    /// `card` or `contact`.
    Card(Subject),
    /// `decide_merge`: answered with the card of whichever contact survives.
    Merge {
        proposal: MergeProposalId,
        contacts: [ContactId; 2],
    },
    /// `timeline`, with the cursor it was sent with.
    Older {
        contact: ContactId,
        before: TimelineCursor,
    },
    /// `search_contacts`.
    Search(String),
    /// `export_contact`: answered by `contact_export`, matched by contact.
    Export(ContactId),
    /// `erase_contact`: answered by `contact_erased`, matched by contact.
    Erase(ContactId),
    /// `change_password`.
    Password,
    /// `sign_out_everywhere`: a success is the relay closing the socket.
    SignOutEverywhere,
    /// `set_agent_disabled`: answered by an `agents` list that shows it done.
    Access { agent: AgentId, disabled: bool },
    /// The knowledge base, canned replies, notes.
    Knowledge(Ask),
    /// Routing settings, taking a conversation, an agent's routing.
    Routing(RoutingAsk),
    /// `report` for a site: answered by `report` for it.
    Report(SiteId),
}

/// The kinds of answer, each ending the oldest request it can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    Card,
    TimelinePage,
    ContactResults,
    PasswordChanged,
}

impl Request {
    fn answered_by(&self, answer: Answer) -> bool {
        matches!(
            (self, answer),
            (Request::Card(_) | Request::Merge { .. }, Answer::Card)
                | (Request::Older { .. }, Answer::TimelinePage)
                | (Request::Search(_), Answer::ContactResults)
                | (Request::Password, Answer::PasswordChanged)
        )
    }
}

/// The requests in flight, oldest first.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Requests(VecDeque<Request>);

impl Requests {
    pub(crate) fn push(&mut self, request: Request) {
        self.0.push_back(request);
    }

    /// The oldest request this answer can answer, no longer in flight.
    pub(crate) fn answer(&mut self, answer: Answer) -> Option<Request> {
        self.take(|r| r.answered_by(answer))
    }

    /// The oldest request matching `which`, no longer in flight.
    pub(crate) fn take(&mut self, which: impl Fn(&Request) -> bool) -> Option<Request> {
        let at = self.0.iter().position(which)?;
        self.0.remove(at)
    }

    /// Whether a request matching `which` is in flight.
    pub(crate) fn waiting(&self, which: impl Fn(&Request) -> bool) -> bool {
        self.0.iter().any(which)
    }

    /// The request an anonymous error answers: the oldest.
    pub(crate) fn fail(&mut self) -> Option<Request> {
        self.0.pop_front()
    }

    /// A new socket: nothing sent on the old one will be answered.
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

impl Model {
    /// Takes an error that names no message as the answer to the oldest
    /// request and shows it where that request's answer would have gone.
    /// `false` when no request is in flight (the error is someone else's).
    /// The relay's `message` is kept only where it names a refused field.
    pub(super) fn request_failed(&mut self, code: ErrorCode, message: &str) -> bool {
        let Some(request) = self.requests.fail() else {
            return false;
        };
        let panel = &mut self.card;
        match request {
            Request::Card(subject) => {
                // A failure for a card no longer wanted is no news.
                if panel.subject.as_ref() == Some(&subject) {
                    panel.fetch = Fetch::Failed(code);
                }
            }
            Request::Merge { .. } => {
                panel.deciding = None;
                panel.merge_failed = Some(code);
            }
            Request::Older { contact, .. } => {
                if panel.card.as_ref().is_some_and(|c| c.contact.id == contact) {
                    panel.older = Fetch::Failed(code);
                }
            }
            Request::Search(query) => {
                if let Some(search) = self.search.as_mut().filter(|s| s.query == query) {
                    search.fetch = Fetch::Failed(code);
                }
            }
            Request::Export(contact) => self.privacy_note(&contact, Note::ExportFailed(code)),
            Request::Erase(contact) => self.privacy_note(&contact, Note::EraseFailed(code)),
            account @ (Request::Password | Request::SignOutEverywhere | Request::Access { .. }) => {
                self.account_failed(&account, code)
            }
            Request::Knowledge(ask) => self.ask_failed(ask, code),
            Request::Routing(ask) => self.routing_failed(ask, code, message),
            Request::Report(_) => self.report_failed(code),
        }
        true
    }
}
