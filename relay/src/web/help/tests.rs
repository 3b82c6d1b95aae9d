//! The help center's pure parts: addresses, the index's order, and that
//! the pages escape what admins and visitors wrote.

use shared::knowledge::{ArticleStatus, SearchHit, Span};

use super::*;

fn site() -> Site {
    Site {
        id: "demo".into(),
        name: "Shop <b>&</b>".into(),
        origins: vec![],
        languages: vec!["en".into(), "he".into()],
        identity_secret: None,
        previous_identity_secret: None,
        previous_secret_until_ms: None,
        api_key_hashes: vec![],
        prechat_form: false,
        hours: None,
        routing: Default::default(),
    }
}

fn article(id: &str, lang: &str, title: &str, category: Option<&str>) -> Article {
    Article {
        id: id.into(),
        site: "demo".into(),
        group: id.into(),
        lang: lang.into(),
        slug: id.into(),
        title: title.into(),
        body: String::new(),
        category: category.map(Into::into),
        status: ArticleStatus::Published,
        revision: 1,
        updated_at_ms: 0,
        updated_by: "a_1".into(),
    }
}

fn category(id: &str, name: &str, position: u32) -> Category {
    Category {
        id: id.into(),
        site: "demo".into(),
        name: name.into(),
        position,
    }
}

#[test]
fn article_addresses_encode_every_script() {
    assert_eq!(
        href(&"demo".into(), "ru", "статус"),
        "/help/demo/ru/%D1%81%D1%82%D0%B0%D1%82%D1%83%D1%81"
    );
    assert_eq!(
        href(&"demo".into(), "en", "a-b_c.d~e"),
        "/help/demo/en/a-b_c.d~e"
    );
    assert_eq!(segment("a/b?c#d"), "a%2Fb%3Fc%23d");
}

#[test]
fn categories_in_position_order_then_the_uncategorised() {
    let categories = [
        category("c2", "Billing", 2),
        category("c1", "Orders", 1),
        category("c3", "Empty", 0),
    ];
    let articles = [
        article("a", "en", "A", Some("c2")),
        article("b", "en", "B", None),
        article("c", "en", "C", Some("c1")),
        article("d", "en", "D", Some("gone")),
        article("e", "he", "E", Some("c1")),
    ];
    let sections = sections(&articles, &categories, "en");
    let names: Vec<Option<&str>> = sections.iter().map(|s| s.name).collect();
    assert_eq!(names, [Some("Orders"), Some("Billing"), None]);
    let ids: Vec<Vec<&str>> = sections
        .iter()
        .map(|s| s.articles.iter().map(|a| a.id.as_str()).collect())
        .collect();
    assert_eq!(ids, [vec!["c"], vec!["a"], vec!["b", "d"]]);
}

#[test]
fn site_languages_first_then_the_articles() {
    let articles = [
        article("a", "ru", "A", None),
        article("b", "en", "B", None),
        article("c", "fa", "C", None),
    ];
    assert_eq!(languages(&site(), &articles), ["en", "he", "fa", "ru"]);
}

#[test]
fn the_query_site_name_and_snippet_are_escaped() {
    let site = site();
    let frame = Frame {
        site: &site,
        lang: "he",
        query: "\"><script>",
    };
    let hits = [SearchHit {
        article: "a".into(),
        lang: "en".into(),
        slug: "a".into(),
        title: "<img src=x onerror=alert(1)>".into(),
        snippet: vec![
            Span {
                text: "<i>".into(),
                hit: false,
            },
            Span {
                text: "refund".into(),
                hit: true,
            },
        ],
    }];
    let page = render::results(frame, &hits);
    assert!(page.contains("<html lang=\"he\" dir=\"rtl\">"), "{page}");
    assert!(
        !page.contains("<script") && !page.contains("<img") && !page.contains("<i>"),
        "{page}"
    );
    assert!(
        page.contains("value=\"&quot;&gt;&lt;script&gt;\""),
        "{page}"
    );
    assert!(page.contains("Shop &lt;b&gt;&amp;&lt;/b&gt;"), "{page}");
    assert!(page.contains("&lt;i&gt;<mark>refund</mark>"), "{page}");
    assert!(render::results(frame, &[]).contains("לא נמצאו מאמרים מתאימים"));
}

#[test]
fn the_csp_allows_no_script_and_only_the_stylesheet() {
    assert!(
        CSP.starts_with("default-src 'none'; style-src 'sha256-"),
        "{}",
        *CSP
    );
    assert!(
        !CSP.contains("script-src") && !CSP.contains("unsafe"),
        "{}",
        *CSP
    );
}
