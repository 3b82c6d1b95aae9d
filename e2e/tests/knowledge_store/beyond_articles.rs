//! The knowledge-store cases beyond one article's life: categories,
//! canned replies, feedback counts, sites kept apart, everything read
//! back the same after a restart, and private notes on the timeline.

use std::collections::BTreeMap;

use e2e::records::timeline_item;
use e2e::store_subject::Subject;
use relay::store::knowledge::FeedbackCount;
use relay::store::Store;
use shared::contacts::{Channel, Contact};
use shared::knowledge::{Category, Feedback};
use shared::{ArticleId, SiteId};

use crate::fixtures::*;

pub(crate) async fn categories_are_replaced_ordered_and_deleted(s: Subject) {
    let store = &*s.store;
    for c in [
        category("c1", "Billing", 2),
        category("c2", "Account", 2),
        category("c3", "Start", 1),
    ] {
        store.put_category(&c).await.unwrap();
    }
    store
        .put_category(&category("c3", "Getting started", 3))
        .await
        .unwrap();
    let names = |list: Vec<Category>| list.into_iter().map(|c| c.name).collect::<Vec<_>>();
    let found = store.categories(&site()).await.unwrap();
    assert_eq!(names(found), ["Account", "Billing", "Getting started"]);
    assert!(store.delete_category(&site(), &"c1".into()).await.unwrap());
    assert!(!store.delete_category(&site(), &"c1".into()).await.unwrap());
    let found = store.categories(&site()).await.unwrap();
    assert_eq!(
        found,
        [
            category("c2", "Account", 2),
            category("c3", "Getting started", 3)
        ]
    );
}

pub(crate) async fn shortcuts_are_unique_per_scope_whatever_the_case(s: Subject) {
    let store = &*s.store;
    store
        .put_canned_reply(&reply("r1", "refund", None))
        .await
        .unwrap();
    store
        .put_canned_reply(&reply("r2", "Refund", Some("a_1")))
        .await
        .unwrap();
    store
        .put_canned_reply(&reply("r3", "refund", Some("a_2")))
        .await
        .unwrap();
    refused(
        store.put_canned_reply(&reply("r4", "REFUND", None)).await,
        "shortcut taken",
    );
    refused(
        store
            .put_canned_reply(&reply("r5", "refund", Some("a_1")))
            .await,
        "shortcut taken",
    );
    // Replacing a reply under its own shortcut, in another case, is fine.
    store
        .put_canned_reply(&reply("r1", "Refund", None))
        .await
        .unwrap();
    let expected = pairs(&[("r1", "Refund"), ("r2", "Refund"), ("r3", "refund")]);
    assert_eq!(shortcuts(store).await, expected);
    // A rename frees the old shortcut; so does a delete.
    store
        .put_canned_reply(&reply("r1", "money-back", None))
        .await
        .unwrap();
    store
        .put_canned_reply(&reply("r4", "refund", None))
        .await
        .unwrap();
    assert!(store
        .delete_canned_reply(&site(), &"r2".into())
        .await
        .unwrap());
    assert!(!store
        .delete_canned_reply(&site(), &"r2".into())
        .await
        .unwrap());
    store
        .put_canned_reply(&reply("r5", "REFUND", Some("a_1")))
        .await
        .unwrap();
    let expected = [
        ("r1", "money-back"),
        ("r3", "refund"),
        ("r4", "refund"),
        ("r5", "REFUND"),
    ];
    assert_eq!(shortcuts(store).await, pairs(&expected));
    let mine = store.canned_replies(&site()).await.unwrap();
    assert_eq!(
        mine.iter().find(|r| r.id.as_str() == "r5"),
        Some(&reply("r5", "REFUND", Some("a_1")))
    );
}

pub(crate) async fn feedback_is_counted_per_article_day_and_kind(s: Subject) {
    let store = &*s.store;
    let (kb1, kb2): (ArticleId, ArticleId) = ("kb_1".into(), "kb_2".into());
    let votes = [
        (&kb1, Feedback::Answered, T0),
        (&kb1, Feedback::Answered, T0 + 1),
        (&kb1, Feedback::NeedHelp, T0 + 2),
        (&kb1, Feedback::Answered, T0 + DAY),
        (&kb2, Feedback::NeedHelp, T0),
    ];
    for (article, feedback, at_ms) in votes {
        store
            .record_feedback(&site(), article, feedback, at_ms)
            .await
            .unwrap();
    }
    let day = T0 / DAY;
    let count = |article: &ArticleId, day, feedback, count| FeedbackCount {
        article: article.clone(),
        day,
        feedback,
        count,
    };
    let expected = [
        count(&kb1, day, Feedback::Answered, 2),
        count(&kb1, day, Feedback::NeedHelp, 1),
        count(&kb1, day + 1, Feedback::Answered, 1),
        count(&kb2, day, Feedback::NeedHelp, 1),
    ];
    assert_eq!(store.feedback_counts(&site()).await.unwrap(), expected);
}

pub(crate) async fn sites_are_kept_apart(s: Subject) {
    let store = &*s.store;
    let other = SiteId::from("other");
    let here = article("kb_1", "en", "refunds");
    let there = article_on("other", "kb_2", "en", "refunds");
    save(store, &here, &[]).await.unwrap();
    save(store, &there, &[]).await.unwrap();
    let found = store
        .article_by_slug(&other, "en", "refunds")
        .await
        .unwrap();
    assert_eq!(found, Some(there.clone()));
    assert_eq!(
        by_slug(store, "en", "refunds").await.as_deref(),
        Some("kb_1")
    );
    assert_eq!(store.article(&other, &here.id).await.unwrap(), None);
    assert_eq!(store.revisions(&other, &here.id).await.unwrap(), []);
    assert_eq!(store.articles(&other).await.unwrap(), [there]);
    assert!(!store.delete_article(&other, &here.id).await.unwrap());
    store
        .put_category(&category("c1", "Billing", 1))
        .await
        .unwrap();
    store
        .put_canned_reply(&reply("r1", "refund", None))
        .await
        .unwrap();
    let mut elsewhere = reply("r2", "refund", None);
    elsewhere.site = other.clone();
    store.put_canned_reply(&elsewhere).await.unwrap();
    store
        .record_feedback(&site(), &here.id, Feedback::Answered, T0)
        .await
        .unwrap();
    assert_eq!(store.categories(&other).await.unwrap(), []);
    assert_eq!(store.canned_replies(&other).await.unwrap(), [elsewhere]);
    assert_eq!(store.feedback_counts(&other).await.unwrap(), []);
    assert!(!store.delete_category(&other, &"c1".into()).await.unwrap());
    assert!(!store
        .delete_canned_reply(&other, &"r1".into())
        .await
        .unwrap());
    assert_eq!(shortcuts(store).await, pairs(&[("r1", "refund")]));
}

/// Everything the store holds for the demo site, read back.
pub(crate) async fn snapshot(store: &dyn Store) -> String {
    let mut out = format!("{:?}", ids(store.articles(&site()).await.unwrap()));
    for id in ["kb_en", "kb_fr"] {
        let id = ArticleId::from(id);
        out += &format!("{:?}", store.article(&site(), &id).await.unwrap());
        out += &format!("{:?}", store.revisions(&site(), &id).await.unwrap());
    }
    out += &format!("{:?}", by_slug(store, "fr", "remboursements").await);
    out += &format!(
        "{:?}",
        ids(store.translations(&site(), &"kb_en".into()).await.unwrap())
    );
    out += &format!("{:?}", store.categories(&site()).await.unwrap());
    out += &format!("{:?}", store.canned_replies(&site()).await.unwrap());
    out + &format!("{:?}", store.feedback_counts(&site()).await.unwrap())
}

pub(crate) async fn the_knowledge_base_survives_reopening(s: Subject) {
    let en = article("kb_en", "en", "refunds");
    let mut fr = article("kb_fr", "fr", "remboursements");
    fr.group = en.id.clone();
    {
        let store = &*s.store;
        save(store, &en, &[]).await.unwrap();
        save(
            store,
            &next(&en, |a| a.slug = "money-back".into()),
            &["slug"],
        )
        .await
        .unwrap();
        save(store, &fr, &[]).await.unwrap();
        store
            .put_category(&category("c1", "Billing", 1))
            .await
            .unwrap();
        store
            .put_canned_reply(&reply("r1", "refund", Some("a_1")))
            .await
            .unwrap();
        store
            .record_feedback(&site(), &en.id, Feedback::NeedHelp, T0)
            .await
            .unwrap();
    }
    let before = snapshot(&*s.store).await;
    let s = s.reopen().await;
    let store = &*s.store;
    assert_eq!(snapshot(store).await, before);
    // The indexes came back too: the old slug is free, the new one held.
    assert_eq!(
        by_slug(store, "en", "money-back").await.as_deref(),
        Some("kb_en")
    );
    save(store, &article("kb_2", "en", "refunds"), &[])
        .await
        .unwrap();
    let mut twin = article("kb_3", "fr", "autre");
    twin.group = en.id.clone();
    refused(save(store, &twin, &[]).await, "translation exists");
    refused(
        store
            .put_canned_reply(&reply("r2", "Refund", Some("a_1")))
            .await,
        "shortcut taken",
    );
}

/// Private notes are no part of the knowledge store: they are timeline
/// items of the `note` channel, and both stores keep that channel.
pub(crate) async fn private_notes_are_timeline_items_that_read_back(s: Subject) {
    let store = &*s.store;
    let contact = Contact {
        id: "ct_ada".into(),
        site: site(),
        name: Some("Ada".into()),
        identities: Vec::new(),
        attributes: BTreeMap::new(),
        created_at_ms: T0,
    };
    store.create_contact(&contact).await.unwrap();
    let mut note = timeline_item("n_1", Channel::Note, T0 + 1, "Refunded by hand");
    note.agent = Some("Grace".into());
    store.record(&site(), &contact.id, &note).await.unwrap();
    let s = s.reopen().await;
    let timeline = s.store.timeline(&contact.id, None, 10).await.unwrap();
    assert_eq!(timeline, [note]);
}
