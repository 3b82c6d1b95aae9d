//! The pre-chat form and the acknowledgement in a real browser: on a site
//! that asks, a visitor's first message waits behind the form; a bad email
//! is marked on its field and nothing is sent; good details start the
//! conversation, the acknowledgement shows its case code, the waiting
//! message arrives, and the agent's card shows the typed name and email,
//! unverified.

use e2e::browser_tests;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::Locator;

browser_tests!(the_form_comes_first_and_the_case_code_follows);

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
