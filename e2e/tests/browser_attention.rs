//! Keyboard-only use and getting attention, in a real browser: a visitor
//! who never touches the mouse chats from the launcher to Escape (on a
//! phone-sized window, in a full-screen panel); a reply
//! that lands while the panel is closed counts on the launcher and in the
//! host page's title, calls the `Switchboard.on` hooks and beeps; a
//! conversation routed to an agent beeps and counts in the console's title.
//!
//! Sound cannot be heard in a test, so the page's `AudioContext` is watched
//! instead: `createOscillator` is counted on its prototype, which is where
//! the WASM code's calls look it up.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use e2e::browser_tests;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::Client;
use serde_json::Value;

browser_tests!(keyboard_only_chat, replies_while_closed_get_attention);

/// Presses `keys` in order on whatever has focus; `Key::Shift` is held
/// for the key right after it.
async fn press(client: &Client, keys: &[Key]) -> anyhow::Result<()> {
    let mut actions = KeyActions::new("keyboard".into());
    let mut shift = false;
    for key in keys {
        let value: char = (*key).into();
        if matches!(key, Key::Shift) {
            actions = actions.then(KeyAction::Down { value });
            shift = true;
            continue;
        }
        actions = actions
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        if shift {
            let shift_key: char = Key::Shift.into();
            actions = actions.then(KeyAction::Up { value: shift_key });
            shift = false;
        }
    }
    client.perform_actions(actions).await?;
    Ok(())
}

/// Types `text` into whatever has focus, as key presses.
async fn type_keys(client: &Client, text: &str) -> anyhow::Result<()> {
    client.active_element().await?.send_keys(text).await?;
    Ok(())
}

async fn script(client: &Client, js: &str) -> anyhow::Result<Value> {
    Ok(client.execute(js, vec![]).await?)
}

/// Polls `js` (an expression) until it is `true`.
async fn until(client: &Client, what: &str, js: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + ui::UI_WAIT;
    let probe = format!("return !!({js});");
    while Instant::now() < deadline {
        if script(client, &probe).await? == Value::Bool(true) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{what} never happened ({js})")
}

/// The launcher's accessible name if it has the focus, inside embed.js's shadow root.
const FOCUSED_LAUNCHER: &str = "(() => { const h = document.querySelector('[data-switchboard]'); \
     const f = h && document.activeElement === h && h.shadowRoot.activeElement; \
     return f && f.tagName === 'BUTTON' ? f.getAttribute('aria-label') : null; })()";

/// Counts oscillators started in this document from now on.
const WATCH_SOUND: &str = "window.__oscillators = 0; \
     const proto = (window.AudioContext || window.webkitAudioContext).prototype; \
     const make = proto.createOscillator; \
     proto.createOscillator = function () { window.__oscillators++; return make.call(this); }; \
     return true;";

async fn keyboard_only_chat(stage: &Stage) -> anyhow::Result<()> {
    let visitor = &stage.visitor.client;
    visitor.goto(&format!("{}/demo", stage.base())).await?;
    ui::launcher(visitor).await?;

    // Tab reaches the launcher, with a visible focus ring.
    let mut name = Value::Null;
    for _ in 0..10 {
        press(visitor, &[Key::Tab]).await?;
        name = script(visitor, &format!("return {FOCUSED_LAUNCHER};")).await?;
        if name.is_string() {
            break;
        }
    }
    assert_eq!(
        name,
        Value::String("Open chat".into()),
        "Tab reaches the launcher"
    );
    let ring = script(
        visitor,
        "const h = document.querySelector('[data-switchboard]'); \
         return getComputedStyle(h.shadowRoot.activeElement).outlineStyle;",
    )
    .await?;
    assert_ne!(ring, Value::String("none".into()), "focus is visible");

    // Enter opens the chat and puts the cursor in the composer; on this
    // phone-sized window (420 px) the panel takes the whole screen.
    press(visitor, &[Key::Enter]).await?;
    until(
        visitor,
        "a full-screen panel below 480 px",
        "(() => { const f = document.querySelector('[data-switchboard]').shadowRoot \
         .querySelector('iframe'); const r = f && f.getBoundingClientRect(); \
         return r && r.width === innerWidth && r.height === innerHeight; })()",
    )
    .await?;
    ui::enter_widget(visitor).await?;
    until(
        visitor,
        "focus in the composer",
        "document.hasFocus() && document.activeElement && \
         document.activeElement.tagName === 'TEXTAREA'",
    )
    .await
    .context("after Enter on the launcher")?;

    // Shift+Enter is a new line; Enter sends.
    type_keys(visitor, "line one").await?;
    press(visitor, &[Key::Shift, Key::Enter]).await?;
    type_keys(visitor, "line two").await?;
    press(visitor, &[Key::Enter]).await?;
    ui::visitor_sees(visitor, "line two").await?;
    let composer = script(visitor, "return document.activeElement.value;").await?;
    assert_eq!(
        composer,
        Value::String(String::new()),
        "the composer cleared"
    );
    // The transcript shows the message as soon as it is typed; the store
    // has it once the start and the send went round: wait for that.
    let store = stage.relay.store();
    let deadline = Instant::now() + Duration::from_secs(10);
    let stored = loop {
        let waiting = store.waiting().await?;
        if let Some(conversation) = waiting.first() {
            let stored = store.messages_after(&conversation.id, 0, 10).await?;
            if !stored.is_empty() || Instant::now() > deadline {
                break stored;
            }
        } else if Instant::now() > deadline {
            bail!("the conversation was never queued");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        stored.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        ["line one\nline two"],
        "one message with a line break"
    );

    // Escape closes the panel and gives the focus back to the launcher.
    press(visitor, &[Key::Escape]).await?;
    visitor.enter_parent_frame().await?;
    until(
        visitor,
        "the launcher focused again, named Open chat",
        &format!("{FOCUSED_LAUNCHER} === 'Open chat'"),
    )
    .await?;
    let expanded = script(
        visitor,
        "return document.querySelector('[data-switchboard]').shadowRoot \
         .querySelector('button').getAttribute('aria-expanded');",
    )
    .await?;
    assert_eq!(expanded, Value::String("false".into()));
    Ok(())
}

async fn replies_while_closed_get_attention(stage: &Stage) -> anyhow::Result<()> {
    let (visitor, agent) = (&stage.visitor.client, &stage.agent.client);
    let base = stage.base();

    // The agent is online first, so the chat is routed to them: that beeps
    // and counts in the console's title.
    ui::agent_signs_in(agent, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    script(agent, WATCH_SOUND).await?;

    visitor.goto(&format!("{base}/demo")).await?;
    ui::launcher(visitor).await?;
    let title = script(visitor, "return document.title;").await?;
    let title = title.as_str().context("a title")?.to_owned();
    script(
        visitor,
        "window.__heard = []; \
         Switchboard.on('unread', n => __heard.push('unread:' + n)); \
         Switchboard.on('message', m => __heard.push(m.role + ':' + m.text)); \
         return true;",
    )
    .await?;
    ui::launcher(visitor).await?.click().await?;
    ui::enter_widget(visitor).await?;
    ui::visitor_sends(visitor, "Is anyone there?").await?;
    script(visitor, WATCH_SOUND).await?;

    until(
        agent,
        "a beep for the new conversation",
        "window.__oscillators > 0",
    )
    .await?;
    until(
        agent,
        "the console's title counting it",
        "document.title.startsWith('(1) ')",
    )
    .await?;

    // The visitor closes the panel; the reply arrives while it is closed.
    press(visitor, &[Key::Escape]).await?;
    visitor.enter_parent_frame().await?;
    ui::conversations_show(agent, "Is anyone there?").await?;
    let xpath = "//*[@aria-label='Conversations']//li[contains(., 'Is anyone there?')]//button";
    agent
        .find(fantoccini::Locator::XPath(xpath))
        .await?
        .click()
        .await?;
    ui::type_into(agent, "Reply", "Yes, how can I help?").await?;
    ui::click(agent, "Send").await?;

    let expected_title = format!("(1) {title}");
    until(
        visitor,
        "the host page's title counting the reply",
        &format!(
            "document.title === {}",
            serde_json::to_string(&expected_title)?
        ),
    )
    .await?;
    let launcher = ui::launcher(visitor).await?;
    let name = launcher.attr("aria-label").await?.unwrap_or_default();
    assert!(
        name.starts_with("Open chat") && name.contains('1'),
        "launcher says 1 unread: {name:?}"
    );
    until(
        visitor,
        "the unread and message hooks",
        "__heard.includes('unread:1') && __heard.includes('agent:Yes, how can I help?')",
    )
    .await?;
    ui::enter_widget(visitor).await?;
    until(visitor, "a beep in the widget", "window.__oscillators > 0").await?;
    visitor.enter_parent_frame().await?;

    // Opening the chat reads it: the count and the title go back.
    ui::launcher(visitor).await?.click().await?;
    until(
        visitor,
        "the title back to normal",
        &format!("document.title === {}", serde_json::to_string(&title)?),
    )
    .await?;
    Ok(())
}
