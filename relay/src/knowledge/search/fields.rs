//! The index's schema: what is searched (title and text, once per analyzer
//! [`Family`]), what filters (site, language, the article key) and what is
//! kept to answer a hit without asking the store.

use shared::{ArticleId, SiteId};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::{TantivyDocument, Term};

use super::analysis::Family;
use super::IndexedArticle;

/// The searched fields of one family.
#[derive(Debug, Clone, Copy)]
pub(super) struct Searched {
    pub(super) title: Field,
    pub(super) text: Field,
}

/// Every field, by role.
#[derive(Debug, Clone)]
pub(super) struct Fields {
    /// `(site, id)` as one term, so an upsert can delete the old copy.
    key: Field,
    site: Field,
    /// The primary language subtag (`fa` for `fa-IR`), for the filter.
    primary: Field,
    id: Field,
    lang: Field,
    slug: Field,
    searched: [Searched; 3],
}

/// What a hit shows, as kept in the index.
#[derive(Debug, Clone, Default)]
pub(super) struct Stored {
    pub(super) id: String,
    pub(super) lang: String,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) text: String,
}

/// `fa` for `fa-IR`, `en` for `EN_us`.
pub(super) fn primary_subtag(lang: &str) -> String {
    lang.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Length-prefixed: no other site and id pair spells the same key.
fn key(site: &SiteId, id: &ArticleId) -> String {
    format!("{}:{}{}", site.0.len(), site.0, id.0)
}

fn searched_options(family: Family) -> TextOptions {
    // Frequencies for BM25, no positions: no phrase queries, and the
    // snippets re-tokenize the stored text. Stored here rather than in a
    // field of its own: one copy of the text per document in the writer's
    // queue, which holds a whole bulk load at start-up.
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(family.analyzer_name())
                .set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored()
}

impl Fields {
    pub(super) fn schema() -> (Schema, Self) {
        let mut b = Schema::builder();
        let mut searched = |family: Family| Searched {
            title: b.add_text_field(
                &format!("title_{}", family.analyzer_name()),
                searched_options(family),
            ),
            text: b.add_text_field(
                &format!("text_{}", family.analyzer_name()),
                searched_options(family),
            ),
        };
        let searched = Family::ALL.map(&mut searched);
        let fields = Self {
            searched,
            key: b.add_text_field("key", STRING),
            site: b.add_text_field("site", STRING),
            primary: b.add_text_field("primary", STRING),
            id: b.add_text_field("id", STORED),
            lang: b.add_text_field("lang", STORED),
            slug: b.add_text_field("slug", STORED),
        };
        (b.build(), fields)
    }

    pub(super) fn searched(&self, family: Family) -> Searched {
        self.searched[family.index()]
    }

    pub(super) fn key_term(&self, site: &SiteId, id: &ArticleId) -> Term {
        Term::from_field_text(self.key, &key(site, id))
    }

    pub(super) fn site_term(&self, site: &SiteId) -> Term {
        Term::from_field_text(self.site, &site.0)
    }

    pub(super) fn primary_term(&self, lang: &str) -> Term {
        Term::from_field_text(self.primary, &primary_subtag(lang))
    }

    pub(super) fn document(&self, article: &IndexedArticle) -> TantivyDocument {
        let primary = primary_subtag(&article.lang);
        let searched = self.searched(Family::of(&primary));
        let mut doc = TantivyDocument::new();
        doc.add_text(self.key, key(&article.site, &article.id));
        doc.add_text(self.site, &article.site.0);
        doc.add_text(self.primary, &primary);
        doc.add_text(self.id, &article.id.0);
        doc.add_text(self.lang, &article.lang);
        doc.add_text(self.slug, &article.slug);
        doc.add_text(searched.title, &article.title);
        doc.add_text(searched.text, &article.text);
        doc
    }

    pub(super) fn stored(&self, doc: &TantivyDocument) -> Stored {
        let get = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let lang = get(self.lang);
        let searched = self.searched(Family::of(&primary_subtag(&lang)));
        Stored {
            id: get(self.id),
            slug: get(self.slug),
            title: get(searched.title),
            text: get(searched.text),
            lang,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::primary_subtag;

    #[test]
    fn primary_subtag_is_the_lowercase_first_part() {
        assert_eq!(primary_subtag("fa-IR"), "fa");
        assert_eq!(primary_subtag("EN_us"), "en");
        assert_eq!(primary_subtag(" he "), "he");
        assert_eq!(primary_subtag(""), "");
    }
}
