//! The knowledge base's store contract (`relay::store::knowledge`), run
//! against the embedded store and the Redis store alike: revisions that
//! refuse a stale save, slugs and translations unique per language,
//! categories, canned-reply shortcuts per scope, feedback counts, sites
//! kept apart, and all of it durable across a restart; and private notes,
//! which are timeline items of the `note` channel, read back on both.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

#[path = "knowledge_store/beyond_articles.rs"]
mod beyond_articles;
#[path = "knowledge_store/fixtures.rs"]
mod fixtures;

use beyond_articles::*;
use e2e::store_cases;
use e2e::store_subject::Subject;
use fixtures::*;
use shared::knowledge::ArticleStatus;

store_cases!(
    on_a_cluster_too:
    articles_are_read_by_id_and_by_slug,
    a_save_keeps_every_revision_newest_first,
    a_wrong_revision_is_refused_and_changes_nothing,
    slugs_are_unique_per_site_and_language,
    a_group_has_one_article_per_language,
    changing_a_slug_frees_the_old_one,
    deleting_an_article_frees_its_slug_and_language,
    categories_are_replaced_ordered_and_deleted,
    shortcuts_are_unique_per_scope_whatever_the_case,
    feedback_is_counted_per_article_day_and_kind,
    sites_are_kept_apart,
    the_knowledge_base_survives_reopening,
    private_notes_are_timeline_items_that_read_back,
);

async fn articles_are_read_by_id_and_by_slug(s: Subject) {
    let store = &*s.store;
    let a = article("kb_1", "en", "reset-password");
    save(store, &a, &["title", "body"]).await.unwrap();
    assert_eq!(
        store.article(&site(), &a.id).await.unwrap(),
        Some(a.clone())
    );
    let found = store
        .article_by_slug(&site(), "en", "reset-password")
        .await
        .unwrap();
    assert_eq!(found, Some(a.clone()));
    assert_eq!(by_slug(store, "fr", "reset-password").await, None);
    assert_eq!(
        store.article(&site(), &"kb_none".into()).await.unwrap(),
        None
    );
    assert_eq!(store.articles(&site()).await.unwrap(), vec![a]);
}

async fn a_save_keeps_every_revision_newest_first(s: Subject) {
    let store = &*s.store;
    let first = article("kb_1", "en", "refunds");
    save(store, &first, &["title", "body", "status", "slug"])
        .await
        .unwrap();
    let second = next(&first, |a| a.body = "Refunds take five days.".into());
    save(store, &second, &["body"]).await.unwrap();
    let third = next(&second, |a| a.status = ArticleStatus::Published);
    save(store, &third, &["status"]).await.unwrap();
    assert_eq!(
        store.article(&site(), &first.id).await.unwrap(),
        Some(third.clone())
    );
    let kept = store.revisions(&site(), &first.id).await.unwrap();
    let expected = [
        revision(&third, &["status"]),
        revision(&second, &["body"]),
        revision(&first, &["title", "body", "status", "slug"]),
    ];
    assert_eq!(kept, expected);
}

async fn a_wrong_revision_is_refused_and_changes_nothing(s: Subject) {
    let store = &*s.store;
    let first = article("kb_1", "en", "refunds");
    save(store, &first, &["title"]).await.unwrap();
    let second = next(&first, |a| a.title = "Refunds".into());
    save(store, &second, &["title"]).await.unwrap();
    let before = (
        s.redis_dump(),
        store.revisions(&site(), &first.id).await.unwrap(),
    );

    // An editor who started from revision 1 saves over revision 2.
    let stale = next(&first, |a| a.title = "Lost update".into());
    refused(save(store, &stale, &["title"]).await, "stale revision");
    // A new article claiming to replace one, an existing one claiming to be new.
    let fresh = article("kb_2", "en", "shipping");
    let rev = revision(&fresh, &[]);
    refused(
        store.save_article(&fresh, &rev, Some(1)).await,
        "stale revision",
    );
    let again = next(&second, |a| a.title = "Again".into());
    let rev = revision(&again, &[]);
    refused(
        store.save_article(&again, &rev, None).await,
        "stale revision",
    );

    assert_eq!(
        store.article(&site(), &first.id).await.unwrap(),
        Some(second)
    );
    assert_eq!(store.article(&site(), &fresh.id).await.unwrap(), None);
    let after = (
        s.redis_dump(),
        store.revisions(&site(), &first.id).await.unwrap(),
    );
    assert_eq!(before, after);
}

async fn slugs_are_unique_per_site_and_language(s: Subject) {
    let store = &*s.store;
    save(store, &article("kb_1", "en", "refunds"), &[])
        .await
        .unwrap();
    refused(
        save(store, &article("kb_2", "en", "refunds"), &[]).await,
        "slug taken",
    );
    assert_eq!(store.article(&site(), &"kb_2".into()).await.unwrap(), None);
    save(store, &article("kb_3", "fr", "refunds"), &[])
        .await
        .unwrap();
    assert_eq!(
        by_slug(store, "en", "refunds").await.as_deref(),
        Some("kb_1")
    );
    assert_eq!(
        by_slug(store, "fr", "refunds").await.as_deref(),
        Some("kb_3")
    );
    // Saving an article again under its own slug is no conflict.
    let kb1 = store
        .article(&site(), &"kb_1".into())
        .await
        .unwrap()
        .unwrap();
    save(store, &next(&kb1, |a| a.title = "New".into()), &["title"])
        .await
        .unwrap();
}

async fn a_group_has_one_article_per_language(s: Subject) {
    let store = &*s.store;
    let en = article("kb_en", "en", "refunds");
    save(store, &en, &[]).await.unwrap();
    let mut fr = article("kb_fr", "fr", "remboursements");
    fr.group = en.id.clone();
    save(store, &fr, &[]).await.unwrap();
    let mut other_en = article("kb_en2", "en", "refunds-again");
    other_en.group = en.id.clone();
    refused(save(store, &other_en, &[]).await, "translation exists");
    assert_eq!(store.article(&site(), &other_en.id).await.unwrap(), None);
    assert_eq!(by_slug(store, "en", "refunds-again").await, None);
    let group = store.translations(&site(), &en.id).await.unwrap();
    assert_eq!(ids(group), ["kb_en", "kb_fr"]);
    save(store, &article("kb_lone", "en", "lone"), &[])
        .await
        .unwrap();
    let lone = store
        .translations(&site(), &"kb_lone".into())
        .await
        .unwrap();
    assert_eq!(ids(lone), ["kb_lone"]);
}

async fn changing_a_slug_frees_the_old_one(s: Subject) {
    let store = &*s.store;
    let first = article("kb_1", "en", "refunds");
    save(store, &first, &[]).await.unwrap();
    let renamed = next(&first, |a| a.slug = "money-back".into());
    save(store, &renamed, &["slug"]).await.unwrap();
    assert_eq!(by_slug(store, "en", "refunds").await, None);
    assert_eq!(
        by_slug(store, "en", "money-back").await.as_deref(),
        Some("kb_1")
    );
    save(store, &article("kb_2", "en", "refunds"), &[])
        .await
        .unwrap();
    assert_eq!(
        by_slug(store, "en", "refunds").await.as_deref(),
        Some("kb_2")
    );
    // Moving to another language frees the old one in its group as well.
    let french = next(&renamed, |a| a.lang = "fr".into());
    save(store, &french, &["lang"]).await.unwrap();
    assert_eq!(by_slug(store, "en", "money-back").await, None);
    let mut english = article("kb_3", "en", "money-back");
    english.group = first.id.clone();
    save(store, &english, &[]).await.unwrap();
    let group = store.translations(&site(), &first.id).await.unwrap();
    assert_eq!(ids(group), ["kb_1", "kb_3"]);
}

async fn deleting_an_article_frees_its_slug_and_language(s: Subject) {
    let store = &*s.store;
    let en = article("kb_en", "en", "refunds");
    save(store, &en, &[]).await.unwrap();
    save(store, &next(&en, |a| a.title = "x".into()), &["title"])
        .await
        .unwrap();
    let mut fr = article("kb_fr", "fr", "remboursements");
    fr.group = en.id.clone();
    save(store, &fr, &[]).await.unwrap();

    assert!(store.delete_article(&site(), &fr.id).await.unwrap());
    assert!(!store.delete_article(&site(), &fr.id).await.unwrap());
    assert_eq!(store.article(&site(), &fr.id).await.unwrap(), None);
    assert_eq!(store.revisions(&site(), &fr.id).await.unwrap(), []);
    assert_eq!(by_slug(store, "fr", "remboursements").await, None);
    assert_eq!(
        ids(store.translations(&site(), &en.id).await.unwrap()),
        ["kb_en"]
    );
    let mut again = article("kb_fr2", "fr", "remboursements");
    again.group = en.id.clone();
    save(store, &again, &[]).await.unwrap();
    // The same id can start over at revision 1.
    assert!(store.delete_article(&site(), &en.id).await.unwrap());
    save(store, &en, &[]).await.unwrap();
    assert_eq!(store.revisions(&site(), &en.id).await.unwrap().len(), 1);
    assert_eq!(
        ids(store.articles(&site()).await.unwrap()),
        ["kb_en", "kb_fr2"]
    );
}
