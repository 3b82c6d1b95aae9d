//! An admin's export and erasure of a customer in a real browser, on both
//! backends: a visitor chats after giving their name and email in the
//! pre-chat form; the admin opens the chat and, on the customer card,
//! exports the record (the console offers it as a download: the test sees
//! the file it offers, not the file), then erases it behind a confirm step
//! that names the person and starts on "Cancel". The card then says what
//! went, and the store holds no contact and only the erased marker where
//! the visitor's message was. One scenario, so both steps share one stage.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use e2e::browser_tests;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::{Client, Locator};
use serde_json::json;
use shared::contacts::IdentityKind;
use shared::privacy::ERASED_TEXT;

browser_tests!(an_admin_exports_then_erases_a_customer);

const ASKED: &str = "where is parcel 1182?";

/// Keeps the console's download from reaching the disk of the machine
/// running the tests: clicks on `a download` links are noted instead.
const NOTE_DOWNLOADS: &str = "window.offeredFiles = [];
    HTMLAnchorElement.prototype.click = function () {
        window.offeredFiles.push(this.download);
    };
    return true;";

/// Waits until the focused element's text is `text` (trimmed).
async fn wait_focus(client: &Client, text: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + ui::UI_WAIT;
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(focused) = client.active_element().await {
            last = focused.text().await.unwrap_or_default();
            if last.trim() == text.trim() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("focus never reached {text:?}; last on {last:?}")
}

async fn an_admin_exports_then_erases_a_customer(stage: &Stage) -> anyhow::Result<()> {
    let store = stage.relay.store();
    let mut site = store.site(&"demo".into()).await?.expect("demo site");
    site.prechat_form = true;
    store.put_site(&site).await?;

    let visitor = &stage.visitor.client;
    ui::visitor_opens_chat(visitor, &stage.base(), None).await?;
    ui::visitor_sends(visitor, ASKED).await?;
    ui::type_into(visitor, "Name (optional)", "Ada Lovelace").await?;
    ui::type_into(visitor, "Email", "ada@example.com").await?;
    ui::click(visitor, "Start chat").await?;
    ui::visitor_sees(visitor, "CASE-1001").await?;
    let contact = store
        .contact_by_identity(&"demo".into(), IdentityKind::Email, "ada@example.com")
        .await?
        .context("the pre-chat details made no contact")?;

    let admin = &stage.agent.client;
    ui::agent_signs_in(admin, &stage.base(), ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    ui::conversations_show(admin, ASKED).await?;
    let open = format!("//*[@aria-label='Conversations']//li[contains(., '{ASKED}')]//button");
    admin.find(Locator::XPath(&open)).await?.click().await?;
    ui::wait_text(admin, "[aria-label='Customer']", |t| {
        t.contains("Ada Lovelace") && t.contains("ada@example.com")
    })
    .await?;

    admin.execute(NOTE_DOWNLOADS, vec![]).await?;
    ui::click(admin, "Export record").await?;
    let file = format!("contact-{contact}.json");
    ui::wait_text(admin, ".privacy .note", |t| {
        t == format!("Exported the record as {file}")
    })
    .await?;
    let offered = admin.execute("return window.offeredFiles;", vec![]).await?;
    assert_eq!(offered, json!([file]));

    ui::click(admin, "Erase record").await?;
    ui::wait_text(admin, ".privacy .confirm", |t| {
        t.contains("Erase everything about Ada Lovelace? This cannot be undone.")
    })
    .await?;
    wait_focus(admin, "Cancel").await?;
    ui::click(admin, "Yes, erase everything").await?;
    let said = ui::wait_text(admin, ".privacy .note", |t| {
        t.starts_with("Erased: 1 record, ") && t.contains(" in 1 conversation, ")
    })
    .await?;
    // The button pressed is gone with the card; the note takes its focus.
    wait_focus(admin, &said).await?;
    let card = ui::wait_text(admin, "[aria-label='Customer']", |t| {
        !t.contains("ada@example.com")
    })
    .await?;
    assert!(!card.contains("Ada Lovelace"), "{card}");
    assert!(
        admin
            .find_all(Locator::XPath(&ui::named("Erase record")))
            .await?
            .is_empty(),
        "nothing left to erase"
    );
    ui::wait_text(admin, "[aria-label='Transcript']", |t| {
        t.contains(ERASED_TEXT) && !t.contains(ASKED)
    })
    .await?;

    anyhow::ensure!(
        store.contact(&contact).await?.is_none(),
        "the contact is still stored"
    );
    let me = store
        .agent_by_email(ADMIN_EMAIL)
        .await?
        .context("the admin")?;
    let chats = store.agent_conversations(&me.id).await?;
    let chat = chats.first().context("the admin's chat")?;
    let texts: Vec<String> = store
        .messages_after(&chat.id, 0, 100)
        .await?
        .into_iter()
        .map(|m| m.text)
        .collect();
    assert!(
        !texts.is_empty() && texts.iter().all(|t| t == ERASED_TEXT),
        "{texts:?}"
    );
    Ok(())
}
