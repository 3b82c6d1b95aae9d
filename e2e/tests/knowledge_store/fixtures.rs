//! What the knowledge-store cases build and read: articles and their
//! revisions, canned replies and categories on the demo site, and short
//! readings of what a store holds.

use relay::store::{Store, StoreError};
use shared::canned::CannedReply;
use shared::knowledge::{Article, ArticleStatus, Category, Revision};
use shared::SiteId;

pub(crate) const T0: u64 = 1_700_000_000_000;
pub(crate) const DAY: u64 = 86_400_000;

pub(crate) fn site() -> SiteId {
    SiteId::from("demo")
}

/// The first revision of an article on `site`, its own translation group.
pub(crate) fn article_on(site: &str, id: &str, lang: &str, slug: &str) -> Article {
    Article {
        id: id.into(),
        site: site.into(),
        group: id.into(),
        lang: lang.into(),
        slug: slug.into(),
        title: format!("Title of {slug}"),
        body: format!("How to {slug}."),
        category: None,
        status: ArticleStatus::Draft,
        revision: 1,
        updated_at_ms: T0,
        updated_by: "a_1".into(),
    }
}

pub(crate) fn article(id: &str, lang: &str, slug: &str) -> Article {
    article_on("demo", id, lang, slug)
}

/// `a` as its next revision would store it, with `edit` applied.
pub(crate) fn next(a: &Article, edit: impl FnOnce(&mut Article)) -> Article {
    let mut next = a.clone();
    next.revision += 1;
    next.updated_at_ms += 1000;
    edit(&mut next);
    next
}

/// The revision kept beside `a`, recording `changed`.
pub(crate) fn revision(a: &Article, changed: &[&str]) -> Revision {
    Revision {
        revision: a.revision,
        at_ms: a.updated_at_ms,
        author: a.updated_by.clone(),
        changed: changed.iter().map(|c| c.to_string()).collect(),
        title: a.title.clone(),
        body: a.body.clone(),
        status: a.status,
        category: a.category.clone(),
        slug: a.slug.clone(),
    }
}

/// Saves `a` over the revision before it (none for revision 1).
pub(crate) async fn save(
    store: &dyn Store,
    a: &Article,
    changed: &[&str],
) -> Result<(), StoreError> {
    let replaces = (a.revision > 1).then(|| a.revision - 1);
    store.save_article(a, &revision(a, changed), replaces).await
}

pub(crate) fn refused(result: Result<(), StoreError>, why: &str) {
    match result {
        Err(StoreError::Conflict(found)) => assert_eq!(found, why),
        other => panic!("expected conflict {why:?}, got {other:?}"),
    }
}

pub(crate) async fn by_slug(store: &dyn Store, lang: &str, slug: &str) -> Option<String> {
    let found = store.article_by_slug(&site(), lang, slug).await.unwrap();
    found.map(|a| a.id.0)
}

pub(crate) fn ids(mut list: Vec<Article>) -> Vec<String> {
    list.sort_by(|a, b| a.id.cmp(&b.id));
    list.into_iter().map(|a| a.id.0).collect()
}

pub(crate) fn reply(id: &str, shortcut: &str, owner: Option<&str>) -> CannedReply {
    CannedReply {
        id: id.into(),
        site: site(),
        shortcut: shortcut.into(),
        text: format!("Text of {id}"),
        owner: owner.map(Into::into),
    }
}

pub(crate) fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

pub(crate) async fn shortcuts(store: &dyn Store) -> Vec<(String, String)> {
    let list = store.canned_replies(&site()).await.unwrap();
    list.into_iter().map(|r| (r.id.0, r.shortcut)).collect()
}

pub(crate) fn category(id: &str, name: &str, position: u32) -> Category {
    Category {
        id: id.into(),
        site: site(),
        name: name.into(),
        position,
    }
}
