//! The knowledge base's, canned replies' and notes' actions, as the
//! components call them: each asks the model (which may refuse, saying why
//! on its form) and sends the frame it returns.

use leptos::prelude::{Update, WithUntracked};
use shared::canned::typed_shortcut;
use shared::{ArticleId, CannedReplyId, CategoryId, ConversationId, SiteId};

use super::Controller;
use crate::model::{ArticleFields, Model};

impl Controller {
    /// The composer of `conversation` now holds `text`: the `/shortcut`
    /// picker opens, narrows or closes. The model is left alone while there
    /// is no picker and no slash (every update re-runs the console's memos).
    pub(crate) fn canned_typed(&self, conversation: &ConversationId, text: &str) {
        let open = self
            .model()
            .with_untracked(|m| m.kb.canned.picker.is_some());
        if open || typed_shortcut(text).is_some() {
            self.send_from(|m| m.canned_typed(conversation, text));
        }
    }

    pub(crate) fn canned_move(&self, down: bool) {
        self.model().update(|m| m.canned_move(down));
    }

    /// The text to put in place of the `/shortcut`: the chosen reply (the
    /// highlighted one without `index`) with its placeholders filled in.
    pub(crate) fn canned_pick(&self, index: Option<usize>) -> Option<String> {
        self.model().try_update(|m| m.canned_pick(index)).flatten()
    }

    pub(crate) fn canned_close(&self) {
        let open = self
            .model()
            .with_untracked(|m| m.kb.canned.picker.is_some());
        if open {
            self.model().update(Model::canned_close);
        }
    }

    /// Loads a site's replies (once per connection).
    pub(crate) fn load_canned(&self, site: &SiteId) {
        self.send_from(|m| m.load_canned(site));
    }

    pub(crate) fn save_canned(
        &self,
        site: &SiteId,
        id: Option<CannedReplyId>,
        shortcut: &str,
        text: &str,
        shared: bool,
    ) {
        self.send_from(|m| m.save_canned(site, id, shortcut, text, shared));
    }

    pub(crate) fn delete_canned(&self, site: &SiteId, id: &CannedReplyId) {
        self.send_from(|m| m.delete_canned(site, id));
    }

    /// Sends a private note; `false` if there was nothing to send.
    pub(crate) fn add_note(&self, conversation: &ConversationId, text: &str) -> bool {
        match self
            .model()
            .try_update(|m| m.add_note(conversation, text))
            .flatten()
        {
            Some(frame) => self.send(&frame),
            None => false,
        }
    }

    pub(crate) fn kb_open(&self, conversation: &ConversationId) {
        self.model().update(|m| m.kb_open(conversation));
    }

    pub(crate) fn kb_close(&self) {
        self.model().update(Model::kb_close);
    }

    pub(crate) fn kb_search(&self, query: &str) {
        self.send_from(|m| m.kb_search(query));
    }

    /// "Insert link": `origin` is the page's, where the help center is.
    pub(crate) fn kb_insert_link(&self, origin: &str, article: &ArticleId) {
        self.model().update(|m| m.kb_insert_link(origin, article));
    }

    pub(crate) fn kb_insert_text(&self, article: &ArticleId) {
        self.send_from(|m| m.kb_insert_text(article));
    }

    /// The composer inserted the text stamped `stamp`.
    pub(crate) fn inserted(&self, stamp: u64) {
        self.model().update(|m| m.inserted(stamp));
    }

    pub(crate) fn kb_pick_site(&self, site: &SiteId) {
        self.send_from(|m| m.kb_pick_site(site));
    }

    pub(crate) fn kb_new(&self) {
        self.model().update(Model::kb_new);
    }

    pub(crate) fn kb_edit(&self, id: &ArticleId) {
        self.model().update(|m| m.kb_edit(id));
    }

    pub(crate) fn kb_translate(&self, of: &ArticleId) {
        self.model().update(|m| m.kb_translate(of));
    }

    pub(crate) fn kb_close_editor(&self) {
        self.model().update(Model::kb_close_editor);
    }

    pub(crate) fn kb_save(&self, fields: ArticleFields) {
        self.send_from(|m| m.kb_save(fields));
    }

    pub(crate) fn kb_preview(&self, body: &str, lang: &str) {
        self.send_from(|m| m.kb_preview(body, lang));
    }

    pub(crate) fn kb_ask_delete(&self, id: &ArticleId) {
        self.model().update(|m| m.kb_ask_delete(id));
    }

    pub(crate) fn kb_cancel_delete(&self) {
        self.model().update(Model::kb_cancel_delete);
    }

    pub(crate) fn kb_delete(&self, id: &ArticleId) {
        self.send_from(|m| m.kb_delete(id));
    }

    pub(crate) fn kb_revisions(&self, id: &ArticleId) {
        self.send_from(|m| m.kb_revisions(id));
    }

    pub(crate) fn kb_hide_revisions(&self) {
        self.model().update(Model::kb_hide_revisions);
    }

    pub(crate) fn kb_save_category(&self, id: Option<CategoryId>, name: &str, position: u32) {
        self.send_from(|m| m.kb_save_category(id, name, position));
    }

    pub(crate) fn kb_delete_category(&self, id: &CategoryId) {
        self.send_from(|m| m.kb_delete_category(id));
    }
}
