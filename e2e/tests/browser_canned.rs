//! Canned replies in a real browser, on both backends: a visitor who gave
//! the name "Ada" in the pre-chat form is assigned to Grace, who types
//! `/tha` in the reply box; the list (a listbox driven from the keyboard)
//! offers the shared `/thanks`, Enter puts its text in the reply box with
//! Ada's name, the case code and Grace's name filled in, and a second
//! Enter sends exactly that to the visitor's socket. A reply whose text is
//! an `<img onerror>` is then inserted with Tab and sent: it stays text in
//! the list, the reply box and the transcript, and no image is ever made.
//! The composer's knowledge search then inserts an article's help center
//! link and its plain text, and "Note" adds a private note the transcript
//! labels as such and the visitor never receives.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use e2e::browser_tests;
use e2e::http_get;
use e2e::kb;
use e2e::records::ada_chats;
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use shared::{Role, ServerFrame};

browser_tests!(an_agent_inserts_a_canned_reply_with_its_placeholders_filled);

const GRACE: &str = "grace@example.com";
const PASSWORD: &str = "grace-password-1";
const THANKS: &str = "Thanks {{visitor.name}}, your case is {{case.code}}. — {{agent.name}}";
const XSS: &str = "<img src=x onerror=alert(1)>";
const NOTE: &str = "Ada was promised a call back";
/// The English article `kb::seed` writes, and its text as inserted.
const REFUND: &str = "How do I get a refund?";
const REFUND_TEXT: &str =
    "Ask for a refund within 30 days.\n\n1. Open your order\n2. Press Refund\n\n\
    See our policy (https://example.com/policy).";
/// Notes calls to `alert` instead of showing them.
const TRAP_ALERT: &str = "window.alerted = false;
    window.alert = function () { window.alerted = true; };
    return true;";

/// Waits until the reply box holds `expected`.
async fn wait_value(reply: &Element, expected: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + ui::UI_WAIT;
    let mut last = None;
    while Instant::now() < deadline {
        last = reply.prop("value").await?;
        if last.as_deref() == Some(expected) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the reply box never held {expected:?}; last {last:?}")
}

/// Waits until the listbox is hidden (closed).
async fn wait_closed(console: &Client) -> anyhow::Result<()> {
    let deadline = Instant::now() + ui::UI_WAIT;
    while Instant::now() < deadline {
        let list = console.find(Locator::Css("[role='listbox']")).await?;
        if list.attr("hidden").await?.is_some() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the canned replies list stayed open")
}

/// The option the reply box names as active, and whether it is selected.
async fn active_option(console: &Client, reply: &Element) -> anyhow::Result<(String, String)> {
    let id = reply
        .attr("aria-activedescendant")
        .await?
        .context("no active option")?;
    let option = console.find(Locator::Id(&id)).await?;
    anyhow::ensure!(option.attr("role").await?.as_deref() == Some("option"));
    anyhow::ensure!(option.attr("aria-selected").await?.as_deref() == Some("true"));
    Ok((id, option.text().await?))
}

async fn images(console: &Client) -> anyhow::Result<usize> {
    Ok(console.find_all(Locator::Css("img")).await?.len())
}

async fn an_agent_inserts_a_canned_reply_with_its_placeholders_filled(
    stage: &Stage,
) -> anyhow::Result<()> {
    let mut admin = kb::admin(stage.relay.addr()).await?;
    admin.add_agent(GRACE, "Grace", PASSWORD).await?;
    kb::canned(&mut admin, "demo", "thanks", THANKS, true).await?;
    kb::canned(&mut admin, "demo", "xss", XSS, true).await?;
    kb::seed(&mut admin, "demo").await?;
    admin.close().await;
    let (mut visitor, _, conversation, _) = ada_chats(&stage.relay).await?;
    let case_code = stage
        .relay
        .store()
        .conversation(&conversation)
        .await?
        .and_then(|c| c.case_code)
        .context("no case code")?;

    let console = &stage.agent.client;
    ui::agent_signs_in(console, &stage.base(), GRACE, PASSWORD).await?;
    ui::conversations_show(console, "parcel 1182 is late").await?;
    let open = "//*[@aria-label='Conversations']//li[contains(., 'parcel 1182')]//button";
    console.find(Locator::XPath(open)).await?.click().await?;
    ui::wait_text(console, "[aria-label='Customer']", |t| t.contains("Ada")).await?;
    console.execute(TRAP_ALERT, vec![]).await?;
    let reply = ui::control(console, "Reply").await?;

    // "/" offers every reply; the arrows move; Escape closes.
    reply.send_keys("/").await?;
    ui::wait_text(console, "[role='listbox']", |t| {
        t.contains("/thanks") && t.contains("/xss")
    })
    .await?;
    let (first, _) = active_option(console, &reply).await?;
    reply.send_keys(&Key::Down.to_string()).await?;
    let (second, text) = active_option(console, &reply).await?;
    assert!(
        first != second && text.contains("/xss"),
        "{first} {second} {text}"
    );
    reply.send_keys(&Key::Escape.to_string()).await?;
    wait_closed(console).await?;

    reply.send_keys("tha").await?;
    wait_value(&reply, "/tha").await?;
    let list = ui::wait_text(console, "[role='listbox']", |t| t.contains("/thanks")).await?;
    assert!(!list.contains("/xss"), "only what starts with /tha: {list}");
    let (_, active) = active_option(console, &reply).await?;
    assert!(active.contains("/thanks"), "{active}");
    reply.send_keys(&Key::Enter.to_string()).await?;
    let filled = format!("Thanks Ada, your case is {case_code}. — Grace");
    wait_value(&reply, &filled).await?;
    wait_closed(console).await?;
    reply.send_keys(&Key::Enter.to_string()).await?;
    let sent = visitor
        .recv_until(|f| matches!(f, ServerFrame::Message(m) if m.author.role == Role::Agent))
        .await?;
    let ServerFrame::Message(message) = sent else {
        unreachable!()
    };
    assert_eq!(
        message.text, filled,
        "the visitor gets exactly the filled text"
    );
    wait_value(&reply, "").await?;

    // Markup in a reply stays text everywhere it is shown.
    reply.send_keys("/xs").await?;
    ui::wait_text(console, "[role='listbox']", |t| t.contains(XSS)).await?;
    reply.send_keys(&Key::Tab.to_string()).await?;
    wait_value(&reply, XSS).await?;
    assert_eq!(
        images(console).await?,
        0,
        "an image in the list or the reply box"
    );
    reply.send_keys(&Key::Enter.to_string()).await?;
    ui::wait_text(console, "[aria-label='Transcript']", |t| t.contains(XSS)).await?;
    let sent = visitor
        .recv_until(|f| matches!(f, ServerFrame::Message(m) if m.author.role == Role::Agent))
        .await?;
    assert!(matches!(sent, ServerFrame::Message(m) if m.text == XSS));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(images(console).await?, 0, "an image in the transcript");
    let alerted = console.execute("return window.alerted;", vec![]).await?;
    assert_eq!(alerted, serde_json::json!(false), "a script ran");

    // The knowledge search inserts an article's help center link, or its text.
    ui::click(console, "Search knowledge base").await?;
    ui::type_into(console, "Search articles", "refund").await?;
    ui::click(console, "Find articles").await?;
    ui::wait_text(console, ".kb-hits", |t| t.contains(REFUND)).await?;
    let marked = console
        .find(Locator::Css(".kb-hits mark"))
        .await?
        .text()
        .await?;
    assert!(marked.to_lowercase().contains("refund"), "{marked}");
    ui::click(console, &format!("Insert link to {REFUND}")).await?;
    let origin = console.execute("return location.origin;", vec![]).await?;
    let origin = origin.as_str().context("no origin")?;
    let link = format!("{origin}/help/demo/en/how-do-i-get-a-refund");
    wait_value(&reply, &link).await?;
    let page = http_get::fetch(stage.relay.addr(), "/help/demo/en/how-do-i-get-a-refund").await?;
    assert!(
        page.status == 200 && page.body.contains(REFUND),
        "{}",
        page.status
    );
    reply.clear().await?;
    ui::click(console, &format!("Insert text of {REFUND}")).await?;
    wait_value(&reply, REFUND_TEXT).await?;
    reply.clear().await?;

    // "Note" turns the reply box into a private note, shown only to agents.
    ui::click(console, "Note").await?;
    ui::type_into(console, "Private note", NOTE).await?;
    ui::click(console, "Add note").await?;
    let note = "//*[@aria-label='Transcript']//li[contains(., 'only agents see this')]";
    let shown = console.find(Locator::XPath(note)).await;
    let shown = match shown {
        Ok(li) => li,
        Err(_) => {
            ui::wait_text(console, "[aria-label='Transcript']", |t| t.contains(NOTE)).await?;
            console.find(Locator::XPath(note)).await?
        }
    };
    assert!(shown.text().await?.contains(NOTE));
    visitor
        .visitor_say(&conversation, "m2", "thank you")
        .await?;
    let after = visitor.drain(Duration::from_millis(500)).await;
    assert!(
        !format!("{after:?}").contains(NOTE),
        "the visitor got the note: {after:?}"
    );
    Ok(())
}
