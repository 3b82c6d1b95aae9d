//! The knowledge base through the integrators' API, on both stores: search
//! in a language, read an article as blocks, escaped HTML, text and its
//! help center address (which really serves it), list the shared canned
//! replies; published articles and one site's key only.

use e2e::both_backends;
use e2e::http_get::send;
use e2e::kb;
use e2e::relay_harness::{Backend, TestRelay};
use relay::site_admin::new_api_key;
use relay::store::Site;
use serde_json::Value;
use shared::knowledge::Article;

both_backends!(
    search_finds_articles_in_the_language_asked_for,
    search_needs_a_query_and_the_sites_key,
    an_article_reads_as_blocks_html_text_and_its_page,
    drafts_and_unknown_articles_are_not_found,
    canned_replies_are_the_shared_ones_only,
);

/// A relay with the shared articles, `demo`'s key and another site's key.
struct Setup {
    relay: TestRelay,
    articles: Vec<Article>,
    key: String,
    other_key: String,
}

async fn setup(backend: Backend) -> anyhow::Result<Setup> {
    let relay = TestRelay::start(backend).await?;
    let mut admin = kb::admin(relay.addr()).await?;
    let articles = kb::seed(&mut admin, "demo").await?;
    let store = relay.store();
    let key = new_api_key(store.as_ref(), &"demo".into()).await?;
    let demo = store
        .site(&"demo".into())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo site"))?;
    store
        .put_site(&Site {
            id: "other".into(),
            name: "Other".into(),
            api_key_hashes: Vec::new(),
            ..demo
        })
        .await?;
    let other_key = new_api_key(store.as_ref(), &"other".into()).await?;
    Ok(Setup {
        relay,
        articles,
        key,
        other_key,
    })
}

impl Setup {
    fn article(&self, lang: &str) -> &Article {
        self.articles
            .iter()
            .find(|a| a.lang == lang)
            .unwrap_or_else(|| panic!("no {lang} article"))
    }

    /// The seeded draft's id (the seed saves it last).
    fn draft_id(&self) -> String {
        self.articles
            .last()
            .map(|a| a.id.to_string())
            .unwrap_or_default()
    }

    /// `GET path` with `key` (or none): status and JSON body.
    async fn get(&self, path: &str, key: Option<&str>) -> anyhow::Result<(u16, Value)> {
        let bearer = key.map(|k| format!("Bearer {k}"));
        let headers: Vec<(&str, &str)> = bearer
            .iter()
            .map(|b| ("Authorization", b.as_str()))
            .collect();
        let response = send(self.relay.addr(), "GET", path, &headers, None).await?;
        let body = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        Ok((response.status, body))
    }
}

/// The articles a search answer lists, as `(id, lang)`.
fn hits(answer: &Value) -> Vec<(String, String)> {
    answer["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| {
                    let field = |name: &str| h[name].as_str().unwrap_or_default().to_owned();
                    (field("article"), field("lang"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn encode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

async fn search_finds_articles_in_the_language_asked_for(backend: Backend) -> anyhow::Result<()> {
    let s = setup(backend).await?;
    let (status, answer) = s
        .get(
            "/api/v1/sites/demo/kb/search?q=refund&lang=en",
            Some(&s.key),
        )
        .await?;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["query"], "refund");
    let en = s.article("en");
    assert_eq!(
        hits(&answer).first(),
        Some(&(en.id.to_string(), "en".to_owned())),
        "{answer}"
    );
    let snippet = answer["hits"][0]["snippet"].to_string();
    assert!(snippet.contains("\"hit\":true"), "{answer}");

    let he = s.article("he");
    let path = format!("/api/v1/sites/demo/kb/search?q={}&lang=he", encode("החזר"));
    let (status, answer) = s.get(&path, Some(&s.key)).await?;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        hits(&answer).first(),
        Some(&(he.id.to_string(), "he".to_owned())),
        "{answer}"
    );
    assert_eq!(answer["hits"][0]["title"], he.title.as_str());

    // The draft is never found.
    let (_, answer) = s
        .get(
            "/api/v1/sites/demo/kb/search?q=unreleased+pricing",
            Some(&s.key),
        )
        .await?;
    let hidden = s.draft_id();
    assert!(
        hits(&answer).iter().all(|(id, _)| *id != hidden),
        "{answer}"
    );
    s.relay.stop().await;
    Ok(())
}

async fn search_needs_a_query_and_the_sites_key(backend: Backend) -> anyhow::Result<()> {
    let s = setup(backend).await?;
    let path = "/api/v1/sites/demo/kb/search?q=refund";
    let (status, error) = s
        .get("/api/v1/sites/demo/kb/search?lang=en", Some(&s.key))
        .await?;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"]["code"], "invalid_request", "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{error}"
    );
    for key in [Some(s.other_key.as_str()), None, Some("sbk_not_a_key")] {
        let (status, error) = s.get(path, key).await?;
        assert_eq!(status, 401, "{key:?}: {error}");
        assert_eq!(error["error"]["code"], "unauthorized", "{error}");
        assert!(error.get("hits").is_none());
    }
    // The other site's key reads its own (empty) knowledge base.
    let (status, theirs) = s
        .get("/api/v1/sites/other/kb/search?q=refund", Some(&s.other_key))
        .await?;
    assert_eq!(status, 200, "{theirs}");
    assert!(hits(&theirs).is_empty(), "{theirs}");
    s.relay.stop().await;
    Ok(())
}

async fn an_article_reads_as_blocks_html_text_and_its_page(backend: Backend) -> anyhow::Result<()> {
    let s = setup(backend).await?;
    let en = s.article("en");
    let path = format!("/api/v1/sites/demo/kb/articles/{}", en.id);
    let (status, article) = s.get(&path, Some(&s.key)).await?;
    assert_eq!(status, 200, "{article}");
    assert_eq!(article["title"], en.title.as_str());
    assert_eq!(article["lang"], "en");
    let blocks = article["blocks"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_default();
    assert!(blocks >= 2, "{article}");
    assert_eq!(article["blocks"][0]["type"], "paragraph", "{article}");
    let html = article["html"].as_str().unwrap_or_default();
    assert!(
        html.contains("<strong>refund</strong>") && html.contains("<ol>"),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    let text = article["text"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("Ask for a refund within 30 days."),
        "{text}"
    );
    assert!(!text.contains('*') && !text.contains('<'), "{text}");
    let translations = article["translations"].to_string();
    assert!(
        ["he", "fa", "ru"]
            .iter()
            .all(|l| translations.contains(&format!("\"lang\":\"{l}\""))),
        "{translations}"
    );

    // The address is the help center's page, and it serves the article.
    let url = article["url"].as_str().unwrap_or_default();
    let page = format!("/help/demo/en/{}", en.slug);
    assert!(url.starts_with("http") && url.ends_with(&page), "{url}");
    let served = send(s.relay.addr(), "GET", &page, &[], None).await?;
    assert_eq!(served.status, 200, "{}", served.body);
    assert!(
        served.body.contains(&format!("<h1>{}</h1>", en.title)),
        "{}",
        served.body
    );

    // Another site's key may not read it.
    assert_eq!(s.get(&path, Some(&s.other_key)).await?.0, 401);
    s.relay.stop().await;
    Ok(())
}

async fn drafts_and_unknown_articles_are_not_found(backend: Backend) -> anyhow::Result<()> {
    let s = setup(backend).await?;
    for id in [s.draft_id(), "art_nosuch".to_owned()] {
        let (status, error) = s
            .get(
                &format!("/api/v1/sites/demo/kb/articles/{id}"),
                Some(&s.key),
            )
            .await?;
        assert_eq!(status, 404, "{id}: {error}");
        assert_eq!(error["error"]["code"], "not_found", "{error}");
        assert!(!error.to_string().contains("Unreleased"), "{error}");
    }
    // A demo article asked for under the other site is not there.
    let en = s.article("en");
    let elsewhere = format!("/api/v1/sites/other/kb/articles/{}", en.id);
    assert_eq!(s.get(&elsewhere, Some(&s.other_key)).await?.0, 404);
    s.relay.stop().await;
    Ok(())
}

async fn canned_replies_are_the_shared_ones_only(backend: Backend) -> anyhow::Result<()> {
    let s = setup(backend).await?;
    let mut admin = kb::admin(s.relay.addr()).await?;
    kb::canned(
        &mut admin,
        "demo",
        "thanks",
        "Thank you for waiting, {{visitor.name}}!",
        true,
    )
    .await?;
    kb::canned(&mut admin, "demo", "mine", "My own private wording", false).await?;
    let (status, answer) = s
        .get("/api/v1/sites/demo/canned-replies", Some(&s.key))
        .await?;
    assert_eq!(status, 200, "{answer}");
    let replies = answer["replies"].as_array().cloned().unwrap_or_default();
    let shortcuts: Vec<&str> = replies
        .iter()
        .filter_map(|r| r["shortcut"].as_str())
        .collect();
    assert_eq!(shortcuts, ["thanks"], "{answer}");
    assert_eq!(
        replies[0]["text"],
        "Thank you for waiting, {{visitor.name}}!"
    );
    assert!(!answer.to_string().contains("private wording"), "{answer}");
    let (status, theirs) = s
        .get("/api/v1/sites/other/canned-replies", Some(&s.other_key))
        .await?;
    assert_eq!(status, 200, "{theirs}");
    assert_eq!(
        theirs["replies"].as_array().map(Vec::len),
        Some(0),
        "{theirs}"
    );
    assert_eq!(
        s.get("/api/v1/sites/demo/canned-replies", None).await?.0,
        401
    );
    s.relay.stop().await;
    Ok(())
}
