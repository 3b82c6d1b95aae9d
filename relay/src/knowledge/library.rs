//! This node's view of the knowledge base for search: the index of every
//! site's published articles, kept current from the store. A saved or
//! deleted article reaches every node as `Event::ArticleChanged`; each node
//! re-reads that article and updates its own index ([`Library::refresh`]).
//! Events can be lost (a Redis blip), so the node also compares its index
//! with the store now and then ([`Library::resync`]): a lost event costs
//! minutes of staleness, never a wrong index for good.

use std::collections::HashMap;
use std::sync::Mutex;

use shared::knowledge::{Article, ArticleStatus, SearchHit};
use shared::{ArticleId, SiteId};

use super::markdown;
use super::search::{IndexedArticle, SearchError, SearchIndex};
use crate::store::{Store, StoreError};

/// What can stop the index from following the store.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// The index and the revision of each article it holds.
#[derive(Debug)]
pub struct Library {
    index: SearchIndex,
    indexed: Mutex<HashMap<(SiteId, ArticleId), u32>>,
}

/// An article as the index takes it: its body as plain words.
pub fn indexed(article: &Article) -> IndexedArticle {
    IndexedArticle {
        site: article.site.clone(),
        id: article.id.clone(),
        lang: article.lang.clone(),
        slug: article.slug.clone(),
        title: article.title.clone(),
        text: markdown::plain_text(&markdown::parse(&article.body)),
    }
}

impl Library {
    pub fn new() -> Result<Self, LibraryError> {
        Ok(Self {
            index: SearchIndex::new()?,
            indexed: Mutex::new(HashMap::new()),
        })
    }

    fn indexed_map(&self) -> std::sync::MutexGuard<'_, HashMap<(SiteId, ArticleId), u32>> {
        self.indexed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Published articles of the site matching `query`, best first.
    pub fn search(
        &self,
        site: &SiteId,
        lang: Option<&str>,
        query: &str,
        limit: usize,
    ) -> Result<Vec<SearchHit>, LibraryError> {
        Ok(self.index.search(site, lang, query, limit)?)
    }

    /// Makes the index hold what the store holds for one article.
    pub async fn refresh(
        &self,
        store: &dyn Store,
        site: &SiteId,
        id: &ArticleId,
    ) -> Result<(), LibraryError> {
        let key = (site.clone(), id.clone());
        match store.article(site, id).await? {
            Some(article) if article.status == ArticleStatus::Published => {
                self.index.upsert(&indexed(&article))?;
                self.indexed_map().insert(key, article.revision);
            }
            _ => {
                self.index.remove(site, id)?;
                self.indexed_map().remove(&key);
            }
        }
        Ok(())
    }

    /// Compares the whole index with the store and fixes what differs;
    /// returns how many articles it changed. At start-up this fills it.
    pub async fn resync(&self, store: &dyn Store) -> Result<usize, LibraryError> {
        let mut published: HashMap<(SiteId, ArticleId), Article> = HashMap::new();
        for site in store.sites().await? {
            for article in store.articles(&site).await? {
                if article.status == ArticleStatus::Published {
                    published.insert((site.clone(), article.id.clone()), article);
                }
            }
        }
        let (stale, gone) = {
            let indexed = self.indexed_map();
            let stale: Vec<&Article> = published
                .iter()
                .filter(|(key, a)| indexed.get(key) != Some(&a.revision))
                .map(|(_, a)| a)
                .collect();
            let gone: Vec<(SiteId, ArticleId)> = indexed
                .keys()
                .filter(|key| !published.contains_key(key))
                .cloned()
                .collect();
            (stale, gone)
        };
        let changed = stale.len() + gone.len();
        let batch: Vec<IndexedArticle> = stale.iter().map(|a| indexed(a)).collect();
        if !batch.is_empty() {
            self.index.upsert_many(&batch)?;
        }
        for (site, id) in &gone {
            self.index.remove(site, id)?;
        }
        let mut indexed = self.indexed_map();
        for article in stale {
            indexed.insert((article.site.clone(), article.id.clone()), article.revision);
        }
        for key in gone {
            indexed.remove(&key);
        }
        Ok(changed)
    }
}
