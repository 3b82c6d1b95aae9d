//! The knowledge base in the journal store: there is none. The journal
//! format predates it and is only read to move old data directories into
//! SQLite (`handover`) or written by tests making such directories, so it
//! holds no articles or replies and refuses to store any.

use async_trait::async_trait;
use shared::canned::CannedReply;
use shared::knowledge::{Article, Category, Feedback, Revision};
use shared::{ArticleId, CannedReplyId, CategoryId, SiteId};

use super::EmbeddedStore;
use crate::store::knowledge::{FeedbackCount, KnowledgeStore};
use crate::store::{StoreError, StoreResult};

fn refused<T>() -> StoreResult<T> {
    Err(StoreError::Backend(
        "the journal store of earlier versions has no knowledge base; \
         this version moves its data to SQLite on first open"
            .into(),
    ))
}

#[async_trait]
impl KnowledgeStore for EmbeddedStore {
    async fn save_article(&self, _: &Article, _: &Revision, _: Option<u32>) -> StoreResult<()> {
        refused()
    }
    async fn article(&self, _: &SiteId, _: &ArticleId) -> StoreResult<Option<Article>> {
        Ok(None)
    }
    async fn article_by_slug(&self, _: &SiteId, _: &str, _: &str) -> StoreResult<Option<Article>> {
        Ok(None)
    }
    async fn translations(&self, _: &SiteId, _: &ArticleId) -> StoreResult<Vec<Article>> {
        Ok(Vec::new())
    }
    async fn articles(&self, _: &SiteId) -> StoreResult<Vec<Article>> {
        Ok(Vec::new())
    }
    async fn revisions(&self, _: &SiteId, _: &ArticleId) -> StoreResult<Vec<Revision>> {
        Ok(Vec::new())
    }
    async fn delete_article(&self, _: &SiteId, _: &ArticleId) -> StoreResult<bool> {
        Ok(false)
    }
    async fn put_category(&self, _: &Category) -> StoreResult<()> {
        refused()
    }
    async fn categories(&self, _: &SiteId) -> StoreResult<Vec<Category>> {
        Ok(Vec::new())
    }
    async fn delete_category(&self, _: &SiteId, _: &CategoryId) -> StoreResult<bool> {
        Ok(false)
    }
    async fn put_canned_reply(&self, _: &CannedReply) -> StoreResult<()> {
        refused()
    }
    async fn canned_replies(&self, _: &SiteId) -> StoreResult<Vec<CannedReply>> {
        Ok(Vec::new())
    }
    async fn delete_canned_reply(&self, _: &SiteId, _: &CannedReplyId) -> StoreResult<bool> {
        Ok(false)
    }
    async fn record_feedback(
        &self,
        _: &SiteId,
        _: &ArticleId,
        _: Feedback,
        _: u64,
    ) -> StoreResult<()> {
        refused()
    }
    async fn feedback_counts(&self, _: &SiteId) -> StoreResult<Vec<FeedbackCount>> {
        Ok(Vec::new())
    }
}
