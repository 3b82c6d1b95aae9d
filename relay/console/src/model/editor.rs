//! The admins' article editor: a new article, a translation of one, or an
//! article being changed. A change carries the revision it started from
//! (`base_revision`), so when someone else saved in between the relay
//! refuses it (`already_exists`, its code for a conflict) instead of
//! losing their change, and the editor says so and keeps the admin's text.
//! "Preview" shows the body as readers will see it: the relay parses the
//! Markdown into its safe block tree, which the console renders as
//! elements.

use shared::knowledge::{Article, ArticleDraft, ArticleStatus, Block};
use shared::{AgentFrame, ArticleId, CategoryId, ErrorCode};

use super::library::Ask;
use super::requests::Fetch;
use super::Model;

/// What the edit form holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArticleFields {
    pub(crate) title: String,
    /// Empty: the relay makes one from the title.
    pub(crate) slug: String,
    pub(crate) lang: String,
    pub(crate) category: Option<CategoryId>,
    pub(crate) status: ArticleStatus,
    /// Markdown.
    pub(crate) body: String,
}

impl ArticleFields {
    fn of(article: &Article) -> Self {
        Self {
            title: article.title.clone(),
            slug: article.slug.clone(),
            lang: article.lang.clone(),
            category: article.category.clone(),
            status: article.status,
            body: article.body.clone(),
        }
    }
}

/// What came of the last save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EditorNote {
    /// Saved as this revision.
    Saved(u32),
    /// Someone saved the article since it was opened (or the slug is taken).
    Conflict,
    Failed(ErrorCode),
}

/// The article being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Editor {
    /// `None` until a new article's first save.
    pub(crate) id: Option<ArticleId>,
    /// A new translation's original.
    pub(crate) translation_of: Option<ArticleId>,
    /// The revision this edit started from.
    pub(crate) base_revision: Option<u32>,
    /// The form's values when it was (re)filled.
    pub(crate) fields: ArticleFields,
    /// Changes whenever the form must be filled from `fields` again (a
    /// new article, another one); a save keeps it.
    pub(crate) stamp: u64,
    pub(crate) saving: bool,
    pub(crate) note: Option<EditorNote>,
    pub(crate) preview: Fetch,
    /// The last preview.
    pub(crate) blocks: Option<Vec<Block>>,
    /// The language the preview is in (for its direction).
    pub(crate) preview_lang: String,
}

impl Model {
    fn open_editor(
        &mut self,
        id: Option<ArticleId>,
        translation_of: Option<ArticleId>,
        base_revision: Option<u32>,
        fields: ArticleFields,
    ) {
        let stamp = self.kb.next_stamp();
        let admin = &mut self.kb.admin;
        admin.confirm_delete = None;
        admin.note = None;
        admin.editor = Some(Editor {
            id,
            translation_of,
            base_revision,
            fields,
            stamp,
            saving: false,
            note: None,
            preview: Fetch::Settled,
            blocks: None,
            preview_lang: String::new(),
        });
    }

    /// "New article": a draft in the site's default language.
    pub(crate) fn kb_new(&mut self) {
        let Some(site) = self.kb.admin.site.clone().filter(|_| self.is_admin()) else {
            return;
        };
        let fields = ArticleFields {
            title: String::new(),
            slug: String::new(),
            lang: self
                .kb
                .languages(&site)
                .into_iter()
                .next()
                .unwrap_or_default(),
            category: None,
            status: ArticleStatus::Draft,
            body: String::new(),
        };
        self.open_editor(None, None, None, fields);
    }

    /// Edits a listed article from its current revision.
    pub(crate) fn kb_edit(&mut self, id: &ArticleId) {
        let Some(article) = self.kb_article(id).filter(|_| self.is_admin()).cloned() else {
            return;
        };
        let fields = ArticleFields::of(&article);
        self.open_editor(Some(article.id), None, Some(article.revision), fields);
    }

    /// "Add translation": a new draft in the same group, starting from the
    /// original's text, in the first site language the group lacks.
    pub(crate) fn kb_translate(&mut self, of: &ArticleId) {
        let Some(original) = self.kb_article(of).filter(|_| self.is_admin()).cloned() else {
            return;
        };
        let taken: Vec<&str> = self
            .kb
            .admin
            .articles
            .iter()
            .filter(|a| a.group == original.group)
            .map(|a| a.lang.as_str())
            .collect();
        let lang = self
            .kb
            .languages(&original.site)
            .into_iter()
            .find(|l| !taken.contains(&l.as_str()))
            .unwrap_or_default();
        let fields = ArticleFields {
            slug: String::new(),
            lang,
            status: ArticleStatus::Draft,
            ..ArticleFields::of(&original)
        };
        self.open_editor(None, Some(original.id), None, fields);
    }

    pub(crate) fn kb_close_editor(&mut self) {
        self.kb.admin.editor = None;
    }

    /// "Save": the form's fields as a draft from the revision being edited.
    pub(crate) fn kb_save(&mut self, fields: ArticleFields) -> Option<AgentFrame> {
        let site = self.kb.admin.site.clone().filter(|_| self.is_admin())?;
        let editor = self.kb.admin.editor.as_mut().filter(|e| !e.saving)?;
        editor.saving = true;
        editor.note = None;
        let draft = ArticleDraft {
            site,
            id: editor.id.clone(),
            translation_of: editor.translation_of.clone(),
            lang: fields.lang.trim().to_owned(),
            slug: fields.slug.trim().to_owned(),
            title: fields.title.trim().to_owned(),
            body: fields.body,
            category: fields.category,
            status: fields.status,
            base_revision: editor.base_revision,
        };
        Some(self.ask(Ask::Save, AgentFrame::SaveArticle(Box::new(draft))))
    }

    /// "Preview": the body as readers will see it, in `lang`'s direction.
    pub(crate) fn kb_preview(&mut self, body: &str, lang: &str) -> Option<AgentFrame> {
        let editor = self.kb.admin.editor.as_mut()?;
        editor.preview = Fetch::Pending;
        lang.trim().clone_into(&mut editor.preview_lang);
        let frame = AgentFrame::PreviewArticle {
            body: body.to_owned(),
        };
        Some(self.ask(Ask::Preview, frame))
    }

    /// `article_saved`: the list shows the new revision; the editor goes on
    /// from it (a new article now has its id).
    pub(super) fn on_article_saved(&mut self, article: Article) {
        let asked = self.answered(|a| *a == Ask::Save).is_some();
        let admin = &mut self.kb.admin;
        if admin.site.as_ref() == Some(&article.site) {
            match admin.articles.iter_mut().find(|a| a.id == article.id) {
                Some(listed) => *listed = article.clone(),
                None => admin.articles.push(article.clone()),
            }
        }
        let Some(editor) = admin.editor.as_mut().filter(|e| asked && e.saving) else {
            return;
        };
        editor.id = Some(article.id.clone());
        editor.translation_of = None;
        editor.base_revision = Some(article.revision);
        editor.fields = ArticleFields::of(&article);
        editor.saving = false;
        editor.note = Some(EditorNote::Saved(article.revision));
    }

    /// `article_preview`: the blocks to show.
    pub(super) fn on_preview(&mut self, blocks: Vec<Block>) {
        self.answered(|a| *a == Ask::Preview);
        if let Some(editor) = self.kb.admin.editor.as_mut() {
            editor.blocks = Some(blocks);
            editor.preview = Fetch::Settled;
        }
    }
}

impl super::kb_admin::KbAdmin {
    /// A save was refused: a conflict is told as such, and the form keeps
    /// the admin's text either way.
    pub(super) fn save_failed(&mut self, code: ErrorCode) {
        if let Some(editor) = self.editor.as_mut() {
            editor.saving = false;
            editor.note = Some(match code {
                ErrorCode::AlreadyExists => EditorNote::Conflict,
                other => EditorNote::Failed(other),
            });
        }
    }
}
