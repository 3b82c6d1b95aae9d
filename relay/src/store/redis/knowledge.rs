//! [`KnowledgeStore`] for the Redis store. Articles, revisions, categories
//! and canned replies are the same serde JSON the SQLite store keeps; the
//! indexes beside them (slugs, translation groups, shortcuts) are hashes.
//! Each write that checks something (saving or deleting an article,
//! putting or deleting a canned reply) is one script, so a refused write
//! changes nothing and racing nodes cannot both take a slug or shortcut.
//! Categories and feedback counts check nothing: plain `HSET`/`HINCRBY`.

use std::collections::HashMap;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use shared::canned::CannedReply;
use shared::knowledge::{Article, Category, Feedback, Revision};
use shared::{ArticleId, CannedReplyId, CategoryId, SiteId};

use super::knowledge_codec::{
    all_from_json, feedback_count, feedback_field, shortcut_field, slug_field, to_json,
};
use super::scripts::unexpected;
use super::{keys, RedisStore};
use crate::store::knowledge::{feedback_day, FeedbackCount, KnowledgeStore};
use crate::store::{StoreError, StoreResult};

/// `id` when it can be part of a key; `Conflict("invalid id")` when it
/// would alias another record's key (see `keys::addressable`).
fn key_part(id: &str) -> StoreResult<&str> {
    if keys::addressable(id) {
        Ok(id)
    } else {
        Err(StoreError::Conflict("invalid id"))
    }
}

impl RedisStore {
    /// The site's articles among `ids` that exist, in that order.
    async fn articles_by_id(&self, site: &str, ids: &[String]) -> StoreResult<Vec<Article>> {
        let ids: Vec<&String> = ids.iter().filter(|id| keys::addressable(id)).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut mget = redis::cmd("MGET");
        for id in ids {
            mget.arg(self.keys.kb_article(site, id));
        }
        let found: Vec<Option<String>> = self.query(&mget).await?;
        let found: Vec<String> = found.into_iter().flatten().collect();
        all_from_json("article", &found)
    }

    /// `HVALS` of a site's hash, decoded; nothing for a site no key can name.
    async fn values<T: DeserializeOwned>(
        &self,
        what: &str,
        site: &SiteId,
        key: impl Fn(&str) -> String,
    ) -> StoreResult<Vec<T>> {
        let Ok(site) = key_part(site.as_str()) else {
            return Ok(Vec::new());
        };
        let raws: Vec<String> = self.query(redis::cmd("HVALS").arg(key(site))).await?;
        all_from_json(what, &raws)
    }

    /// Runs a delete script that replies `ok` and `1` (deleted) or `0`.
    async fn deleted(&self, call: &redis::ScriptInvocation<'_>) -> StoreResult<bool> {
        match self.eval_ok(call).await?.first().map(String::as_str) {
            Some("1") => Ok(true),
            Some("0") => Ok(false),
            _ => Err(unexpected("ok")),
        }
    }
}

#[async_trait]
impl KnowledgeStore for RedisStore {
    async fn save_article(
        &self,
        article: &Article,
        revision: &Revision,
        replaces: Option<u32>,
    ) -> StoreResult<()> {
        let site = key_part(article.site.as_str())?;
        let id = key_part(article.id.as_str())?;
        let group = key_part(article.group.as_str())?;
        let mut call = self.scripts.save_article.prepare_invoke();
        call.key(self.keys.kb_article(site, id))
            .key(self.keys.kb_articles(site))
            .key(self.keys.kb_slugs(site))
            .key(self.keys.kb_group(site, group))
            .key(self.keys.kb_revisions(site, id))
            .arg(id)
            .arg(to_json("article", article)?)
            .arg(to_json("revision", revision)?)
            .arg(replaces.map(|r| r.to_string()).unwrap_or_default())
            .arg(slug_field(&article.lang, &article.slug))
            .arg(&article.lang)
            .arg(self.keys.kb_group(site, ""));
        self.eval_ok(&call).await.map(drop)
    }

    async fn article(&self, site: &SiteId, id: &ArticleId) -> StoreResult<Option<Article>> {
        if !keys::addressable(site.as_str()) {
            return Ok(None);
        }
        let found = self
            .articles_by_id(site.as_str(), std::slice::from_ref(&id.0))
            .await?;
        Ok(found.into_iter().next())
    }

    async fn article_by_slug(
        &self,
        site: &SiteId,
        lang: &str,
        slug: &str,
    ) -> StoreResult<Option<Article>> {
        if !keys::addressable(site.as_str()) {
            return Ok(None);
        }
        let slugs = self.keys.kb_slugs(site.as_str());
        let holder: Option<String> = self
            .query(redis::cmd("HGET").arg(slugs).arg(slug_field(lang, slug)))
            .await?;
        let Some(holder) = holder else {
            return Ok(None);
        };
        // A save between the two reads may have moved the slug on.
        let found = self.articles_by_id(site.as_str(), &[holder]).await?;
        Ok(found.into_iter().find(|a| a.lang == lang && a.slug == slug))
    }

    async fn translations(&self, site: &SiteId, group: &ArticleId) -> StoreResult<Vec<Article>> {
        if !keys::addressable(site.as_str()) || !keys::addressable(group.as_str()) {
            return Ok(Vec::new());
        }
        let key = self.keys.kb_group(site.as_str(), group.as_str());
        let ids: Vec<String> = self.query(redis::cmd("HVALS").arg(key)).await?;
        let found = self.articles_by_id(site.as_str(), &ids).await?;
        Ok(found.into_iter().filter(|a| &a.group == group).collect())
    }

    async fn articles(&self, site: &SiteId) -> StoreResult<Vec<Article>> {
        if !keys::addressable(site.as_str()) {
            return Ok(Vec::new());
        }
        let key = self.keys.kb_articles(site.as_str());
        let ids: Vec<String> = self.query(redis::cmd("SMEMBERS").arg(key)).await?;
        self.articles_by_id(site.as_str(), &ids).await
    }

    async fn revisions(&self, site: &SiteId, id: &ArticleId) -> StoreResult<Vec<Revision>> {
        let (Ok(site), Ok(id)) = (key_part(site.as_str()), key_part(id.as_str())) else {
            return Ok(Vec::new());
        };
        let key = self.keys.kb_revisions(site, id);
        let raws: Vec<String> = self
            .query(redis::cmd("LRANGE").arg(key).arg(0).arg(-1))
            .await?;
        all_from_json("revision", &raws)
    }

    async fn delete_article(&self, site: &SiteId, id: &ArticleId) -> StoreResult<bool> {
        let (Ok(site), Ok(id)) = (key_part(site.as_str()), key_part(id.as_str())) else {
            return Ok(false);
        };
        let mut call = self.scripts.delete_article.prepare_invoke();
        call.key(self.keys.kb_article(site, id))
            .key(self.keys.kb_articles(site))
            .key(self.keys.kb_slugs(site))
            .key(self.keys.kb_revisions(site, id))
            .arg(id)
            .arg(self.keys.kb_group(site, ""));
        self.deleted(&call).await
    }

    async fn put_category(&self, category: &Category) -> StoreResult<()> {
        let site = key_part(category.site.as_str())?;
        let key = self.keys.kb_categories(site);
        let json = to_json("category", category)?;
        self.write(
            redis::cmd("HSET")
                .arg(key)
                .arg(category.id.as_str())
                .arg(json),
        )
        .await
        .map(|_: i64| ())
    }

    async fn categories(&self, site: &SiteId) -> StoreResult<Vec<Category>> {
        let key = |site: &str| self.keys.kb_categories(site);
        let mut found: Vec<Category> = self.values("category", site, key).await?;
        found.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        Ok(found)
    }

    async fn delete_category(&self, site: &SiteId, id: &CategoryId) -> StoreResult<bool> {
        if !keys::addressable(site.as_str()) {
            return Ok(false);
        }
        let key = self.keys.kb_categories(site.as_str());
        let n: i64 = self
            .write(redis::cmd("HDEL").arg(key).arg(id.as_str()))
            .await?;
        Ok(n > 0)
    }

    async fn put_canned_reply(&self, reply: &CannedReply) -> StoreResult<()> {
        let site = key_part(reply.site.as_str())?;
        let mut call = self.scripts.put_canned_reply.prepare_invoke();
        call.key(self.keys.canned(site))
            .key(self.keys.canned_shortcuts(site))
            .key(self.keys.canned_held(site))
            .arg(reply.id.as_str())
            .arg(to_json("canned reply", reply)?)
            .arg(shortcut_field(reply));
        self.eval_ok(&call).await.map(drop)
    }

    async fn canned_replies(&self, site: &SiteId) -> StoreResult<Vec<CannedReply>> {
        let key = |site: &str| self.keys.canned(site);
        let found: Vec<CannedReply> = self.values("canned reply", site, key).await?;
        let mut keyed: Vec<(String, CannedReply)> = found
            .into_iter()
            .map(|r| (r.shortcut.to_lowercase(), r))
            .collect();
        keyed.sort_by(|(a, ra), (b, rb)| (a, &ra.id).cmp(&(b, &rb.id)));
        Ok(keyed.into_iter().map(|(_, r)| r).collect())
    }

    async fn delete_canned_reply(&self, site: &SiteId, id: &CannedReplyId) -> StoreResult<bool> {
        if !keys::addressable(site.as_str()) {
            return Ok(false);
        }
        let site = site.as_str();
        let mut call = self.scripts.delete_canned_reply.prepare_invoke();
        call.key(self.keys.canned(site))
            .key(self.keys.canned_shortcuts(site))
            .key(self.keys.canned_held(site))
            .arg(id.as_str());
        self.deleted(&call).await
    }

    async fn record_feedback(
        &self,
        site: &SiteId,
        article: &ArticleId,
        feedback: Feedback,
        at_ms: u64,
    ) -> StoreResult<()> {
        let site = key_part(site.as_str())?;
        let field = feedback_field(article.as_str(), feedback_day(at_ms), feedback);
        self.write(
            redis::cmd("HINCRBY")
                .arg(self.keys.kb_feedback(site))
                .arg(field)
                .arg(1),
        )
        .await
        .map(|_: i64| ())
    }

    async fn feedback_counts(&self, site: &SiteId) -> StoreResult<Vec<FeedbackCount>> {
        if !keys::addressable(site.as_str()) {
            return Ok(Vec::new());
        }
        let key = self.keys.kb_feedback(site.as_str());
        let fields: HashMap<String, u64> = self.query(redis::cmd("HGETALL").arg(key)).await?;
        let mut counts = fields
            .iter()
            .map(|(field, count)| feedback_count(field, *count))
            .collect::<StoreResult<Vec<_>>>()?;
        counts.sort_by(|a, b| {
            (&a.article, a.day, a.feedback.as_str()).cmp(&(&b.article, b.day, b.feedback.as_str()))
        });
        Ok(counts)
    }
}
