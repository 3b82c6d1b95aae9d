//! [`KnowledgeStore`] for [`SqliteStore`]: articles and revisions,
//! categories, canned replies and feedback counts (tables of format 2,
//! see `schema`). Each write checks its rule and writes in one worker
//! call, so a refused write changes nothing.

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use shared::canned::CannedReply;
use shared::knowledge::{Article, Category, Feedback, Revision};
use shared::{ArticleId, CannedReplyId, CategoryId, SiteId};

use super::worker::sql;
use super::{body, from_json, from_sql, to_json, to_sql, SqliteStore};
use crate::store::knowledge::{feedback_day, FeedbackCount, KnowledgeStore};
use crate::store::{StoreError, StoreResult};

/// Every JSON `body` a query returns, decoded.
fn bodies<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    query: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<T>> {
    let mut statement = conn.prepare_cached(query).map_err(sql)?;
    let texts = statement
        .query_map(params, |r| r.get::<_, String>(0))
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    texts.iter().map(|t| from_json(t)).collect()
}

/// The id of the article holding `column = value` on the site, if any.
fn holder(
    conn: &Connection,
    site: &str,
    filter: &str,
    a: &str,
    b: &str,
) -> StoreResult<Option<String>> {
    conn.prepare_cached(&format!(
        "SELECT id FROM articles WHERE site = ?1 AND {filter}"
    ))
    .map_err(sql)?
    .query_row(params![site, a, b], |r| r.get(0))
    .optional()
    .map_err(sql)
}

fn save(
    conn: &Connection,
    article: &Article,
    revision: &Revision,
    replaces: Option<u32>,
) -> StoreResult<()> {
    let site = article.site.as_str();
    let id = article.id.as_str();
    let stored: Option<i64> = conn
        .prepare_cached("SELECT revision FROM articles WHERE site = ?1 AND id = ?2")
        .map_err(sql)?
        .query_row(params![site, id], |r| r.get(0))
        .optional()
        .map_err(sql)?;
    if stored.map(from_sql) != replaces.map(u64::from) {
        return Err(StoreError::Conflict("stale revision"));
    }
    let other = |found: Option<String>| found.is_some_and(|f| f != id);
    if other(holder(
        conn,
        site,
        "lang = ?2 AND slug = ?3",
        &article.lang,
        &article.slug,
    )?) {
        return Err(StoreError::Conflict("slug taken"));
    }
    if other(holder(
        conn,
        site,
        "grp = ?2 AND lang = ?3",
        article.group.as_str(),
        &article.lang,
    )?) {
        return Err(StoreError::Conflict("translation exists"));
    }
    conn.prepare_cached(
        "INSERT INTO articles (site, id, grp, lang, slug, revision, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (site, id) DO UPDATE SET grp = excluded.grp, lang = excluded.lang,
           slug = excluded.slug, revision = excluded.revision, body = excluded.body",
    )
    .map_err(sql)?
    .execute(params![
        site,
        id,
        article.group.as_str(),
        article.lang,
        article.slug,
        article.revision,
        to_json(article)?
    ])
    .map_err(sql)?;
    conn.prepare_cached(
        "INSERT INTO article_revisions (site, article, revision, body) VALUES (?1, ?2, ?3, ?4)",
    )
    .map_err(sql)?
    .execute(params![site, id, revision.revision, to_json(revision)?])
    .map_err(sql)?;
    Ok(())
}

/// The scope a canned reply's shortcut is unique in: shared, or its owner's.
fn scope(reply: &CannedReply) -> String {
    reply
        .owner
        .as_ref()
        .map_or_else(String::new, |owner| format!("agent:{owner}"))
}

fn put_canned(conn: &Connection, reply: &CannedReply) -> StoreResult<()> {
    let shortcut = reply.shortcut.to_lowercase();
    let scope = scope(reply);
    let taken: Option<String> = conn
        .prepare_cached(
            "SELECT id FROM canned_replies WHERE site = ?1 AND scope = ?2 AND shortcut = ?3",
        )
        .map_err(sql)?
        .query_row(params![reply.site.as_str(), scope, shortcut], |r| r.get(0))
        .optional()
        .map_err(sql)?;
    if taken.is_some_and(|t| t != reply.id.as_str()) {
        return Err(StoreError::Conflict("shortcut taken"));
    }
    conn.prepare_cached(
        "INSERT INTO canned_replies (site, id, scope, shortcut, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (site, id) DO UPDATE SET scope = excluded.scope,
           shortcut = excluded.shortcut, body = excluded.body",
    )
    .map_err(sql)?
    .execute(params![
        reply.site.as_str(),
        reply.id.as_str(),
        scope,
        shortcut,
        to_json(reply)?
    ])
    .map_err(sql)?;
    Ok(())
}

fn delete(conn: &Connection, query: &str, site: &str, id: &str) -> StoreResult<bool> {
    let n = conn
        .prepare_cached(query)
        .map_err(sql)?
        .execute(params![site, id])
        .map_err(sql)?;
    Ok(n > 0)
}

#[async_trait]
impl KnowledgeStore for SqliteStore {
    async fn save_article(
        &self,
        article: &Article,
        revision: &Revision,
        replaces: Option<u32>,
    ) -> StoreResult<()> {
        let (article, revision) = (article.clone(), revision.clone());
        self.call(move |conn| save(conn, &article, &revision, replaces))
            .await
    }

    async fn article(&self, site: &SiteId, id: &ArticleId) -> StoreResult<Option<Article>> {
        let (site, id) = (site.clone(), id.clone());
        self.call(move |conn| {
            body(
                conn,
                "SELECT body FROM articles WHERE site = ?1 AND id = ?2",
                params![site.as_str(), id.as_str()],
            )
        })
        .await
    }

    async fn article_by_slug(
        &self,
        site: &SiteId,
        lang: &str,
        slug: &str,
    ) -> StoreResult<Option<Article>> {
        let (site, lang, slug) = (site.clone(), lang.to_owned(), slug.to_owned());
        self.call(move |conn| {
            body(
                conn,
                "SELECT body FROM articles WHERE site = ?1 AND lang = ?2 AND slug = ?3",
                params![site.as_str(), lang, slug],
            )
        })
        .await
    }

    async fn translations(&self, site: &SiteId, group: &ArticleId) -> StoreResult<Vec<Article>> {
        let (site, group) = (site.clone(), group.clone());
        self.call(move |conn| {
            bodies(
                conn,
                "SELECT body FROM articles WHERE site = ?1 AND grp = ?2",
                params![site.as_str(), group.as_str()],
            )
        })
        .await
    }

    async fn articles(&self, site: &SiteId) -> StoreResult<Vec<Article>> {
        let site = site.clone();
        self.call(move |conn| {
            bodies(
                conn,
                "SELECT body FROM articles WHERE site = ?1",
                [site.as_str()],
            )
        })
        .await
    }

    async fn revisions(&self, site: &SiteId, id: &ArticleId) -> StoreResult<Vec<Revision>> {
        let (site, id) = (site.clone(), id.clone());
        self.call(move |conn| {
            bodies(
                conn,
                "SELECT body FROM article_revisions WHERE site = ?1 AND article = ?2
                 ORDER BY revision DESC",
                params![site.as_str(), id.as_str()],
            )
        })
        .await
    }

    async fn delete_article(&self, site: &SiteId, id: &ArticleId) -> StoreResult<bool> {
        let (site, id) = (site.clone(), id.clone());
        self.call(move |conn| {
            delete(
                conn,
                "DELETE FROM article_revisions WHERE site = ?1 AND article = ?2",
                site.as_str(),
                id.as_str(),
            )?;
            delete(
                conn,
                "DELETE FROM articles WHERE site = ?1 AND id = ?2",
                site.as_str(),
                id.as_str(),
            )
        })
        .await
    }

    async fn put_category(&self, category: &Category) -> StoreResult<()> {
        let category = category.clone();
        self.call(move |conn| {
            conn.prepare_cached(
                "INSERT INTO categories (site, id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (site, id) DO UPDATE SET body = excluded.body",
            )
            .map_err(sql)?
            .execute(params![
                category.site.as_str(),
                category.id.as_str(),
                to_json(&category)?
            ])
            .map_err(sql)?;
            Ok(())
        })
        .await
    }

    async fn categories(&self, site: &SiteId) -> StoreResult<Vec<Category>> {
        let site = site.clone();
        let mut found: Vec<Category> = self
            .call(move |conn| {
                bodies(
                    conn,
                    "SELECT body FROM categories WHERE site = ?1",
                    [site.as_str()],
                )
            })
            .await?;
        found.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        Ok(found)
    }

    async fn delete_category(&self, site: &SiteId, id: &CategoryId) -> StoreResult<bool> {
        let (site, id) = (site.clone(), id.clone());
        self.call(move |conn| {
            delete(
                conn,
                "DELETE FROM categories WHERE site = ?1 AND id = ?2",
                site.as_str(),
                id.as_str(),
            )
        })
        .await
    }

    async fn put_canned_reply(&self, reply: &CannedReply) -> StoreResult<()> {
        let reply = reply.clone();
        self.call(move |conn| put_canned(conn, &reply)).await
    }

    async fn canned_replies(&self, site: &SiteId) -> StoreResult<Vec<CannedReply>> {
        let site = site.clone();
        self.call(move |conn| {
            bodies(
                conn,
                "SELECT body FROM canned_replies WHERE site = ?1 ORDER BY shortcut, id",
                [site.as_str()],
            )
        })
        .await
    }

    async fn delete_canned_reply(&self, site: &SiteId, id: &CannedReplyId) -> StoreResult<bool> {
        let (site, id) = (site.clone(), id.clone());
        self.call(move |conn| {
            delete(
                conn,
                "DELETE FROM canned_replies WHERE site = ?1 AND id = ?2",
                site.as_str(),
                id.as_str(),
            )
        })
        .await
    }

    async fn record_feedback(
        &self,
        site: &SiteId,
        article: &ArticleId,
        feedback: Feedback,
        at_ms: u64,
    ) -> StoreResult<()> {
        let (site, article) = (site.clone(), article.clone());
        self.call(move |conn| {
            conn.prepare_cached(
                "INSERT INTO kb_feedback (site, article, day, feedback, count) VALUES (?1, ?2, ?3, ?4, 1)
                 ON CONFLICT (site, article, day, feedback) DO UPDATE SET count = count + 1",
            )
            .map_err(sql)?
            .execute(params![site.as_str(), article.as_str(), to_sql(feedback_day(at_ms)), feedback.as_str()])
            .map_err(sql)?;
            Ok(())
        })
        .await
    }

    async fn feedback_counts(&self, site: &SiteId) -> StoreResult<Vec<FeedbackCount>> {
        let site = site.clone();
        self.call(move |conn| {
            let mut statement = conn
                .prepare_cached(
                    "SELECT article, day, feedback, count FROM kb_feedback WHERE site = ?1
                     ORDER BY article, day, feedback",
                )
                .map_err(sql)?;
            let rows = statement
                .query_map([site.as_str()], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                })
                .map_err(sql)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sql)?;
            rows.into_iter()
                .map(|(article, day, feedback, count)| {
                    Ok(FeedbackCount {
                        article: ArticleId(article),
                        day: from_sql(day),
                        feedback: parse_feedback(&feedback)?,
                        count: from_sql(count),
                    })
                })
                .collect()
        })
        .await
    }
}

/// A stored feedback word back as the enum.
pub(crate) fn parse_feedback(word: &str) -> StoreResult<Feedback> {
    match word {
        "answered" => Ok(Feedback::Answered),
        "need_help" => Ok(Feedback::NeedHelp),
        other => Err(StoreError::Corrupt(format!("feedback {other:?}"))),
    }
}
