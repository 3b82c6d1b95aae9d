//! The knowledge base, canned replies and private notes as one part of the
//! model: the sites agents serve, each feature's state, the requests they
//! send ([`Ask`], kept in the model's request queue so an anonymous error
//! lands on the form that asked) and which answer ends which request.
//!
//! The features themselves are one file each: `canned.rs` (the composer's
//! `/shortcut` picker and the replies panel), `notes.rs`, `kb_search.rs`
//! (searching from the composer), `kb_admin.rs` and `editor.rs` (the
//! admins' knowledge base panel).

use shared::frames::SiteBrief;
use shared::{ArticleId, ConversationId, ErrorCode, ServerFrame, SiteId};

use super::canned::Canned;
use super::kb_admin::KbAdmin;
use super::kb_search::KbSearch;
use super::notes::Notes;
use super::requests::{Fetch, Request};
use super::{Effect, Model, Note};

/// A request of this part, waiting for its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ask {
    /// `canned_replies` (`change: None`), or a save or delete of one (with
    /// what to tell once it is done): each answered with the site's replies.
    Canned {
        site: SiteId,
        change: Option<Note>,
    },
    AddNote {
        conversation: ConversationId,
        text: String,
    },
    Search(String),
    /// `kb_article`, to insert its text into `conversation`'s composer.
    Article {
        conversation: ConversationId,
        article: ArticleId,
    },
    List(SiteId),
    Save,
    Preview,
    Revisions(ArticleId),
    Delete(ArticleId),
    /// `save_category` or `delete_category`.
    Category(SiteId),
}

/// Text for a composer to insert (a canned reply, an article or its link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Insertion {
    pub(crate) conversation: ConversationId,
    pub(crate) text: String,
    /// Tells one insertion from the next, so each is inserted once.
    pub(crate) stamp: u64,
}

/// Everything of this part.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Knowledge {
    /// The sites agents serve, from `agent_welcome`.
    pub(crate) sites: Vec<SiteBrief>,
    pub(crate) canned: Canned,
    pub(crate) notes: Notes,
    /// The composer's knowledge search, while open.
    pub(crate) search: Option<KbSearch>,
    pub(crate) admin: KbAdmin,
    /// What a composer should insert next.
    pub(crate) insert: Option<Insertion>,
    stamp: u64,
}

impl Knowledge {
    /// A site's languages (the first is its default); none if unknown.
    pub(crate) fn languages(&self, site: &SiteId) -> Vec<String> {
        self.sites
            .iter()
            .find(|s| s.id == *site)
            .map(|s| s.languages.clone())
            .unwrap_or_default()
    }

    pub(super) fn next_stamp(&mut self) -> u64 {
        self.stamp += 1;
        self.stamp
    }
}

impl Model {
    /// Sends `frame` as a request of this part.
    pub(super) fn ask(&mut self, ask: Ask, frame: shared::AgentFrame) -> shared::AgentFrame {
        self.requests.push(Request::Knowledge(ask));
        frame
    }

    /// The oldest request of this part that `which` accepts, no longer waiting.
    pub(super) fn answered(&mut self, which: impl Fn(&Ask) -> bool) -> Option<Ask> {
        match self
            .requests
            .take(|r| matches!(r, Request::Knowledge(a) if which(a)))
        {
            Some(Request::Knowledge(ask)) => Some(ask),
            _ => None,
        }
    }

    /// Whether a request `which` accepts is waiting.
    pub(crate) fn asking(&self, which: impl Fn(&Ask) -> bool) -> bool {
        self.requests
            .waiting(|r| matches!(r, Request::Knowledge(a) if which(a)))
    }

    /// Queues text for `conversation`'s composer.
    pub(crate) fn insert_text(&mut self, conversation: &ConversationId, text: String) {
        let stamp = self.kb.next_stamp();
        self.kb.insert = Some(Insertion {
            conversation: conversation.clone(),
            text,
            stamp,
        });
    }

    /// The composer inserted `stamp`: it is not inserted again.
    pub(crate) fn inserted(&mut self, stamp: u64) {
        if self.kb.insert.as_ref().is_some_and(|i| i.stamp == stamp) {
            self.kb.insert = None;
        }
    }

    /// A frame of this part from the relay.
    pub(super) fn on_library(&mut self, frame: ServerFrame) {
        match frame {
            ServerFrame::CannedReplies { site, replies } => self.on_canned(site, replies),
            ServerFrame::Note(note) => self.on_note(note),
            ServerFrame::Notes {
                conversation,
                notes,
            } => self.on_notes(&conversation, notes),
            ServerFrame::KbResults { query, hits } => self.on_kb_results(&query, hits),
            ServerFrame::KbArticle(view) => self.on_kb_article(&view),
            ServerFrame::Articles {
                site,
                articles,
                categories,
            } => self.on_articles(&site, articles, categories),
            ServerFrame::ArticleSaved(article) => self.on_article_saved(*article),
            ServerFrame::ArticleRevisions { article, revisions } => {
                self.on_revisions(&article, revisions);
            }
            ServerFrame::ArticleDeleted { article } => self.on_article_deleted(&article),
            ServerFrame::ArticlePreview { blocks } => self.on_preview(blocks),
            ServerFrame::Categories { site, categories } => self.on_categories(&site, categories),
            _ => {}
        }
    }

    /// An anonymous error taken as the answer to `ask`: shown where its
    /// answer would have gone.
    pub(super) fn ask_failed(&mut self, ask: Ask, code: ErrorCode) {
        let kb = &mut self.kb;
        match ask {
            Ask::Canned { site, change } => {
                if change.is_none() {
                    // Asked again the next time they are wanted.
                    kb.canned.forget(&site);
                }
                kb.canned.note = Some(Note::CannedFailed(code));
            }
            Ask::AddNote { conversation, .. } => {
                kb.notes.failed = Some((conversation, code));
            }
            Ask::Search(query) => {
                if let Some(search) = kb.search.as_mut().filter(|s| s.query == query) {
                    search.fetch = Fetch::Failed(code);
                }
            }
            Ask::Article { .. } => {
                if let Some(search) = kb.search.as_mut() {
                    search.fetch = Fetch::Failed(code);
                }
            }
            Ask::List(_) => kb.admin.list = Fetch::Failed(code),
            Ask::Save => kb.admin.save_failed(code),
            Ask::Preview => {
                if let Some(editor) = kb.admin.editor.as_mut() {
                    editor.preview = Fetch::Failed(code);
                }
            }
            Ask::Revisions(_) | Ask::Delete(_) => kb.admin.note = Some(Note::Error(code)),
            Ask::Category(_) => kb.admin.category_note = Some(Note::Error(code)),
        }
    }

    /// After `agent_welcome` (the old socket's requests are gone): the
    /// open conversation's notes and the chosen site's articles are asked
    /// for again; replies are reloaded when next wanted.
    pub(super) fn library_again(&mut self) -> Vec<Effect> {
        let kb = &mut self.kb;
        kb.canned.forget_all();
        kb.notes.failed = None;
        if let Some(search) = kb.search.as_mut() {
            search.fetch = Fetch::Settled;
        }
        kb.admin.settle();
        let mut frames = Vec::new();
        if let Some(open) = self.open.clone() {
            frames.push(super::notes::ask_notes(&open));
        }
        if let Some(site) = self.kb.admin.site.clone() {
            frames.extend(self.kb_pick_site(&site));
        }
        frames.into_iter().map(Effect::Send).collect()
    }
}
