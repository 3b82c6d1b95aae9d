//! The pages a browser loads, checked over HTTP: the widget page is only
//! served for a parent origin on the site's list and forbids framing
//! elsewhere; the demo page follows its language; embed.js is served small.

use e2e::http_get::{fetch as fetch_full, get};
use e2e::relay_harness::{Backend, TestRelay};

/// Status and body of `GET path` on the relay.
async fn fetch(relay: &TestRelay, path: &str) -> anyhow::Result<(u16, String)> {
    get(relay.addr(), path).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_page_is_framed_only_by_allowed_origins() -> anyhow::Result<()> {
    let relay = TestRelay::start(Backend::Embedded).await?;
    let own = format!("http://127.0.0.1:{}", relay.addr().port());
    let (status, body) = fetch(&relay, &format!("/widget?site=demo&lang=he&parent={own}")).await?;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<html lang=\"he\" dir=\"rtl\">"), "{body}");
    assert!(body.contains("/widget/boot.js"));
    for bad in ["https://evil.example", "", "null"] {
        let (status, _) = fetch(&relay, &format!("/widget?site=demo&parent={bad}")).await?;
        assert_eq!(status, 403, "parent {bad:?}");
    }
    assert_eq!(fetch(&relay, "/widget?site=nope&parent=x").await?.0, 404);
    let (_, injected) = fetch(
        &relay,
        &format!("/widget?site=demo&lang=%22%3E%3Cscript%3E&parent={own}"),
    )
    .await?;
    assert!(!injected.contains("<script>"), "{injected}");
    relay.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_page_sends_frame_ancestors_from_the_allowlist() -> anyhow::Result<()> {
    let relay = TestRelay::start(Backend::Embedded).await?;
    let own = format!("http://127.0.0.1:{}", relay.addr().port());
    let widget = fetch_full(relay.addr(), &format!("/widget?site=demo&parent={own}")).await?;
    let csp = widget.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains(&format!("frame-ancestors 'self' {own}")),
        "{csp}"
    );
    assert!(!csp.contains('*'), "{csp}");
    let console = fetch_full(relay.addr(), "/console").await?;
    let csp = console
        .header("content-security-policy")
        .unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    relay.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_and_embed_are_served() -> anyhow::Result<()> {
    let relay = TestRelay::start(Backend::Embedded).await?;
    let (status, demo) = fetch(&relay, "/demo").await?;
    assert_eq!(status, 200);
    assert!(demo.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(demo.contains("<script src=\"/embed.js\" data-site=\"demo\" async></script>"));
    let (_, hebrew) = fetch(&relay, "/demo?lang=he").await?;
    assert!(hebrew.contains("<html lang=\"he\" dir=\"rtl\">"));
    let (status, embed) = fetch(&relay, "/embed.js").await?;
    assert_eq!(status, 200);
    assert!(embed.contains("window.Switchboard"));
    relay.stop().await;
    Ok(())
}
