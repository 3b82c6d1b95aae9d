//! Full-text search over a node's published articles, of every site, in
//! RAM: rebuilt from the store at start-up ([`SearchIndex::upsert_many`])
//! and kept current one article at a time.
//!
//! - [`normalise`]: the letter normalisation tantivy lacks (Persian/Arabic,
//!   Hebrew niqqud, ё), as a token filter.
//! - [`analysis`]: the tokenizer and the analyzer of each language family.
//! - [`fields`]: the schema.
//! - [`query`]: a visitor's words as a hand-built query (never tantivy's
//!   query syntax), with typo and prefix variants.
//! - [`snippet`]: the marked passage under each hit.

mod analysis;
mod fields;
mod normalise;
mod query;
mod snippet;

use std::fmt;
use std::sync::{Mutex, MutexGuard};

use shared::knowledge::{SearchHit, MAX_HITS, MAX_QUERY_CHARS};
use shared::{ArticleId, SiteId};
use tantivy::collector::TopDocs;
use tantivy::indexer::IndexWriterOptions;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use self::analysis::Family;
use self::fields::{primary_subtag, Fields};
use self::query::Plan;

/// The writer's memory budget: tantivy's minimum. A knowledge base is
/// small, and the relay's memory is for sockets.
const WRITER_BYTES: usize = 15_000_000;

/// One article as the index takes it (the caller turns the Markdown body
/// into plain text).
#[derive(Debug, Clone)]
pub struct IndexedArticle {
    pub site: SiteId,
    pub id: ArticleId,
    /// BCP 47 tag; its primary subtag picks the analyzer and the filter.
    pub lang: String,
    pub slug: String,
    pub title: String,
    pub text: String,
}

/// Why the index could not do something.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(String),
    /// An earlier write panicked; the writer's state is unknown.
    #[error("search index writer is unusable after an earlier failure")]
    WriterPoisoned,
}

impl From<TantivyError> for SearchError {
    fn from(e: TantivyError) -> Self {
        Self::Index(e.to_string())
    }
}

/// The index: many readers, one writer at a time.
pub struct SearchIndex {
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    /// Indexed by [`Family::index`]; cloned per query (cheap).
    analyzers: [TextAnalyzer; 3],
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("documents", &self.len())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    pub fn new() -> Result<Self, SearchError> {
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_ram(schema);
        analysis::register(&index);
        // One indexing thread and one merge thread: the relay runs on small
        // machines (two cores) beside its sockets, and a knowledge base of
        // a few thousand articles indexes in seconds on one.
        let options = IndexWriterOptions::builder()
            .memory_budget_per_thread(WRITER_BYTES)
            .num_worker_threads(1)
            .num_merge_threads(1)
            .build();
        let writer = index.writer_with_options(options)?;
        // Manual: every write reloads right after its commit, so a search
        // never waits for a timer to see an edit.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            fields,
            writer: Mutex::new(writer),
            reader,
            analyzers: Family::ALL.map(Family::analyzer),
        })
    }

    /// Adds or replaces one article (delete by (site,id) term, then add),
    /// commits, reloads the reader.
    pub fn upsert(&self, article: &IndexedArticle) -> Result<(), SearchError> {
        self.upsert_many(std::slice::from_ref(article))
    }

    /// Many at once with one commit (start-up, bulk), replacing existing
    /// ones with the same (site,id); within `articles`, the last copy wins.
    pub fn upsert_many(&self, articles: &[IndexedArticle]) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        for article in articles {
            // A delete applies to documents added before it, so each later
            // copy replaces the earlier ones.
            writer.delete_term(self.fields.key_term(&article.site, &article.id));
            writer.add_document(self.fields.document(article))?;
        }
        self.commit(&mut writer)
    }

    pub fn remove(&self, site: &SiteId, id: &ArticleId) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        writer.delete_term(self.fields.key_term(site, id));
        self.commit(&mut writer)
    }

    /// Best first, at most `limit` (capped at [`MAX_HITS`]). `lang`: when
    /// Some, only articles whose primary language subtag matches (`fa-IR`
    /// matches `fa`), and the query is analyzed for that language; None:
    /// every language, the query analyzed once per language family.
    /// A query with no words (punctuation, `*`) finds nothing.
    pub fn search(
        &self,
        site: &SiteId,
        lang: Option<&str>,
        query: &str,
        limit: usize,
    ) -> Result<Vec<SearchHit>, SearchError> {
        let limit = limit.min(MAX_HITS);
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let families = match lang {
            Some(lang) => vec![Family::of(&primary_subtag(lang))],
            None => Family::ALL.to_vec(),
        };
        let plan = Plan::new(&query, &families, &self.analyzers);
        if limit == 0 || plan.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses = vec![
            (Occur::Must, filter(self.fields.site_term(site))),
            (Occur::Must, plan.query(&self.fields)),
        ];
        if let Some(lang) = lang {
            clauses.push((Occur::Must, filter(self.fields.primary_term(lang))));
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let stored = self.fields.stored(&doc);
            let family = Family::of(&primary_subtag(&stored.lang));
            let snippet = snippet::snippet(
                &plan,
                family,
                self.analyzers[family.index()].clone(),
                self.fields.searched(family).text,
                &stored.text,
            );
            hits.push(SearchHit {
                article: ArticleId(stored.id),
                lang: stored.lang,
                slug: stored.slug,
                title: stored.title,
                snippet,
            });
        }
        Ok(hits)
    }

    /// Documents indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::WriterPoisoned)
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        if let Err(e) = writer.commit() {
            // Drop what the failed commit left pending, so the next write
            // does not publish half of this one.
            let _ = writer.rollback();
            return Err(e.into());
        }
        self.reader.reload()?;
        Ok(())
    }
}

/// A clause that filters without changing the score.
fn filter(term: Term) -> Box<dyn Query> {
    let exact = TermQuery::new(term, IndexRecordOption::Basic);
    Box::new(ConstScoreQuery::new(Box::new(exact), 0.0))
}

#[cfg(test)]
mod tests;
