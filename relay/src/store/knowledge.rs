//! The knowledge base and canned replies as stores keep them: articles
//! with every revision, categories, canned replies, and the counts of what
//! visitors said after reading an article. The rules (who may write, how a
//! slug is made, what a revision records) are the service's
//! (`conversations::knowledge`); a store only checks what must be atomic:
//! the revision it replaces, a slug or translation taken, a shortcut taken.
//! Private notes are not here: they are timeline items (`Channel::Note`)
//! on the customer's record.

use async_trait::async_trait;
use shared::canned::CannedReply;
use shared::knowledge::{Article, Category, Feedback, Revision};
use shared::{ArticleId, CannedReplyId, CategoryId, SiteId};

use super::StoreResult;

/// How many times visitors said one thing about one article on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackCount {
    pub article: ArticleId,
    /// Days since the Unix epoch (UTC).
    pub day: u64,
    pub feedback: Feedback,
    pub count: u64,
}

/// The knowledge base's durable data. Every write is atomic.
#[async_trait]
pub trait KnowledgeStore: Send + Sync + std::fmt::Debug + 'static {
    /// Writes `article` (its `revision` already the next number) and
    /// keeps `revision` beside it, if the stored revision is still
    /// `replaces` (`None`: the article must not exist yet). Refused with
    /// `Conflict` and nothing changed when the stored revision differs
    /// (`"stale revision"`), when another article of the site holds the
    /// slug in that language (`"slug taken"`), or when another article of
    /// the translation group has that language (`"translation exists"`).
    async fn save_article(
        &self,
        article: &Article,
        revision: &Revision,
        replaces: Option<u32>,
    ) -> StoreResult<()>;
    async fn article(&self, site: &SiteId, id: &ArticleId) -> StoreResult<Option<Article>>;
    async fn article_by_slug(
        &self,
        site: &SiteId,
        lang: &str,
        slug: &str,
    ) -> StoreResult<Option<Article>>;
    /// The articles of one translation group (one per language), drafts too.
    async fn translations(&self, site: &SiteId, group: &ArticleId) -> StoreResult<Vec<Article>>;
    /// Every article of the site, drafts too, in no set order.
    async fn articles(&self, site: &SiteId) -> StoreResult<Vec<Article>>;
    /// The article's revisions, newest first.
    async fn revisions(&self, site: &SiteId, id: &ArticleId) -> StoreResult<Vec<Revision>>;
    /// Deletes the article and its revisions; `false` if there was none.
    async fn delete_article(&self, site: &SiteId, id: &ArticleId) -> StoreResult<bool>;

    /// Creates or replaces a category.
    async fn put_category(&self, category: &Category) -> StoreResult<()>;
    /// The site's categories by position, then name.
    async fn categories(&self, site: &SiteId) -> StoreResult<Vec<Category>>;
    /// `false` if there was none. Articles keep the id and show no category.
    async fn delete_category(&self, site: &SiteId, id: &CategoryId) -> StoreResult<bool>;

    /// Creates or replaces a canned reply; `Conflict("shortcut taken")`
    /// when another reply of the same scope (shared, or the same owner's)
    /// has the shortcut.
    async fn put_canned_reply(&self, reply: &CannedReply) -> StoreResult<()>;
    /// Every canned reply of the site, shared and personal, by shortcut.
    async fn canned_replies(&self, site: &SiteId) -> StoreResult<Vec<CannedReply>>;
    /// `false` if there was none.
    async fn delete_canned_reply(&self, site: &SiteId, id: &CannedReplyId) -> StoreResult<bool>;

    /// Counts one visitor's feedback on an article, on the day of `at_ms`.
    async fn record_feedback(
        &self,
        site: &SiteId,
        article: &ArticleId,
        feedback: Feedback,
        at_ms: u64,
    ) -> StoreResult<()>;
    /// Every count of the site, by article, day and feedback.
    async fn feedback_counts(&self, site: &SiteId) -> StoreResult<Vec<FeedbackCount>>;
}

/// The day (since the epoch, UTC) a feedback at `at_ms` counts on.
pub fn feedback_day(at_ms: u64) -> u64 {
    at_ms / 86_400_000
}
