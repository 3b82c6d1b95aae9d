//! Signed identity in a real browser: a visitor the host page identifies
//! (`Switchboard.identify`) chats on one device; on a second browser, the
//! same person, identified again, sees that chat in the widget; and the
//! agent who opens the chat in the console sees, on the customer card, an
//! email that reached the same customer through the ingest API.

use e2e::browser_tests;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::stage::Stage;
use e2e::ui;
use relay::identity::jwt::sign;
use relay::site_admin::{identity_secret, new_api_key};
use serde_json::json;

browser_tests!(
    an_identified_visitor_sees_their_chat_on_another_device,
    the_agents_card_shows_an_email_ingested_through_the_api,
);

async fn an_identified_visitor_sees_their_chat_on_another_device(
    stage: &Stage,
) -> anyhow::Result<()> {
    let secret = identity_secret(stage.relay.store().as_ref(), &"demo".into(), false).await?;
    let exp = relay::now_ms() / 1000 + 600;
    let token = sign(
        &json!({"sub": "customer-9", "email": "nine@example.com", "name": "Nine", "exp": exp}),
        secret.as_bytes(),
    );
    let base = stage.base();
    let laptop = &stage.visitor.client;
    ui::identified_visitor(laptop, &base, &token).await?;
    ui::visitor_sends(laptop, "my order 1182 is late").await?;
    ui::visitor_sees(laptop, "my order 1182 is late").await?;

    let phone_session = stage.chrome.session("second-device", 420, 720).await?;
    let phone = &phone_session.client;
    let outcome = async {
        ui::identified_visitor(phone, &base, &token).await?;
        ui::visitor_sees(phone, "my order 1182 is late").await?;
        anyhow::Ok(())
    }
    .await;
    let outcome =
        e2e::browser::with_screenshots("identified-second-device", &[&phone_session], outcome)
            .await;
    phone_session.close().await;
    outcome
}

async fn the_agents_card_shows_an_email_ingested_through_the_api(
    stage: &Stage,
) -> anyhow::Result<()> {
    let store = stage.relay.store();
    let key = new_api_key(store.as_ref(), &"demo".into()).await?;
    let email = json!({
        "external_id": "mail-refund-1",
        "channel": "email",
        "direction": "in",
        "text": "Subject: Refund for order 1182",
        "contact": {"external_id": "customer-9", "email": "nine@example.com", "verified": true},
    });
    let auth = format!("Bearer {key}");
    let pushed = e2e::http_get::send(
        stage.relay.addr(),
        "POST",
        "/api/v1/sites/demo/items",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(&email.to_string()),
    )
    .await?;
    anyhow::ensure!(pushed.status == 201, "ingest: {}", pushed.body);

    let secret = identity_secret(store.as_ref(), &"demo".into(), false).await?;
    let token = sign(
        &json!({"sub": "customer-9", "name": "Nine", "exp": relay::now_ms() / 1000 + 600}),
        secret.as_bytes(),
    );
    let visitor = &stage.visitor.client;
    ui::identified_visitor(visitor, &stage.base(), &token).await?;
    ui::visitor_sends(visitor, "any news on my refund?").await?;
    ui::visitor_sees(visitor, "any news on my refund?").await?;

    let agent = &stage.agent.client;
    ui::agent_signs_in(agent, &stage.base(), ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    ui::conversations_show(agent, "any news on my refund?").await?;
    let open =
        "//*[@aria-label='Conversations']//li[contains(., 'any news on my refund?')]//button";
    agent
        .find(fantoccini::Locator::XPath(open))
        .await?
        .click()
        .await?;
    let card = ui::wait_text(agent, "[aria-label='Customer']", |t| {
        t.contains("Refund for order 1182") && t.contains("nine@example.com")
    })
    .await?;
    assert!(card.contains("Nine"), "{card}");
    assert!(card.contains("CASE-1001"), "the chat's case code: {card}");
    Ok(())
}
