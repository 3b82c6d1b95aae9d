//! The search quality the help center promises, on a small corpus in six
//! languages: ranking, typos, prefixes, stemming, letter normalisation,
//! sites and languages kept apart, hostile queries, replacing and removing.
#![allow(clippy::unwrap_used)]

use shared::knowledge::{SearchHit, MAX_HITS};
use shared::SiteId;

use super::{IndexedArticle, SearchIndex};

const SITE: &str = "s1";

fn article(site: &str, id: &str, lang: &str, title: &str, text: &str) -> IndexedArticle {
    IndexedArticle {
        site: SiteId::from(site),
        id: id.into(),
        lang: lang.into(),
        slug: id.into(),
        title: title.into(),
        text: text.into(),
    }
}

fn corpus() -> Vec<IndexedArticle> {
    vec![
        article(SITE, "reset", "en", "Reset your password",
            "Forgot it? Open the sign-in page and choose the link we email you. The link works for one hour."),
        article(SITE, "refunds", "en", "Refunds and returns",
            "You can ask for a refund within 30 days of delivery. Keep the receipt."),
        article(SITE, "invoice-copies", "en", "Invoice copies",
            "Download a copy from the account page under the billing tab at any time."),
        article(SITE, "billing", "en", "Billing questions",
            "Each month we send an invoice to the email address saved on your account."),
        article(SITE, "cafe", "en", "Our cafe", "The cafe on the ground floor opens at nine."),
        article(SITE, "careers", "en-GB", "Careers", "Send your résumé to the hiring team."),
        article(SITE, "cancel-order", "ru", "Как отменить заказ",
            "Заказ можно отменить в течение часа после оплаты."),
        article(SITE, "welcome", "he", "ברוכים הבאים", "שָׁלוֹם לכולם, כאן תמצאו עזרה."),
        article(SITE, "contact", "he", "צור קשר", "שלום, אפשר לכתוב לנו בכל שעה."),
        article(SITE, "guide", "fa-IR", "کتاب راهنما", "این کتاب برای علی نوشته شده است."),
        article(SITE, "useful", "ar", "سياسة الاسترداد", "هذا الكتـــاب مُفِيد جدا."),
        article(SITE, "returns-hy", "hy", "Վերադարձի քաղաքականություն",
            "Գումարի վերադարձը հնարավոր է 30 օրվա ընթացքում."),
        article("s2", "other-reset", "en", "Reset your password on the other site",
            "Only the other site's visitors may see this password article."),
    ]
}

fn index() -> SearchIndex {
    let index = SearchIndex::new().unwrap();
    index.upsert_many(&corpus()).unwrap();
    index
}

fn find(index: &SearchIndex, lang: Option<&str>, query: &str) -> Vec<String> {
    hits(index, SITE, lang, query)
        .into_iter()
        .map(|h| h.article.0)
        .collect()
}

fn hits(index: &SearchIndex, site: &str, lang: Option<&str>, query: &str) -> Vec<SearchHit> {
    index
        .search(&SiteId::from(site), lang, query, MAX_HITS)
        .unwrap()
}

fn marked(hit: &SearchHit) -> Vec<&str> {
    hit.snippet
        .iter()
        .filter(|s| s.hit)
        .map(|s| s.text.as_str())
        .collect()
}

#[test]
fn a_word_finds_its_article_and_is_marked_in_the_snippet() {
    let index = index();
    assert_eq!(index.len(), 13);
    let found = hits(&index, SITE, None, "refund");
    assert_eq!(found[0].article.0, "refunds");
    assert_eq!(found[0].title, "Refunds and returns");
    assert_eq!(found[0].slug, "refunds");
    assert_eq!(found[0].lang, "en");
    assert_eq!(marked(&found[0]), ["refund"]);
}

#[test]
fn a_title_match_outranks_a_body_only_match() {
    assert_eq!(
        find(&index(), None, "invoice"),
        ["invoice-copies", "billing"]
    );
}

#[test]
fn misspelt_words_are_found_and_marked() {
    let index = index();
    assert_eq!(find(&index, None, "pasword")[0], "reset");
    assert_eq!(find(&index, None, "refnud")[0], "refunds");
    assert_eq!(marked(&hits(&index, SITE, None, "refnud")[0]), ["refund"]);
    assert_eq!(find(&index, Some("ru"), "закза")[0], "cancel-order");
}

#[test]
fn the_last_word_matches_as_a_prefix_and_only_the_last() {
    let index = index();
    assert_eq!(find(&index, None, "passw"), ["reset"]);
    assert_eq!(find(&index, Some("en"), "rec"), ["refunds"]);
    assert_eq!(marked(&hits(&index, SITE, None, "rece")[0]), ["receipt"]);
    assert_eq!(find(&index, None, "passw refund"), ["refunds"]);
}

#[test]
fn russian_inflections_share_a_stem() {
    let index = index();
    assert_eq!(find(&index, Some("ru"), "заказа"), ["cancel-order"]);
    assert_eq!(find(&index, None, "заказа"), ["cancel-order"]);
    assert_eq!(find(&index, Some("ru"), "ЗАКАЗЫ"), ["cancel-order"]);
    assert_eq!(find(&index, None, "refunds")[0], "refunds");
}

#[test]
fn arabic_spellings_find_persian_ones() {
    let index = index();
    assert_eq!(find(&index, Some("fa"), "كتاب"), ["guide"]);
    assert_eq!(find(&index, Some("fa"), "علي"), ["guide"]);
    assert_eq!(find(&index, None, "کتاب"), ["guide"]);
}

#[test]
fn arabic_marks_and_tatweel_are_ignored() {
    let index = index();
    assert_eq!(find(&index, Some("ar"), "الكتاب"), ["useful"]);
    assert_eq!(find(&index, Some("ar"), "مفيد"), ["useful"]);
    assert_eq!(find(&index, Some("ar"), "مُفِيد"), ["useful"]);
}

#[test]
fn hebrew_niqqud_is_ignored_both_ways() {
    let index = index();
    for query in ["שלום", "שָׁלוֹם"] {
        let mut found = find(&index, Some("he"), query);
        found.sort();
        assert_eq!(found, ["contact", "welcome"], "{query}");
    }
    let welcome = hits(&index, SITE, Some("he"), "שלום");
    let pointed = welcome.iter().find(|h| h.article.0 == "welcome").unwrap();
    assert_eq!(marked(pointed), ["שָׁלוֹם"]);
}

#[test]
fn case_and_latin_accents_are_folded() {
    let index = index();
    assert_eq!(find(&index, None, "CAFÉ"), ["cafe"]);
    assert_eq!(find(&index, None, "resume"), ["careers"]);
    assert_eq!(find(&index, None, "RÉSUMÉ"), ["careers"]);
    assert_eq!(marked(&hits(&index, SITE, None, "resume")[0]), ["résumé"]);
}

#[test]
fn armenian_is_case_insensitive() {
    assert_eq!(find(&index(), Some("hy"), "ՎԵՐԱԴԱՐՁԻ"), ["returns-hy"]);
}

#[test]
fn a_site_never_sees_another_sites_articles() {
    let index = index();
    assert!(!find(&index, None, "password").contains(&"other-reset".to_owned()));
    let other: Vec<String> = hits(&index, "s2", None, "password")
        .into_iter()
        .map(|h| h.article.0)
        .collect();
    assert_eq!(other, ["other-reset"]);
    assert!(hits(&index, "nobody", None, "password").is_empty());
}

#[test]
fn the_language_filter_matches_the_primary_subtag() {
    let index = index();
    assert_eq!(find(&index, Some("fa-IR"), "کتاب"), ["guide"]);
    assert!(find(&index, Some("en"), "کتاب").is_empty());
    assert_eq!(find(&index, Some("en"), "resume"), ["careers"]);
    assert!(find(&index, Some("ru"), "refund").is_empty());
}

#[test]
fn a_query_without_words_finds_nothing() {
    let index = index();
    for query in ["", "   ", "?!", "*", "\"", "()", "— … ـــ"] {
        assert!(find(&index, None, query).is_empty(), "{query:?}");
    }
}

#[test]
fn hostile_queries_never_fail() {
    let index = index();
    let long = "password ".repeat(10_000);
    let blob = "ы".repeat(5_000);
    for query in [
        "title:foo AND (",
        "text:password OR",
        "password~2",
        "\"unclosed phrase",
        "[a TO z]",
        "+-&&||!(){}[]^\"~*?:\\/",
        "\u{0}\u{1}\u{202E}",
        "🙂🙂🙂",
        long.as_str(),
        blob.as_str(),
    ] {
        let found = index.search(&SiteId::from(SITE), None, query, 1_000);
        assert!(found.unwrap().len() <= MAX_HITS, "{query:.40}");
    }
    assert!(find(&index, None, "title:password").contains(&"reset".to_owned()));
}

#[test]
fn hits_are_capped() {
    let index = SearchIndex::new().unwrap();
    let many: Vec<IndexedArticle> = (0..25)
        .map(|i| {
            article(
                SITE,
                &format!("a{i}"),
                "en",
                &format!("Help {i}"),
                "help text",
            )
        })
        .collect();
    index.upsert_many(&many).unwrap();
    assert_eq!(
        index
            .search(&SiteId::from(SITE), None, "help", 100)
            .unwrap()
            .len(),
        MAX_HITS
    );
    assert_eq!(
        index
            .search(&SiteId::from(SITE), None, "help", 3)
            .unwrap()
            .len(),
        3
    );
    assert!(index
        .search(&SiteId::from(SITE), None, "help", 0)
        .unwrap()
        .is_empty());
}

#[test]
fn an_upsert_replaces_the_earlier_copy() {
    let index = index();
    let mut edited = corpus()[1].clone();
    edited.title = "Money back".into();
    edited.text = "Ask within 30 days.".into();
    index.upsert(&edited).unwrap();
    assert_eq!(index.len(), 13);
    assert!(find(&index, None, "refund").is_empty());
    assert_eq!(find(&index, None, "money"), ["refunds"]);
    // The same id on another site is another article.
    index
        .upsert(&IndexedArticle {
            site: "s2".into(),
            ..edited.clone()
        })
        .unwrap();
    assert_eq!(index.len(), 14);
    assert_eq!(find(&index, None, "money"), ["refunds"]);
}

#[test]
fn upsert_many_replaces_and_the_last_copy_wins() {
    let index = index();
    let first = article(SITE, "refunds", "en", "Old words", "stale");
    let last = article(SITE, "refunds", "en", "New words", "fresh");
    index.upsert_many(&[first, last]).unwrap();
    assert_eq!(index.len(), 13);
    assert!(find(&index, None, "stale").is_empty());
    assert_eq!(find(&index, None, "fresh"), ["refunds"]);
}

#[test]
fn remove_removes() {
    let index = index();
    index.remove(&SITE.into(), &"reset".into()).unwrap();
    assert_eq!(index.len(), 12);
    assert!(find(&index, None, "password").is_empty());
    index.remove(&SITE.into(), &"never-there".into()).unwrap();
    assert_eq!(index.len(), 12);
}

#[test]
fn a_title_only_match_shows_the_opening_of_the_text() {
    let found = hits(&index(), SITE, None, "careers");
    assert_eq!(found[0].snippet.len(), 1);
    assert_eq!(
        found[0].snippet[0].text,
        "Send your résumé to the hiring team."
    );
    assert!(!found[0].snippet[0].hit);
}

#[test]
fn the_index_is_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<SearchIndex>();
}
