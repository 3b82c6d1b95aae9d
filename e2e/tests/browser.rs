//! The product in a real browser: headless Chromium on `/demo` (the widget
//! through embed.js) and `/console`, against a relay on a free port, on
//! both backends. The visitor reaches the relay through a proxy the test
//! can cut, like a dropped network. Screenshots land in target/e2e/<test>/
//! when a scenario fails. The satisfaction survey is here too: the agent
//! closes, the visitor rates with the radio group, the agent sees it,
//! reopens the conversation and closes it again.

use std::time::Duration;

use e2e::browser::with_screenshots;
use e2e::browser_tests;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::Locator;

/// A conversation's status as the console's thread header words it.
const STATUS_ASSIGNED: &str = "assigned";
const STATUS_CLOSED: &str = "closed";

browser_tests!(
    chat_reply_and_reload,
    messages_typed_offline_arrive_once_in_order,
    queued_visitor_sees_its_position_then_an_agent,
    hebrew_is_right_to_left,
    markup_is_shown_as_text,
    closed_chat_is_rated_and_the_agent_sees_it,
);

/// The agent signs in and opens the conversation showing `text`.
async fn agent_opens(stage: &Stage, text: &str) -> anyhow::Result<()> {
    let agent = &stage.agent.client;
    ui::agent_signs_in(agent, &stage.proxy.url(), ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    open_conversation(agent, text).await
}

/// In the console: opens the listed conversation whose preview shows `text`.
async fn open_conversation(agent: &fantoccini::Client, text: &str) -> anyhow::Result<()> {
    ui::conversations_show(agent, text).await?;
    let xpath = format!("//*[@aria-label='Conversations']//li[contains(., '{text}')]//button");
    agent.find(Locator::XPath(&xpath)).await?.click().await?;
    ui::control(agent, "Reply").await?;
    Ok(())
}

async fn queued_visitor_sees_its_position_then_an_agent(stage: &Stage) -> anyhow::Result<()> {
    // The only agent takes one conversation at a time.
    let mut admin = e2e::client::Client::agent(stage.relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin
        .send(&shared::AgentFrame::AddAgent {
            email: "solo@example.com".into(),
            name: "Solo".into(),
            password: "solo-password".into(),
            max_concurrent: 1,
            admin: false,
        })
        .await?;
    admin
        .recv_until(|f| matches!(f, shared::ServerFrame::AgentAdded { .. }))
        .await?;
    let (first, agent) = (&stage.visitor.client, &stage.agent.client);
    let base = stage.proxy.url();
    ui::agent_signs_in(agent, &base, "solo@example.com", "solo-password").await?;
    ui::visitor_opens_chat(first, &base, None).await?;
    ui::visitor_sends(first, "I was here first").await?;
    ui::wait_text(first, ".sb-status", |t| t.contains("Solo is here to help")).await?;

    let second_session = stage.chrome.session("second-visitor", 420, 720).await?;
    let second = &second_session.client;
    let outcome = async {
        ui::visitor_opens_chat(second, &base, None).await?;
        ui::visitor_sends(second, "I am second").await?;
        ui::wait_text(second, ".sb-status", |t| {
            t.contains("You are number 1 in line")
        })
        .await?;
        open_conversation(agent, "I was here first").await?;
        ui::click(agent, "Close conversation").await?;
        ui::wait_text(second, ".sb-status", |t| t.contains("Solo is here to help")).await?;
        ui::conversations_show(agent, "I am second").await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = with_screenshots("queued-second-visitor", &[&second_session], outcome).await;
    second_session.close().await;
    outcome
}

async fn chat_reply_and_reload(stage: &Stage) -> anyhow::Result<()> {
    let (visitor, agent) = (&stage.visitor.client, &stage.agent.client);
    let base = stage.proxy.url();
    ui::visitor_opens_chat(visitor, &base, None).await?;
    ui::visitor_sends(visitor, "Hello from the browser").await?;
    agent_opens(stage, "Hello from the browser").await?;
    ui::wait_text(agent, "[role='log']", |t| {
        t.contains("Hello from the browser")
    })
    .await?;
    ui::type_into(agent, "Reply", "Hi! How can I help?").await?;
    ui::click(agent, "Send").await?;
    ui::visitor_sees(visitor, "Hi! How can I help?").await?;

    // A reload keeps the whole history.
    visitor.goto(&format!("{base}/demo")).await?;
    ui::launcher(visitor).await?.click().await?;
    ui::enter_widget(visitor).await?;
    let log = ui::visitor_sees(visitor, "Hi! How can I help?").await?;
    assert!(log.contains("Hello from the browser"), "{log}");
    Ok(())
}

async fn messages_typed_offline_arrive_once_in_order(stage: &Stage) -> anyhow::Result<()> {
    let (visitor, agent) = (&stage.visitor.client, &stage.agent.client);
    ui::visitor_opens_chat(visitor, &stage.proxy.url(), None).await?;
    ui::visitor_sends(visitor, "first, while online").await?;
    agent_opens(stage, "first, while online").await?;

    stage.proxy.cut();
    tokio::time::sleep(Duration::from_millis(500)).await;
    ui::visitor_sends(visitor, "second, typed offline").await?;
    ui::visitor_sends(visitor, "third, typed offline").await?;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    stage.proxy.restore();

    let conversation_text = ui::wait_text(agent, "[role='log']", |t| {
        t.contains("third, typed offline")
    })
    .await?;
    for text in [
        "first, while online",
        "second, typed offline",
        "third, typed offline",
    ] {
        assert_eq!(
            conversation_text.matches(text).count(),
            1,
            "{text:?} once for the agent:\n{conversation_text}"
        );
    }
    let second = conversation_text
        .find("second, typed offline")
        .unwrap_or(usize::MAX);
    let third = conversation_text.find("third, typed offline").unwrap_or(0);
    assert!(second < third, "in order for the agent");
    let log = ui::visitor_sees(visitor, "third, typed offline").await?;
    assert_eq!(log.matches("second, typed offline").count(), 1, "{log}");
    assert!(log.find("second, typed offline") < log.find("third, typed offline"));
    // And the store holds each exactly once.
    let store = stage.relay.store();
    let conversations = store.waiting().await?.len() + {
        let agents = store.agents().await?;
        let mut n = 0;
        for a in agents {
            n += store.agent_conversations(&a.id).await?.len();
        }
        n
    };
    assert_eq!(conversations, 1);
    Ok(())
}

async fn hebrew_is_right_to_left(stage: &Stage) -> anyhow::Result<()> {
    let visitor = &stage.visitor.client;
    visitor
        .goto(&format!("{}/demo?lang=he", stage.proxy.url()))
        .await?;
    let launcher = ui::launcher(visitor).await?;
    let name = launcher.attr("aria-label").await?.unwrap_or_default();
    assert!(name.contains("צ׳אט"), "launcher named in Hebrew: {name:?}");
    launcher.click().await?;
    ui::enter_widget(visitor).await?;
    let dialog = visitor
        .wait()
        .at_most(ui::UI_WAIT)
        .for_element(Locator::Css("[role='dialog']"))
        .await?;
    let html = visitor.find(Locator::Css("html")).await?;
    assert_eq!(html.attr("dir").await?.as_deref(), Some("rtl"));
    assert_eq!(html.attr("lang").await?.as_deref(), Some("he"));
    let label = dialog.attr("aria-label").await?.unwrap_or_default();
    assert!(
        label
            .chars()
            .any(|c| ('\u{0590}'..='\u{05FF}').contains(&c)),
        "dialog named in Hebrew: {label:?}"
    );
    let direction = dialog.css_value("direction").await?;
    assert_eq!(direction, "rtl");
    Ok(())
}

async fn markup_is_shown_as_text(stage: &Stage) -> anyhow::Result<()> {
    let (visitor, agent) = (&stage.visitor.client, &stage.agent.client);
    let evil = "<img src=x onerror=alert(1)> javascript:alert(2) see https://example.com/help";
    ui::visitor_opens_chat(visitor, &stage.proxy.url(), None).await?;
    ui::visitor_sends(visitor, evil).await?;
    agent_opens(stage, "onerror").await?;
    for (who, client, css) in [
        ("visitor", visitor, "[role='log']"),
        ("agent", agent, "[role='log']"),
    ] {
        let text =
            ui::wait_text(client, css, |t| t.contains("<img src=x onerror=alert(1)>")).await?;
        assert!(text.contains("javascript:alert(2)"), "{who}: {text}");
        assert!(
            client.find(Locator::Css("img[src='x']")).await.is_err(),
            "{who}: markup became an element"
        );
        let links = client.find_all(Locator::Css("a[href]")).await?;
        for link in links {
            let href = link.attr("href").await?.unwrap_or_default();
            assert!(
                href.starts_with("https://")
                    || href.starts_with("http://")
                    || href.starts_with("mailto:"),
                "{who}: unsafe link {href}"
            );
        }
        assert!(
            client.get_alert_text().await.is_err(),
            "{who}: a script ran"
        );
    }
    Ok(())
}

async fn closed_chat_is_rated_and_the_agent_sees_it(stage: &Stage) -> anyhow::Result<()> {
    let (visitor, agent) = (&stage.visitor.client, &stage.agent.client);
    let base = stage.proxy.url();
    ui::visitor_opens_chat(visitor, &base, None).await?;
    ui::visitor_sends(visitor, "Was my refund sent?").await?;
    agent_opens(stage, "Was my refund sent?").await?;
    ui::click(agent, "Close conversation").await?;

    // The survey: five real radio buttons in a group named by its legend.
    let group = "//fieldset[legend[normalize-space()='Rate this conversation']]";
    let options = visitor
        .wait()
        .at_most(ui::UI_WAIT)
        .for_element(Locator::XPath(group))
        .await?
        .find_all(Locator::Css("input[type='radio']"))
        .await?;
    assert_eq!(options.len(), 5, "five ratings");
    let four = format!("{group}//label[normalize-space()='4 – Satisfied']//input[@type='radio']");
    visitor.find(Locator::XPath(&four)).await?.click().await?;
    let comment = "//label[span[normalize-space()='Comment (optional)']]//textarea";
    visitor
        .find(Locator::XPath(comment))
        .await?
        .send_keys("Quick and kind")
        .await?;
    ui::click(visitor, "Send rating").await?;
    ui::wait_text(visitor, ".sb-survey-thanks", |t| t.contains("Thank you")).await?;

    // The agent sees it on the conversation.
    let shown = ui::wait_text(agent, "[data-testid='csat']", |t| {
        t.contains("Quick and kind")
    })
    .await?;
    assert!(shown.contains("★★★★☆"), "{shown}");
    let stars = agent
        .find(Locator::Css("[data-testid='csat'] [role='img']"))
        .await?;
    let said = stars.attr("aria-label").await?;
    assert_eq!(said.as_deref(), Some("Rated 4 of 5"));

    // The agent reopens it (the rating stays), then closes it again.
    ui::click(agent, "Reopen").await?;
    ui::wait_text(agent, ".thread-head .status", |t| t == STATUS_ASSIGNED).await?;
    ui::wait_text(agent, "[data-testid='csat']", |t| {
        t.contains("Quick and kind")
    })
    .await?;
    ui::click(agent, "Close conversation").await?;
    ui::wait_text(agent, ".thread-head .status", |t| t == STATUS_CLOSED).await?;
    ui::control(agent, "Reopen").await?;

    // Asked once: a reload shows the transcript and no survey.
    visitor.goto(&format!("{base}/demo")).await?;
    ui::launcher(visitor).await?.click().await?;
    ui::enter_widget(visitor).await?;
    ui::visitor_sees(visitor, "Was my refund sent?").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let surveys = visitor.find_all(Locator::Css(".sb-survey")).await?;
    assert!(surveys.is_empty(), "the survey came back after rating");
    Ok(())
}
