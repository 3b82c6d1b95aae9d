//! The public help center over plain HTTP, as a browser without JavaScript
//! (or a search engine) sees it: the index lists published articles only,
//! articles carry their language and direction and link their
//! translations, search stems, forgives typos and marks matches, nothing
//! an admin or a visitor wrote becomes markup, and no page may run a
//! script.

use e2e::http_get::{fetch, Response};
use e2e::kb;
use e2e::relay_harness::{Backend, TestRelay};
use shared::knowledge::Article;

/// `/help/demo/{lang}/{slug}`, the slug percent-encoded as links carry it.
fn page_of(article: &Article) -> String {
    format!(
        "/help/{}/{}/{}",
        article.site,
        article.lang,
        encode(&article.slug)
    )
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET path`, which must answer `status` with an HTML page.
async fn html(relay: &TestRelay, path: &str, status: u16) -> anyhow::Result<Response> {
    let response = fetch(relay.addr(), path).await?;
    assert_eq!(response.status, status, "{path}: {}", response.body);
    let kind = response.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("text/html"), "{path}: {kind}");
    Ok(response)
}

/// The page's markup: every `<...>` of it. Escaped text has no `<`, so
/// what an author wrote can only show up here if it became markup.
fn tags(body: &str) -> Vec<&str> {
    body.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_help_center_serves_published_articles_without_javascript() -> anyhow::Result<()> {
    let relay = TestRelay::start(Backend::Embedded).await?;
    let mut admin = kb::admin(relay.addr()).await?;
    let seeded = kb::seed(&mut admin, "demo").await?;
    let [en, he, fa, ru, hy, hidden] = <[Article; 6]>::try_from(seeded)
        .map_err(|s| anyhow::anyhow!("seed gave {} articles", s.len()))?;

    // The site's address leads to its first language.
    let home = fetch(relay.addr(), "/help/demo").await?;
    assert_eq!(home.status, 303, "{}", home.body);
    assert_eq!(home.header("location"), Some("/help/demo/en"));

    // The index in English: the English article, not the draft, not the
    // other languages' titles; links to the other languages.
    let index = html(&relay, "/help/demo/en", 200).await?;
    let body = &index.body;
    assert!(body.contains("<html lang=\"en\" dir=\"ltr\">"), "{body}");
    assert!(body.contains("Demo site"), "{body}");
    assert!(
        body.contains(&format!("href=\"{}\"", page_of(&en))),
        "{body}"
    );
    assert!(body.contains(&en.title), "{body}");
    assert!(
        !body.contains(&hidden.title) && !body.contains(&hidden.slug),
        "{body}"
    );
    assert!(!body.contains(&he.title), "{body}");
    assert!(
        body.contains("<form method=\"get\" action=\"/help/demo/en\""),
        "{body}"
    );
    assert!(
        body.contains("<input type=\"search\" id=\"q\" name=\"q\""),
        "{body}"
    );
    assert!(
        body.contains("<label for=\"q\">Search the help center</label>"),
        "{body}"
    );
    assert!(
        body.contains("href=\"/help/demo/he\" hreflang=\"he\""),
        "{body}"
    );

    // No script, and none allowed; cached briefly.
    let csp = index.header("content-security-policy").unwrap_or_default();
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(!csp.contains("script-src"), "{csp}");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("base-uri 'none'"),
        "{csp}"
    );
    assert!(!body.contains("<script"), "{body}");
    assert_eq!(index.header("cache-control"), Some("public, max-age=60"));

    // Hebrew: right to left, its own words, its translations linked.
    let hebrew = html(&relay, &page_of(&he), 200).await?.body;
    assert!(
        hebrew.contains("<html lang=\"he\" dir=\"rtl\">"),
        "{hebrew}"
    );
    assert!(
        hebrew.contains(&format!("<h1>{}</h1>", he.title)),
        "{hebrew}"
    );
    assert!(hebrew.contains("<strong>החזר</strong>"), "{hebrew}");
    assert!(hebrew.contains("חזרה לכל המאמרים"), "{hebrew}");
    for translation in [&en, &fa, &ru] {
        let link = format!(
            "<a href=\"{}\" hreflang=\"{lang}\" lang=\"{lang}\"",
            page_of(translation),
            lang = translation.lang
        );
        assert!(hebrew.contains(&link), "{link} in {hebrew}");
        assert!(hebrew.contains(&translation.title), "{hebrew}");
    }
    assert!(!hebrew.contains("<script"), "{hebrew}");

    let persian = html(&relay, &page_of(&fa), 200).await?.body;
    assert!(
        persian.contains("<html lang=\"fa\" dir=\"rtl\">"),
        "{persian}"
    );
    assert!(persian.contains(&fa.title), "{persian}");
    let russian = html(&relay, &page_of(&ru), 200).await?.body;
    assert!(
        russian.contains("<html lang=\"ru\" dir=\"ltr\">"),
        "{russian}"
    );
    assert!(russian.contains("Верните заказ"), "{russian}");
    let armenian = html(&relay, &page_of(&hy), 200).await?.body;
    assert!(
        armenian.contains("<html lang=\"hy\" dir=\"ltr\">"),
        "{armenian}"
    );

    // English links back to the Hebrew, and the index.
    let english = html(&relay, &page_of(&en), 200).await?.body;
    assert!(
        english.contains(&format!("href=\"{}\" hreflang=\"he\"", page_of(&he))),
        "{english}"
    );
    assert!(
        english.contains("<a href=\"/help/demo/en\">Back to all articles</a>"),
        "{english}"
    );
    assert!(english.contains("<time datetime=\""), "{english}");

    // Search: Russian stems, English forgives a typo; matches are marked.
    let found = html(
        &relay,
        &format!("/help/demo/ru?q={}", encode("заказа")),
        200,
    )
    .await?
    .body;
    assert!(
        found.contains(&format!("href=\"{}\"", page_of(&ru))),
        "{found}"
    );
    assert!(found.contains("<mark>заказ</mark>"), "{found}");
    assert!(found.contains("value=\"заказа\""), "{found}");
    let typo = html(&relay, "/help/demo/en?q=refnud", 200).await?.body;
    assert!(
        typo.contains(&format!("href=\"{}\"", page_of(&en))),
        "{typo}"
    );
    assert!(
        typo.contains(&en.title) && typo.contains("<mark>"),
        "{typo}"
    );
    let nothing = html(&relay, "/help/demo/en?q=zebra+xylophone+quartz", 200)
        .await?
        .body;
    assert!(nothing.contains("No articles match"), "{nothing}");
    assert!(!nothing.contains(&hidden.title), "{nothing}");

    // A hostile search is shown back as text.
    let echoed = html(&relay, "/help/demo/en?q=%22%3E%3Cscript%3E", 200)
        .await?
        .body;
    assert!(!echoed.contains("<script"), "{echoed}");
    assert!(
        echoed.contains("value=\"&quot;&gt;&lt;script&gt;\""),
        "{echoed}"
    );
    assert!(echoed.contains("“&quot;&gt;&lt;script&gt;”"), "{echoed}");

    // What has no page: a draft, an unknown site, slug or language.
    let draft = html(&relay, &page_of(&hidden), 404).await?;
    assert!(!draft.body.contains(&hidden.title), "{}", draft.body);
    assert!(draft.body.contains("Page not found"), "{}", draft.body);
    html(&relay, "/help/nosuchsite/en", 404).await?;
    html(&relay, "/help/nosuchsite", 404).await?;
    html(&relay, "/help/demo/en/no-such-article", 404).await?;
    html(&relay, &format!("/help/demo/en/{}", encode(&he.slug)), 404).await?;
    for bad in [
        "/help/demo/EN",
        "/help/demo/english",
        "/help/demo/e%3Cb%3E",
        "/help/bad%20site/en",
    ] {
        let refused = html(&relay, bad, 404).await?.body;
        assert!(
            !refused.contains("<b>") && !refused.contains("<script"),
            "{bad}: {refused}"
        );
    }

    relay.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_admins_write_never_becomes_markup() -> anyhow::Result<()> {
    let relay = TestRelay::start(Backend::Embedded).await?;
    let mut admin = kb::admin(relay.addr()).await?;
    let hostile = kb::save(
        &mut admin,
        kb::draft(
            "demo",
            "en",
            "Refund <script>alert(1)</script> guide",
            "<script>alert(1)</script>\n\nSee <img src=x onerror=alert(1)> and [x](javascript:alert(1)) \
             and [y](JaVa\tScRiPt:alert(1)) and ![z](javascript:alert(1)).\n\n\
             <a onclick=\"alert(1)\">click</a>",
        ),
    )
    .await?;

    for path in [
        page_of(&hostile),
        "/help/demo/en".to_owned(),
        "/help/demo/en?q=refund+guide".to_owned(),
    ] {
        let page = html(&relay, &path, 200).await?.body;
        assert!(
            page.contains("Refund &lt;script&gt;alert(1)&lt;/script&gt; guide"),
            "{path}: {page}"
        );
        assert!(!page.contains("<script"), "{path}: {page}");
        assert!(
            !page.to_ascii_lowercase().contains("javascript:"),
            "{path}: {page}"
        );
        for tag in tags(&page) {
            let tag = tag.to_ascii_lowercase();
            assert!(
                !tag.contains("onerror") && !tag.contains("onclick"),
                "{path}: <{tag}>"
            );
            assert!(
                !tag.starts_with("img") && !tag.starts_with("script"),
                "{path}: <{tag}>"
            );
        }
    }
    let article = html(&relay, &page_of(&hostile), 200).await?.body;
    assert!(
        article.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{article}"
    );
    relay.stop().await;
    Ok(())
}
