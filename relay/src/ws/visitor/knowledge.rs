//! A visitor's self-service: searching the site's published articles,
//! reading one, and saying whether it answered the question. The site is
//! the socket's; a search without a language uses the site's default.
//! One answer per article per connection is counted, so reloading the
//! feedback buttons cannot inflate the reports.

use shared::knowledge::Feedback;
use shared::{ArticleId, ServerFrame};

use super::VisitorSession;
use crate::conversations::ServiceResult;
use crate::ws::outbox::Outbox;

impl VisitorSession {
    pub(super) async fn kb_search(
        &self,
        query: String,
        lang: Option<String>,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let lang = lang.or_else(|| self.site.languages.first().cloned());
        let hits = self
            .app
            .conversations
            .search_articles("visitor", &self.site.id, lang.as_deref(), &query)
            .await?;
        out.push(ServerFrame::KbResults { query, hits });
        Ok(())
    }

    pub(super) async fn kb_article(
        &self,
        article: ArticleId,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let view = self
            .app
            .conversations
            .published_article(&self.site.id, &article)
            .await?;
        out.push(ServerFrame::KbArticle(Box::new(view)));
        Ok(())
    }

    pub(super) async fn kb_feedback(
        &mut self,
        article: ArticleId,
        feedback: Feedback,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        if !self.feedback_given.contains(&article) {
            self.app
                .conversations
                .record_feedback(&self.site.id, &article, feedback)
                .await?;
            self.feedback_given.insert(article.clone());
        }
        out.push(ServerFrame::FeedbackRecorded { article });
        Ok(())
    }
}
