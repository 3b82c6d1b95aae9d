//! The admins' knowledge base panel in a real browser, on both backends:
//! the admin writes an article in Markdown, previews it (bold text becomes
//! a `<strong>`, a `<script>` becomes no element and never runs) and
//! publishes it; a socket client then finds it with `kb_search`, a visitor
//! too, and the help center serves it at its address. The revision history
//! shows the save, and a later save from a stale revision (someone else
//! saved in between) is refused and told in the editor.

use std::time::Duration;

use anyhow::{bail, Context};
use e2e::browser_tests;
use e2e::client::Client;
use e2e::http_get;
use e2e::kb;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::Locator;
use shared::{AgentFrame, ServerFrame, VisitorFrame};

browser_tests!(an_admin_writes_previews_and_publishes_an_article);

const TITLE: &str = "Returning a damaged parcel";
const SLUG: &str = "returning-a-damaged-parcel";
const BODY: &str = "Send it back **within fourteen days**.\n\n\
    <script>window.pwned = true</script>\n\n- Pack it well\n- Print the label";

async fn an_admin_writes_previews_and_publishes_an_article(stage: &Stage) -> anyhow::Result<()> {
    let addr = stage.relay.addr();
    let console = &stage.agent.client;
    ui::agent_signs_in(console, &stage.base(), ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    ui::click(console, "Knowledge base").await?;
    ui::wait_text(console, "#kb-panel", |t| t.contains("No articles yet.")).await?;
    ui::click(console, "New article").await?;
    ui::type_into(console, "Title", TITLE).await?;
    ui::type_into(console, "Body (Markdown)", BODY).await?;
    ui::control(console, "Publication")
        .await?
        .select_by_label("Published")
        .await?;

    ui::click(console, "Preview").await?;
    let bold = ui::wait_text(console, ".kb-preview strong", |t| {
        t == "within fourteen days"
    })
    .await?;
    assert_eq!(bold, "within fourteen days");
    ui::wait_text(console, ".kb-preview", |t| t.contains("Print the label")).await?;
    let scripts = console.find_all(Locator::Css(".kb-preview script")).await?;
    assert!(scripts.is_empty(), "the preview made a script element");
    let ran = console
        .execute("return window.pwned === true;", vec![])
        .await?;
    assert_eq!(ran, serde_json::json!(false), "the preview ran a script");

    ui::click(console, "Save").await?;
    ui::wait_text(console, ".kb-editor", |t| t.contains("Saved as revision 1")).await?;
    ui::wait_text(console, ".kb-articles", |t| {
        t.contains(TITLE) && t.contains("Published") && t.contains("revision 1")
    })
    .await?;

    // Found from a socket, by an agent and by a visitor (published only).
    let mut admin = kb::admin(addr).await?;
    admin
        .send(&AgentFrame::KbSearch {
            site: "demo".into(),
            query: "damaged parcel".into(),
            lang: None,
        })
        .await?;
    let found = admin
        .recv_until(|f| matches!(f, ServerFrame::KbResults { .. } | ServerFrame::Error { .. }))
        .await?;
    let ServerFrame::KbResults { hits, .. } = found else {
        bail!("kb_search answered {found:?}");
    };
    let hit = hits
        .iter()
        .find(|h| h.title == TITLE)
        .context("the agent's search missed it")?;
    assert_eq!((hit.slug.as_str(), hit.lang.as_str()), (SLUG, "en"));
    let article = hit.article.clone();
    let mut visitor = Client::demo_visitor(addr).await?;
    visitor.visitor_hello(None, vec![]).await?;
    visitor
        .send(&VisitorFrame::KbSearch {
            query: "fourteen days".into(),
            lang: None,
        })
        .await?;
    let found = visitor
        .recv_until(|f| matches!(f, ServerFrame::KbResults { .. } | ServerFrame::Error { .. }))
        .await?;
    assert!(
        matches!(&found, ServerFrame::KbResults { hits, .. } if hits.iter().any(|h| h.article == article)),
        "the visitor's search missed it: {found:?}"
    );
    let page = http_get::fetch(addr, &format!("/help/demo/en/{SLUG}")).await?;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(TITLE) && page.body.contains("within fourteen days"));
    assert!(!page.body.contains("<script>window.pwned"), "{}", page.body);

    ui::click(console, &format!("History of {TITLE} (en)")).await?;
    ui::wait_text(console, ".kb-revisions", |t| t.contains("Revision 1,")).await?;

    // Someone else saves revision 2; the editor, still at 1, is refused.
    let mut other = kb::draft("demo", "en", TITLE, "Changed elsewhere.");
    other.id = Some(article);
    other.base_revision = Some(1);
    assert_eq!(kb::save(&mut admin, other).await?.revision, 2);
    let title = ui::control(console, "Title").await?;
    title.send_keys(" (updated)").await?;
    ui::click(console, "Save").await?;
    ui::wait_text(console, ".kb-editor [role='alert']", |t| {
        t.contains("someone changed this article")
    })
    .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let kept = title.prop("value").await?;
    assert_eq!(
        kept.as_deref(),
        Some(format!("{TITLE} (updated)").as_str()),
        "the admin's text is kept"
    );
    Ok(())
}
