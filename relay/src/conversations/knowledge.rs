//! The knowledge base's rules, for every door (widget, console, help
//! center, API): who reads what (visitors, the help center and
//! integrations only published articles; agents drafts too), who writes
//! (admins), how a slug is made, what a revision records, and that every
//! node's search index hears of each change.

use shared::knowledge::{
    Article, ArticleDraft, ArticleStatus, ArticleView, Block, Category, Feedback, Revision,
    SearchHit, Translation, MAX_BODY_BYTES, MAX_HITS, MAX_QUERY_CHARS, MAX_TITLE_CHARS,
};
use shared::{ArticleId, CategoryId, SiteId};

use super::{ConversationService, ServiceError, ServiceResult};
use crate::bus::Event;
use crate::knowledge::markdown;
use crate::store::AgentRecord;

const NO_ARTICLE: ServiceError = ServiceError::NotFound("no such article");
/// Longest slug, in characters.
pub const MAX_SLUG_CHARS: usize = 80;
/// Longest category name, in characters.
pub const MAX_CATEGORY_CHARS: usize = 80;

/// A slug made from a title: lower-case letters and digits of any script,
/// other runs turned into single hyphens.
pub fn slug_of(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug
        .trim_end_matches('-')
        .chars()
        .take(MAX_SLUG_CHARS)
        .collect();
    slug.trim_end_matches('-').to_owned()
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.chars().count() <= MAX_SLUG_CHARS
        && slug
            .chars()
            .all(|c| c == '-' || (c.is_alphanumeric() && !c.is_uppercase()))
        && !slug.starts_with('-')
}

/// A language tag as articles carry it (`en`, `fa-IR`); one rule with
/// the agents' languages and the visitors' (`shared::lang`).
pub use shared::lang::is_language_tag as valid_lang;

/// The article, if there is one and readers may see it.
fn published(article: Option<Article>) -> ServiceResult<Article> {
    article
        .filter(|a| a.status == ArticleStatus::Published)
        .ok_or(NO_ARTICLE)
}

fn invalid(message: &str) -> ServiceError {
    ServiceError::Invalid(message.to_owned())
}

fn require_admin(agent: &AgentRecord, what: &'static str) -> ServiceResult<()> {
    if agent.admin {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(what))
    }
}

/// The fields of `after` that differ from `before` (all, for a new article).
fn changed(before: Option<&Article>, after: &Article) -> Vec<String> {
    let fields = [
        ("title", before.is_none_or(|b| b.title != after.title)),
        ("body", before.is_none_or(|b| b.body != after.body)),
        ("status", before.is_none_or(|b| b.status != after.status)),
        (
            "category",
            before.is_none_or(|b| b.category != after.category),
        ),
        ("slug", before.is_none_or(|b| b.slug != after.slug)),
    ];
    fields
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| (*name).to_owned())
        .collect()
}

fn check_draft(draft: &ArticleDraft) -> ServiceResult<()> {
    if !valid_lang(&draft.lang) {
        return Err(invalid("lang must be a language tag such as en or fa-IR"));
    }
    let title = draft.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(invalid("title must have 1 to 200 characters"));
    }
    if draft.body.len() > MAX_BODY_BYTES {
        return Err(ServiceError::Invalid(format!(
            "body is longer than {} KiB",
            MAX_BODY_BYTES / 1024
        )));
    }
    if !draft.slug.is_empty() && !valid_slug(&draft.slug) {
        return Err(invalid(
            "slug may hold lower-case letters, digits and hyphens",
        ));
    }
    Ok(())
}

impl ConversationService {
    /// Published articles of the site matching `query`, best first; in the
    /// language asked for, or in any when that language has none.
    pub async fn search_articles(
        &self,
        by: &'static str,
        site: &SiteId,
        lang: Option<&str>,
        query: &str,
    ) -> ServiceResult<Vec<SearchHit>> {
        self.site(site).await?;
        self.metrics.record_kb_search(by);
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(invalid("the search is longer than 200 characters"));
        }
        let search = |lang| {
            self.library()
                .search(site, lang, query, MAX_HITS)
                .map_err(|e| {
                    tracing::error!(error = %e, "search failed");
                    ServiceError::Internal
                })
        };
        let hits = search(lang)?;
        if hits.is_empty() && lang.is_some() {
            return search(None);
        }
        Ok(hits)
    }

    /// A published article, ready to read (visitors, help center, API).
    pub async fn published_article(
        &self,
        site: &SiteId,
        id: &ArticleId,
    ) -> ServiceResult<ArticleView> {
        let article = published(self.store.article(site, id).await?)?;
        self.view(article, true).await
    }

    /// A published article by its address in the help center.
    pub async fn published_article_by_slug(
        &self,
        site: &SiteId,
        lang: &str,
        slug: &str,
    ) -> ServiceResult<ArticleView> {
        let article = published(self.store.article_by_slug(site, lang, slug).await?)?;
        self.view(article, true).await
    }

    /// The site's published articles and its categories (the help center's index).
    pub async fn published_articles(
        &self,
        site: &SiteId,
    ) -> ServiceResult<(Vec<Article>, Vec<Category>)> {
        let (mut articles, categories) = self.articles_and_categories(site).await?;
        articles.retain(|a| a.status == ArticleStatus::Published);
        articles.sort_by(|a, b| a.title.cmp(&b.title));
        Ok((articles, categories))
    }

    async fn articles_and_categories(
        &self,
        site: &SiteId,
    ) -> ServiceResult<(Vec<Article>, Vec<Category>)> {
        Ok(tokio::try_join!(
            self.store.articles(site),
            self.store.categories(site)
        )?)
    }

    /// Counts what a visitor said after reading a published article.
    pub async fn record_feedback(
        &self,
        site: &SiteId,
        id: &ArticleId,
        feedback: Feedback,
    ) -> ServiceResult<()> {
        published(self.store.article(site, id).await?)?;
        self.store
            .record_feedback(site, id, feedback, self.clock.now_ms())
            .await?;
        if feedback == Feedback::Answered {
            self.deflected_fact(site, id).await;
        }
        self.metrics.record_kb_feedback(feedback);
        Ok(())
    }

    async fn view(&self, article: Article, published_only: bool) -> ServiceResult<ArticleView> {
        let (group, categories) = tokio::try_join!(
            self.store.translations(&article.site, &article.group),
            self.store.categories(&article.site)
        )?;
        let category = article
            .category
            .as_ref()
            .and_then(|id| categories.iter().find(|c| &c.id == id))
            .map(|c| c.name.clone());
        let mut translations: Vec<Translation> = group
            .into_iter()
            .filter(|t| {
                t.id != article.id && (!published_only || t.status == ArticleStatus::Published)
            })
            .map(|t| Translation {
                article: t.id,
                lang: t.lang,
                slug: t.slug,
                title: t.title,
            })
            .collect();
        translations.sort_by(|a, b| a.lang.cmp(&b.lang));
        Ok(ArticleView {
            blocks: markdown::parse(&article.body),
            id: article.id,
            site: article.site,
            lang: article.lang,
            slug: article.slug,
            title: article.title,
            category,
            translations,
            updated_at_ms: article.updated_at_ms,
        })
    }

    /// Any article of a known site, drafts too, for an agent.
    pub async fn article_for_agent(
        &self,
        site: &SiteId,
        id: &ArticleId,
    ) -> ServiceResult<ArticleView> {
        let article = self.store.article(site, id).await?.ok_or(NO_ARTICLE)?;
        self.view(article, false).await
    }

    /// Every article of a site, drafts too, and its categories.
    pub async fn list_articles(
        &self,
        site: &SiteId,
    ) -> ServiceResult<(Vec<Article>, Vec<Category>)> {
        self.site(site).await?;
        let (mut articles, categories) = self.articles_and_categories(site).await?;
        articles.sort_by(|a, b| (&a.group, &a.lang).cmp(&(&b.group, &b.lang)));
        Ok((articles, categories))
    }

    /// A body as readers will see it.
    pub fn preview_article(&self, body: &str) -> ServiceResult<Vec<Block>> {
        if body.len() > MAX_BODY_BYTES {
            return Err(ServiceError::Invalid(format!(
                "body is longer than {} KiB",
                MAX_BODY_BYTES / 1024
            )));
        }
        Ok(markdown::parse(body))
    }

    /// An admin creates or changes an article; every save is a revision.
    pub async fn save_article(
        &self,
        admin: &AgentRecord,
        draft: ArticleDraft,
    ) -> ServiceResult<Article> {
        require_admin(admin, "only admins can write articles")?;
        self.site(&draft.site).await?;
        check_draft(&draft)?;
        let site = draft.site.clone();
        let before = match &draft.id {
            Some(id) => Some(self.store.article(&site, id).await?.ok_or(NO_ARTICLE)?),
            None => None,
        };
        if let (Some(before), Some(base)) = (&before, draft.base_revision) {
            if before.revision != base {
                return Err(ServiceError::Conflict(
                    "the article changed since you opened it; reload it to see the change",
                ));
            }
        }
        if before.as_ref().is_some_and(|b| b.lang != draft.lang) {
            return Err(invalid(
                "an article's language cannot change; add a translation instead",
            ));
        }
        let id = draft
            .id
            .clone()
            .unwrap_or_else(|| ArticleId(crate::secrets::new_id("art")));
        let group = match (&before, &draft.translation_of) {
            (Some(before), _) => before.group.clone(),
            (None, Some(of)) => {
                self.store
                    .article(&site, of)
                    .await?
                    .ok_or(NO_ARTICLE)?
                    .group
            }
            (None, None) => id.clone(),
        };
        let slug = match draft.slug.as_str() {
            "" => Some(slug_of(&draft.title))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| id.to_string()),
            given => given.to_owned(),
        };
        let now = crate::now_ms();
        let article = Article {
            id,
            site,
            group,
            lang: draft.lang,
            slug,
            title: draft.title.trim().to_owned(),
            body: draft.body,
            category: draft.category,
            status: draft.status,
            revision: before.as_ref().map_or(1, |b| b.revision + 1),
            updated_at_ms: now,
            updated_by: admin.id.to_string(),
        };
        let revision = Revision {
            revision: article.revision,
            at_ms: now,
            author: admin.id.to_string(),
            changed: changed(before.as_ref(), &article),
            title: article.title.clone(),
            body: article.body.clone(),
            status: article.status,
            category: article.category.clone(),
            slug: article.slug.clone(),
        };
        self.store
            .save_article(&article, &revision, before.as_ref().map(|b| b.revision))
            .await?;
        tracing::info!(site = %article.site, article = %article.id, revision = article.revision, "article saved");
        self.article_changed(&article.site, &article.id).await;
        Ok(article)
    }

    /// The article's kept revisions, newest first.
    pub async fn article_revisions(
        &self,
        site: &SiteId,
        id: &ArticleId,
    ) -> ServiceResult<Vec<Revision>> {
        self.store.article(site, id).await?.ok_or(NO_ARTICLE)?;
        Ok(self.store.revisions(site, id).await?)
    }

    /// An admin deletes an article and its revisions.
    pub async fn delete_article(
        &self,
        admin: &AgentRecord,
        site: &SiteId,
        id: &ArticleId,
    ) -> ServiceResult<()> {
        require_admin(admin, "only admins can delete articles")?;
        if !self.store.delete_article(site, id).await? {
            return Err(NO_ARTICLE);
        }
        tracing::info!(site = %site, article = %id, by = %admin.id, "article deleted");
        self.article_changed(site, id).await;
        Ok(())
    }

    /// This node's index follows at once; the others when the event arrives.
    async fn article_changed(&self, site: &SiteId, id: &ArticleId) {
        if let Err(e) = self.library().refresh(self.store.as_ref(), site, id).await {
            tracing::warn!(error = %e, "search index refresh failed; the resync will retry");
        }
        self.publisher
            .publish(Event::ArticleChanged {
                site: site.clone(),
                article: id.clone(),
            })
            .await;
    }

    /// An admin creates (`id` absent) or renames/reorders a category.
    pub async fn save_category(
        &self,
        admin: &AgentRecord,
        site: &SiteId,
        id: Option<CategoryId>,
        name: &str,
        position: u32,
    ) -> ServiceResult<Vec<Category>> {
        require_admin(admin, "only admins can change categories")?;
        self.site(site).await?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_CATEGORY_CHARS {
            return Err(invalid("a category name has 1 to 80 characters"));
        }
        let id = id.unwrap_or_else(|| CategoryId(crate::secrets::new_id("cat")));
        let category = Category {
            id,
            site: site.clone(),
            name: name.to_owned(),
            position,
        };
        self.store.put_category(&category).await?;
        Ok(self.store.categories(site).await?)
    }

    /// An admin deletes a category; its articles show none.
    pub async fn delete_category(
        &self,
        admin: &AgentRecord,
        site: &SiteId,
        id: &CategoryId,
    ) -> ServiceResult<Vec<Category>> {
        require_admin(admin, "only admins can change categories")?;
        if !self.store.delete_category(site, id).await? {
            return Err(ServiceError::NotFound("no such category"));
        }
        Ok(self.store.categories(site).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_of_every_script() {
        assert_eq!(
            slug_of("How do I reset my password?"),
            "how-do-i-reset-my-password"
        );
        assert_eq!(slug_of("  Статус заказа  "), "статус-заказа");
        assert_eq!(slug_of("שלום עולם"), "שלום-עולם");
        assert_eq!(slug_of("!!!"), "");
        assert!(valid_slug("статус-заказа"));
        assert!(!valid_slug("Bad Slug"));
        assert!(!valid_slug("-x"));
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "fa-IR", "hy", "zh-Hant-TW"] {
            assert!(valid_lang(ok), "{ok}");
        }
        for bad in ["", "e", "EN", "en_US", "english", "en-"] {
            assert!(!valid_lang(bad), "{bad}");
        }
    }
}
