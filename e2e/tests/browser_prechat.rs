//! The forms before a chat, in a real browser.
//!
//! Pre-chat: on a site that asks, a visitor's first message waits behind
//! the form; a bad email is marked on its field and nothing is sent; good
//! details start the conversation, the acknowledgement shows its case
//! code, the waiting message arrives, and the agent's card shows the typed
//! name and email, unverified.
//!
//! Offline: with nobody online a Persian visitor gets the offline form,
//! right to left and in Persian; a bad email is refused on its field; the
//! message opens a case whose code the widget shows; an agent takes it
//! from the console's "Offline messages" and answers; the visitor, coming
//! back later, reads the answer in the widget.

use e2e::browser_tests;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::routing_setup::set_routing;
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::Locator;

browser_tests!(
    the_form_comes_first_and_the_case_code_follows,
    a_persian_offline_message_is_answered_when_the_visitor_returns,
);

async fn the_form_comes_first_and_the_case_code_follows(stage: &Stage) -> anyhow::Result<()> {
    let store = stage.relay.store();
    let mut site = store.site(&"demo".into()).await?.expect("demo site");
    site.prechat_form = true;
    store.put_site(&site).await?;

    let visitor = &stage.visitor.client;
    ui::visitor_opens_chat(visitor, &stage.base(), None).await?;
    ui::visitor_sends(visitor, "where is parcel 1182?").await?;
    // The form stands between the message and the relay.
    ui::type_into(visitor, "Name (optional)", "Ada Lovelace").await?;
    ui::type_into(visitor, "Email", "ada@").await?;
    ui::click(visitor, "Start chat").await?;
    let email = ui::control(visitor, "Email").await?;
    assert_eq!(email.attr("aria-invalid").await?.as_deref(), Some("true"));
    ui::wait_text(visitor, ".sb-prechat", |t| {
        t.contains("This email address does not look right.")
    })
    .await?;
    assert!(
        store.waiting().await?.is_empty(),
        "nothing started while the form is open"
    );

    email.clear().await?;
    email.send_keys("ada@example.com").await?;
    ui::click(visitor, "Start chat").await?;
    ui::visitor_sees(visitor, "CASE-1001").await?;
    ui::visitor_sees(visitor, "where is parcel 1182?").await?;
    assert!(visitor
        .find_all(Locator::Css(".sb-prechat"))
        .await?
        .is_empty());

    let agent = &stage.agent.client;
    ui::agent_signs_in(agent, &stage.base(), ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    ui::conversations_show(agent, "where is parcel 1182?").await?;
    let open = "//*[@aria-label='Conversations']//li[contains(., 'where is parcel 1182?')]//button";
    agent.find(Locator::XPath(open)).await?.click().await?;
    let card = ui::wait_text(agent, "[aria-label='Customer']", |t| {
        t.contains("Ada Lovelace") && t.contains("ada@example.com")
    })
    .await?;
    assert!(card.contains("unverified"), "{card}");
    Ok(())
}

const QUESTION: &str = "سلام، سفارش ۱۱۸۲ من کی می‌رسد؟";
const ANSWER: &str = "سفارش شما فردا می‌رسد.";

async fn a_persian_offline_message_is_answered_when_the_visitor_returns(
    stage: &Stage,
) -> anyhow::Result<()> {
    let store = stage.relay.store();
    set_routing(store.as_ref(), |r| r.offline_form = true).await?;
    let visitor = &stage.visitor.client;
    let demo = format!("{}/demo?lang=fa", stage.base());
    visitor.goto(&demo).await?;
    ui::launcher(visitor).await?.click().await?;
    ui::enter_widget(visitor).await?;
    let form = visitor
        .wait()
        .at_most(ui::UI_WAIT)
        .for_element(Locator::Css("[data-testid='offline-form']"))
        .await?;
    let html = visitor.find(Locator::Css("html")).await?;
    assert_eq!(html.attr("dir").await?.as_deref(), Some("rtl"));
    assert_eq!(html.attr("lang").await?.as_deref(), Some("fa"));
    assert_eq!(form.css_value("direction").await?, "rtl");
    let reason =
        ui::wait_text(visitor, "[data-testid='offline-reason']", |t| !t.is_empty()).await?;
    assert!(
        reason.contains("هیچ کارشناسی"),
        "says in Persian that nobody is available: {reason:?}"
    );
    assert!(
        visitor
            .find_all(Locator::Css("form.sb-composer"))
            .await?
            .is_empty(),
        "no chat composer behind a queue nobody serves"
    );

    let field = |id: &'static str| async move {
        visitor
            .find(Locator::Css(&format!("[data-testid='{id}']")))
            .await
    };
    field("offline-name").await?.send_keys("سارا").await?;
    field("offline-email").await?.send_keys("sara@").await?;
    field("offline-message").await?.send_keys(QUESTION).await?;
    field("offline-submit").await?.click().await?;
    let email = field("offline-email").await?;
    let deadline = tokio::time::Instant::now() + ui::UI_WAIT;
    while email.attr("aria-invalid").await?.as_deref() != Some("true") {
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "a bad email is marked"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(store.waiting().await?.is_empty(), "nothing opened");

    email.clear().await?;
    email.send_keys("sara@example.com").await?;
    field("offline-submit").await?.click().await?;
    let code = ui::wait_text(visitor, "[data-testid='case-code']", |t| {
        t.contains("CASE-")
    })
    .await?;
    ui::wait_text(visitor, "[data-testid='offline-confirmation']", |t| {
        t.contains("sara@example.com")
    })
    .await?;
    ui::visitor_sees(visitor, QUESTION).await?;
    let waiting = store.waiting().await?;
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].route.offline, "{:?}", waiting[0].route);
    assert_eq!(waiting[0].case_code.as_deref(), Some(code.trim()));

    // The visitor leaves; an agent takes the case and answers.
    visitor.goto("about:blank").await?;
    let agent = &stage.agent.client;
    ui::agent_signs_in(agent, &stage.base(), ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    ui::wait_text(agent, "[data-testid='offline-list']", |t| {
        t.contains(code.trim())
    })
    .await?;
    agent
        .find(Locator::Css(
            "[data-testid='offline-list'] [data-testid='take-offline']",
        ))
        .await?
        .click()
        .await?;
    ui::conversations_show(agent, code.trim()).await?;
    let open = format!(
        "//*[@aria-label='Conversations']//li[contains(., '{}')]//button",
        code.trim()
    );
    agent.find(Locator::XPath(&open)).await?.click().await?;
    ui::wait_text(agent, "[role='log']", |t| t.contains(QUESTION)).await?;
    ui::type_into(agent, "Reply", ANSWER).await?;
    ui::click(agent, "Send").await?;
    ui::wait_text(agent, "[role='log']", |t| t.contains(ANSWER)).await?;

    // Back on the site later: the answer is in the widget.
    visitor.goto(&demo).await?;
    ui::launcher(visitor).await?.click().await?;
    ui::enter_widget(visitor).await?;
    ui::visitor_sees(visitor, ANSWER).await?;
    ui::visitor_sees(visitor, QUESTION).await?;
    Ok(())
}
