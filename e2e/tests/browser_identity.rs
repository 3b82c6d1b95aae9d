//! Signed identity in a real browser: a visitor the host page identifies
//! (`Switchboard.identify`) chats on one device; on a second browser, the
//! same person, identified again, sees that chat in the widget.

use e2e::browser_tests;
use e2e::stage::Stage;
use e2e::ui;
use relay::identity::jwt::sign;
use relay::site_admin::identity_secret;
use serde_json::json;

browser_tests!(an_identified_visitor_sees_their_chat_on_another_device);

/// Opens `/demo` in `client`, identifies as `token`'s user, opens the chat.
async fn identified_visitor(
    client: &fantoccini::Client,
    base: &str,
    token: &str,
) -> anyhow::Result<()> {
    client.goto(&format!("{base}/demo")).await?;
    ui::launcher(client).await?;
    client
        .execute(
            "Switchboard.identify(arguments[0]); return true;",
            vec![json!(token)],
        )
        .await?;
    ui::launcher(client).await?.click().await?;
    ui::enter_widget(client).await?;
    ui::control(client, "Message").await?;
    Ok(())
}

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
    identified_visitor(laptop, &base, &token).await?;
    ui::visitor_sends(laptop, "my order 1182 is late").await?;
    ui::visitor_sees(laptop, "my order 1182 is late").await?;

    let phone_session = stage.chrome.session("second-device", 420, 720).await?;
    let phone = &phone_session.client;
    let outcome = async {
        identified_visitor(phone, &base, &token).await?;
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
