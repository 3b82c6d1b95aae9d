//! The admins' knowledge base panel: the chosen site's articles (drafts
//! too) grouped by translation, its categories, an article's revision
//! history, and deleting behind a confirm step. Only admins get here: every
//! action is refused for anyone else (the relay refuses them too). The
//! article editor is `editor.rs`.

use shared::knowledge::{Article, ArticleStatus, Category, Revision};
use shared::{AgentFrame, ArticleId, CategoryId, SiteId};

use super::editor::Editor;
use super::library::Ask;
use super::requests::Fetch;
use super::{Model, Note};

/// The panel's state.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct KbAdmin {
    pub(crate) site: Option<SiteId>,
    /// The site's articles as last listed, updated by each save and delete.
    pub(crate) articles: Vec<Article>,
    /// By position, then name.
    pub(crate) categories: Vec<Category>,
    pub(crate) list: Fetch,
    pub(crate) editor: Option<Editor>,
    /// An article's revisions, newest first, while shown.
    pub(crate) revisions: Option<(ArticleId, Vec<Revision>)>,
    /// The article whose deletion the admin is asked to confirm.
    pub(crate) confirm_delete: Option<ArticleId>,
    /// The last deletion, or why a request of the list was refused.
    pub(crate) note: Option<Note>,
    /// Why the last category change was refused.
    pub(crate) category_note: Option<Note>,
}

impl KbAdmin {
    /// A new socket: nothing is on its way any more.
    pub(super) fn settle(&mut self) {
        self.list = Fetch::Settled;
        if let Some(editor) = self.editor.as_mut() {
            editor.saving = false;
            editor.preview = Fetch::Settled;
        }
    }

    fn set_categories(&mut self, mut categories: Vec<Category>) {
        categories.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        self.categories = categories;
    }
}

/// One line of the article list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArticleRow {
    pub(crate) id: ArticleId,
    pub(crate) title: String,
    pub(crate) lang: String,
    pub(crate) status: ArticleStatus,
    pub(crate) revision: u32,
    /// The category's name, if it has one that still exists.
    pub(crate) category: Option<String>,
}

impl Model {
    /// Whether the knowledge base panel is offered: admins only.
    pub(crate) fn can_edit_kb(&self) -> bool {
        self.is_admin()
    }

    pub(super) fn kb_article(&self, id: &ArticleId) -> Option<&Article> {
        self.kb.admin.articles.iter().find(|a| a.id == *id)
    }

    /// Picks the site to work on (or lists it again).
    pub(crate) fn kb_pick_site(&mut self, site: &SiteId) -> Option<AgentFrame> {
        if !self.can_edit_kb() {
            return None;
        }
        let admin = &mut self.kb.admin;
        if admin.site.as_ref() != Some(site) {
            *admin = KbAdmin {
                site: Some(site.clone()),
                ..Default::default()
            };
        }
        admin.list = Fetch::Pending;
        let frame = AgentFrame::ListArticles { site: site.clone() };
        Some(self.ask(Ask::List(site.clone()), frame))
    }

    /// The articles, one group per translation group (its languages in
    /// order), groups by the title of their first article.
    pub(crate) fn kb_groups(&self) -> Vec<Vec<ArticleRow>> {
        let admin = &self.kb.admin;
        let mut groups: Vec<Vec<&Article>> = Vec::new();
        for article in &admin.articles {
            match groups.iter_mut().find(|g| g[0].group == article.group) {
                Some(group) => group.push(article),
                None => groups.push(vec![article]),
            }
        }
        for group in &mut groups {
            group.sort_by(|a, b| ((a.id != a.group), &a.lang).cmp(&((b.id != b.group), &b.lang)));
        }
        groups.sort_by_key(|g| g[0].title.to_lowercase());
        let category = |id: &Option<CategoryId>| {
            let id = id.as_ref()?;
            admin
                .categories
                .iter()
                .find(|c| c.id == *id)
                .map(|c| c.name.clone())
        };
        groups
            .into_iter()
            .map(|group| {
                group
                    .into_iter()
                    .map(|a| ArticleRow {
                        id: a.id.clone(),
                        title: a.title.clone(),
                        lang: a.lang.clone(),
                        status: a.status,
                        revision: a.revision,
                        category: category(&a.category),
                    })
                    .collect()
            })
            .collect()
    }

    /// "Delete" opens a confirm step; nothing is sent yet.
    pub(crate) fn kb_ask_delete(&mut self, id: &ArticleId) {
        if self.can_edit_kb() {
            self.kb.admin.confirm_delete = Some(id.clone());
        }
    }

    pub(crate) fn kb_cancel_delete(&mut self) {
        self.kb.admin.confirm_delete = None;
    }

    /// The confirmed deletion.
    pub(crate) fn kb_delete(&mut self, id: &ArticleId) -> Option<AgentFrame> {
        let site = self.kb.admin.site.clone().filter(|_| self.can_edit_kb())?;
        if self.kb.admin.confirm_delete.take().as_ref() != Some(id) {
            return None;
        }
        self.kb.admin.note = None;
        let frame = AgentFrame::DeleteArticle {
            site,
            article: id.clone(),
        };
        Some(self.ask(Ask::Delete(id.clone()), frame))
    }

    /// "History": an article's revisions.
    pub(crate) fn kb_revisions(&mut self, id: &ArticleId) -> Option<AgentFrame> {
        let site = self.kb.admin.site.clone().filter(|_| self.can_edit_kb())?;
        let frame = AgentFrame::ArticleRevisions {
            site,
            article: id.clone(),
        };
        Some(self.ask(Ask::Revisions(id.clone()), frame))
    }

    pub(crate) fn kb_hide_revisions(&mut self) {
        self.kb.admin.revisions = None;
    }

    /// Adds (`id` absent), renames or moves a category.
    pub(crate) fn kb_save_category(
        &mut self,
        id: Option<CategoryId>,
        name: &str,
        position: u32,
    ) -> Option<AgentFrame> {
        let site = self.kb.admin.site.clone().filter(|_| self.can_edit_kb())?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        self.kb.admin.category_note = None;
        let frame = AgentFrame::SaveCategory {
            site: site.clone(),
            id,
            name: name.to_owned(),
            position,
        };
        Some(self.ask(Ask::Category(site), frame))
    }

    pub(crate) fn kb_delete_category(&mut self, id: &CategoryId) -> Option<AgentFrame> {
        let site = self.kb.admin.site.clone().filter(|_| self.can_edit_kb())?;
        self.kb.admin.category_note = None;
        let frame = AgentFrame::DeleteCategory {
            site: site.clone(),
            category: id.clone(),
        };
        Some(self.ask(Ask::Category(site), frame))
    }

    /// `articles`: the list of the site asked for.
    pub(super) fn on_articles(
        &mut self,
        site: &SiteId,
        articles: Vec<Article>,
        categories: Vec<Category>,
    ) {
        self.answered(|a| *a == Ask::List(site.clone()));
        let admin = &mut self.kb.admin;
        if admin.site.as_ref() == Some(site) {
            admin.articles = articles;
            admin.set_categories(categories);
            admin.list = Fetch::Settled;
        }
    }

    /// `article_revisions`.
    pub(super) fn on_revisions(&mut self, article: &ArticleId, revisions: Vec<Revision>) {
        if self
            .answered(|a| *a == Ask::Revisions(article.clone()))
            .is_some()
        {
            self.kb.admin.revisions = Some((article.clone(), revisions));
        }
    }

    /// `article_deleted`: gone from the list and, if open, the editor.
    pub(super) fn on_article_deleted(&mut self, article: &ArticleId) {
        self.answered(|a| *a == Ask::Delete(article.clone()));
        let admin = &mut self.kb.admin;
        let title = admin
            .articles
            .iter()
            .find(|a| a.id == *article)
            .map(|a| a.title.clone())
            .unwrap_or_default();
        admin.articles.retain(|a| a.id != *article);
        if admin.editor.as_ref().and_then(|e| e.id.as_ref()) == Some(article) {
            admin.editor = None;
        }
        if admin
            .revisions
            .as_ref()
            .is_some_and(|(id, _)| id == article)
        {
            admin.revisions = None;
        }
        admin.note = Some(Note::ArticleDeleted(title));
    }

    /// `categories`: the site's categories after a change.
    pub(super) fn on_categories(&mut self, site: &SiteId, categories: Vec<Category>) {
        self.answered(|a| *a == Ask::Category(site.clone()));
        if self.kb.admin.site.as_ref() == Some(site) {
            self.kb.admin.set_categories(categories);
        }
    }
}
