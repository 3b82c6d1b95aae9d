//! The strings of the knowledge base, canned replies and private notes:
//! one part of each [`super::Catalog`] (its `kb` field), kept apart so the
//! catalog stays readable. Same rules: templates with named
//! `{placeholders}`, accessible names the tests rely on.

/// The knowledge base's, canned replies' and notes' strings in one language.
#[derive(Debug)]
pub(crate) struct KbWords {
    // The composer: canned replies, notes, knowledge search.
    pub(crate) canned_replies: &'static str,
    /// `{shortcut}` = what was typed, slash included.
    pub(crate) no_canned_match: &'static str,
    pub(crate) note_mode: &'static str,
    pub(crate) private_note: &'static str,
    pub(crate) add_note: &'static str,
    /// The label every note carries in the transcript.
    pub(crate) note_label: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) note_failed: &'static str,
    pub(crate) ch_note: &'static str,
    pub(crate) search_kb: &'static str,
    pub(crate) close_kb_search: &'static str,
    pub(crate) kb_query: &'static str,
    pub(crate) find_articles: &'static str,
    pub(crate) kb_results: &'static str,
    pub(crate) no_articles_found: &'static str,
    pub(crate) insert_link: &'static str,
    pub(crate) insert_text: &'static str,
    /// `{title}` = the article's title.
    pub(crate) insert_link_to: &'static str,
    /// `{title}` = the article's title.
    pub(crate) insert_text_of: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) kb_failed: &'static str,
    // The knowledge base panel.
    pub(crate) knowledge_base: &'static str,
    pub(crate) close_knowledge_base: &'static str,
    pub(crate) site: &'static str,
    pub(crate) choose_site: &'static str,
    pub(crate) articles: &'static str,
    pub(crate) no_articles: &'static str,
    pub(crate) new_article: &'static str,
    pub(crate) new_translation: &'static str,
    /// `{title}` = the article's title.
    pub(crate) editing: &'static str,
    pub(crate) edit: &'static str,
    /// `{title}`, `{lang}`.
    pub(crate) edit_article: &'static str,
    pub(crate) add_translation: &'static str,
    /// `{title}`.
    pub(crate) translate_article: &'static str,
    pub(crate) history: &'static str,
    /// `{title}`, `{lang}`.
    pub(crate) history_of: &'static str,
    pub(crate) delete: &'static str,
    /// `{title}`, `{lang}`.
    pub(crate) delete_article: &'static str,
    /// `{title}`.
    pub(crate) confirm_delete_article: &'static str,
    pub(crate) yes_delete: &'static str,
    /// `{title}`.
    pub(crate) article_deleted: &'static str,
    pub(crate) status_draft: &'static str,
    pub(crate) status_published: &'static str,
    /// `{n}` = the revision.
    pub(crate) revision_n: &'static str,
    pub(crate) no_category: &'static str,
    pub(crate) title: &'static str,
    pub(crate) slug: &'static str,
    pub(crate) slug_hint: &'static str,
    pub(crate) language: &'static str,
    pub(crate) other_language: &'static str,
    pub(crate) other_language_hint: &'static str,
    pub(crate) category: &'static str,
    pub(crate) article_status: &'static str,
    pub(crate) body: &'static str,
    pub(crate) preview: &'static str,
    /// The region showing a preview.
    pub(crate) preview_region: &'static str,
    pub(crate) previewing: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) preview_failed: &'static str,
    pub(crate) save: &'static str,
    pub(crate) saving: &'static str,
    pub(crate) close_editor: &'static str,
    /// `{n}` = the revision saved.
    pub(crate) saved_revision: &'static str,
    pub(crate) article_conflict: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) save_failed: &'static str,
    pub(crate) revisions: &'static str,
    pub(crate) hide_history: &'static str,
    /// `{n}`, `{who}`, `{when}`, `{changed}`.
    pub(crate) revision_line: &'static str,
    pub(crate) f_title: &'static str,
    pub(crate) f_body: &'static str,
    pub(crate) f_status: &'static str,
    pub(crate) f_category: &'static str,
    pub(crate) f_slug: &'static str,
    pub(crate) categories: &'static str,
    pub(crate) no_categories: &'static str,
    pub(crate) add_category: &'static str,
    pub(crate) category_name: &'static str,
    /// `{name}` = the category's name.
    pub(crate) name_of: &'static str,
    /// `{name}`.
    pub(crate) position_of: &'static str,
    /// `{name}`.
    pub(crate) save_category: &'static str,
    /// `{name}`.
    pub(crate) delete_category: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) category_failed: &'static str,
    // The canned replies panel.
    pub(crate) close_canned: &'static str,
    pub(crate) no_replies: &'static str,
    pub(crate) shortcut: &'static str,
    pub(crate) reply_text: &'static str,
    pub(crate) placeholders_hint: &'static str,
    pub(crate) shared_reply: &'static str,
    pub(crate) save_reply: &'static str,
    pub(crate) new_reply: &'static str,
    pub(crate) shared_tag: &'static str,
    pub(crate) own_tag: &'static str,
    /// `{shortcut}` = the reply's shortcut, slash included.
    pub(crate) edit_reply: &'static str,
    /// `{shortcut}`.
    pub(crate) delete_reply: &'static str,
    /// `{shortcut}`.
    pub(crate) reply_saved: &'static str,
    /// `{shortcut}`.
    pub(crate) reply_deleted: &'static str,
    pub(crate) shortcut_invalid: &'static str,
    pub(crate) reply_empty: &'static str,
    pub(crate) shared_admins_only: &'static str,
    pub(crate) err_no_article: &'static str,
    pub(crate) err_article_invalid: &'static str,
}
