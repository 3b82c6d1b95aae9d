//! Finding and using the product's UI by its accessible names, the contract
//! the widget and console keep for screen readers (issue: "Accessible
//! names"). Locators live here, so a test reads as what a person does.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

/// How long a step waits for the UI to show what it expects.
pub const UI_WAIT: Duration = Duration::from_secs(15);

/// XPath for a control whose accessible name is `name`: by `aria-label`,
/// by a `<label for>`, or (buttons) by its text.
pub fn named(name: &str) -> String {
    format!(
        "//*[@aria-label='{name}' or @id=//label[normalize-space()='{name}']/@for \
         or (self::button and normalize-space()='{name}')]"
    )
}

/// Waits for the control named `name`.
pub async fn control(client: &Client, name: &str) -> anyhow::Result<Element> {
    client
        .wait()
        .at_most(UI_WAIT)
        .for_element(Locator::XPath(&named(name)))
        .await
        .with_context(|| format!("no control named {name:?}"))
}

/// Types into the textbox named `name`.
pub async fn type_into(client: &Client, name: &str, text: &str) -> anyhow::Result<()> {
    control(client, name).await?.send_keys(text).await?;
    Ok(())
}

/// Clicks the control named `name`.
pub async fn click(client: &Client, name: &str) -> anyhow::Result<()> {
    control(client, name).await?.click().await?;
    Ok(())
}

/// Waits until the text of the element at `css` satisfies `check`; returns it.
pub async fn wait_text(
    client: &Client,
    css: &str,
    check: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    let deadline = Instant::now() + UI_WAIT;
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if let Ok(text) = element.text().await {
                if check(&text) {
                    return Ok(text);
                }
                last = text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{css} never showed the expected text; last seen:\n{last}")
}

/// The host page's launcher button (inside embed.js's shadow root).
pub async fn launcher(client: &Client) -> anyhow::Result<Element> {
    let holder = client
        .wait()
        .at_most(UI_WAIT)
        .for_element(Locator::Css("[data-switchboard]"))
        .await
        .context("embed.js drew no launcher")?;
    let root = holder.shadow_root().await?;
    Ok(root.find(Locator::Css("button")).await?)
}

/// Switches into the widget's iframe (from the top-level page).
pub async fn enter_widget(client: &Client) -> anyhow::Result<()> {
    let holder = client.find(Locator::Css("[data-switchboard]")).await?;
    let root = holder.shadow_root().await?;
    let deadline = Instant::now() + UI_WAIT;
    loop {
        if let Ok(frame) = root.find(Locator::Css("iframe")).await {
            frame.enter_frame().await?;
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the widget iframe never appeared");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens `/demo` (optionally in a language) and opens the chat.
pub async fn visitor_opens_chat(
    client: &Client,
    base: &str,
    lang: Option<&str>,
) -> anyhow::Result<()> {
    let url = match lang {
        Some(lang) => format!("{base}/demo?lang={lang}"),
        None => format!("{base}/demo"),
    };
    client.goto(&url).await?;
    launcher(client).await?.click().await?;
    enter_widget(client).await?;
    control(client, "Message").await?;
    Ok(())
}

/// In the widget: writes and sends a message.
pub async fn visitor_sends(client: &Client, text: &str) -> anyhow::Result<()> {
    type_into(client, "Message", text).await?;
    click(client, "Send").await
}

/// The visitor's transcript (the `log` named Messages).
pub async fn visitor_sees(client: &Client, text: &str) -> anyhow::Result<String> {
    wait_text(client, "[role='log']", |t| t.contains(text)).await
}

/// Signs an agent in at `/console` and sets them online.
pub async fn agent_signs_in(
    client: &Client,
    base: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<()> {
    client.goto(&format!("{base}/console")).await?;
    type_into(client, "Email", email).await?;
    type_into(client, "Password", password).await?;
    click(client, "Sign in").await?;
    let status = control(client, "Status").await?;
    status.select_by_label("Online").await?;
    Ok(())
}

/// The console's list named Conversations.
pub async fn conversations_show(client: &Client, text: &str) -> anyhow::Result<String> {
    wait_text(client, "[aria-label='Conversations']", |t| t.contains(text)).await
}

/// The texts of the visitor's transcript as shown, top to bottom, and
/// whether any message still shows as sending.
pub async fn visitor_transcript(client: &Client) -> anyhow::Result<(Vec<String>, bool)> {
    let mut texts = Vec::new();
    for element in client
        .find_all(Locator::Css("[role='log'] .sb-text"))
        .await?
    {
        texts.push(element.text().await?);
    }
    let sending = !client
        .find_all(Locator::Css("[role='log'] .sb-sending"))
        .await?
        .is_empty();
    Ok((texts, sending))
}

/// Opens `/demo` in `client` with the host page identifying the visitor
/// by `token` (`Switchboard.identify`), then opens the chat.
pub async fn identified_visitor(client: &Client, base: &str, token: &str) -> anyhow::Result<()> {
    client.goto(&format!("{base}/demo")).await?;
    launcher(client).await?;
    client
        .execute(
            "Switchboard.identify(arguments[0]); return true;",
            vec![serde_json::json!(token)],
        )
        .await?;
    launcher(client).await?.click().await?;
    enter_widget(client).await?;
    control(client, "Message").await?;
    Ok(())
}
