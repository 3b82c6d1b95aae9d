//! Self-service in a real browser, on each store with one relay and one
//! visitor browser for every case: a visitor of the Hebrew demo page sees
//! the Hebrew refund article suggested from the question they are typing,
//! reads it right to left inside the widget (keyboard only: Enter opens it,
//! focus lands on its title, Escape comes back to the same result), says
//! they still need help and is back in the chat with their question still
//! typed, which then starts the chat; the relay counts the feedback. And an
//! article written to attack the widget shows nothing that could run; the
//! visitor found it with the search box, and it answered their question.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context};
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use shared::knowledge::Feedback;
use shared::ConversationStatus;

/// The widget's accessible names in Hebrew (`widget/src/i18n.rs`).
const MESSAGE: &str = "הודעה";
const SEND: &str = "שליחה";
const SEARCH: &str = "חיפוש במאמרי העזרה";
const BACK: &str = "חזרה לצ׳אט";
const NEED_HELP: &str = "אני עדיין צריך/ה עזרה";
const ANSWERED: &str = "זה ענה על השאלה שלי";
const HELP_REGION: &str = "[aria-label='מאמרי עזרה']";

e2e::browser_tests!(self_service_in_the_widget);

async fn self_service_in_the_widget(stage: &Stage) -> anyhow::Result<()> {
    a_hebrew_visitor_reads_the_suggested_article_then_chats(stage)
        .await
        .context("reading a suggested article")?;
    a_hostile_article_shows_nothing_that_runs(stage)
        .await
        .context("a hostile article")
}

async fn a_hebrew_visitor_reads_the_suggested_article_then_chats(
    stage: &Stage,
) -> anyhow::Result<()> {
    let mut admin = e2e::kb::admin(stage.relay.addr()).await?;
    let seeded = e2e::kb::seed(&mut admin, "demo").await?;
    let he = &seeded[1];
    let visitor = &stage.visitor.client;
    opens_hebrew_chat(visitor, &stage.base()).await?;

    let question = "שלום, איך אני מקבל החזר על ההזמנה שלי?";
    ui::type_into(visitor, MESSAGE, question).await?;
    let suggestion = ui::control(visitor, &he.title).await?;
    ui::wait_text(visitor, HELP_REGION, |t| {
        t.contains("אולי אלה יענו על שאלתכם")
    })
    .await?;
    ui::wait_text(visitor, ".sb-found[aria-live='polite']", |t| {
        t == "נמצא מאמר אחד"
    })
    .await?;
    let marked = visitor.find(Locator::Css(".sb-snippet mark")).await?;
    ensure!(
        marked.text().await?.contains("החזר"),
        "the matched word is marked"
    );

    // Keyboard only: Enter opens it, focus moves to the title.
    suggestion.send_keys(&Key::Enter.to_string()).await?;
    let article = visitor
        .wait()
        .at_most(ui::UI_WAIT)
        .for_element(Locator::Css(".sb-article"))
        .await?;
    ensure!(article.attr("dir").await?.as_deref() == Some("rtl"));
    ensure!(article.css_value("direction").await? == "rtl");
    let body = article.text().await?;
    ensure!(
        body.contains("בקשו") && body.contains("תוך 30 יום"),
        "{body}"
    );
    ensure!(article.find(Locator::Css("strong")).await?.text().await? == "החזר");
    until(
        visitor,
        "the title has focus",
        "document.activeElement.id === 'sb-article-title'",
    )
    .await?;
    ensure!(
        !visible(visitor, ".sb-input").await?,
        "the chat is out of the way"
    );

    // Escape: back to the result that opened it.
    visitor
        .active_element()
        .await?
        .send_keys(&Key::Escape.to_string())
        .await?;
    until(
        visitor,
        "focus is back on the result",
        "document.activeElement.classList.contains('sb-hit-title')",
    )
    .await?;
    ensure!(visitor
        .find_all(Locator::Css(".sb-article"))
        .await?
        .is_empty());

    // Again, and this time the article did not answer the question.
    ui::control(visitor, &he.title)
        .await?
        .send_keys(&Key::Enter.to_string())
        .await?;
    ui::click(visitor, NEED_HELP).await?;
    until(
        visitor,
        "the composer has focus",
        "document.activeElement.classList.contains('sb-input')",
    )
    .await?;
    let composer = ui::control(visitor, MESSAGE).await?;
    ensure!(
        composer.prop("value").await?.as_deref() == Some(question),
        "the question is kept"
    );
    feedback_counted(stage, he, Feedback::NeedHelp).await?;

    ui::click(visitor, SEND).await?;
    message_stored(stage, question).await?;
    // Still waiting for an agent: the question keeps its suggestion.
    ui::control(visitor, &he.title).await?;
    Ok(())
}

async fn a_hostile_article_shows_nothing_that_runs(stage: &Stage) -> anyhow::Result<()> {
    let mut admin = e2e::kb::admin(stage.relay.addr()).await?;
    let body = "<img src=x onerror=alert(1)>\n\n<script>alert(2)</script>\n\n\
                [x](javascript:alert(3)) ![y](javascript:alert(4)) \
                [JS](JaVaScRiPt:alert(5))\n\n[בטוח](https://example.com/safe)";
    let title = "בדיקת אבטחה לווידג׳ט";
    let hostile = e2e::kb::save(&mut admin, e2e::kb::draft("demo", "he", title, body)).await?;
    let visitor = &stage.visitor.client;
    opens_hebrew_chat(visitor, &stage.base()).await?;

    ui::type_into(visitor, SEARCH, "בדיקת אבטחה").await?;
    ui::click(visitor, title).await?;
    let article = visitor
        .wait()
        .at_most(ui::UI_WAIT)
        .for_element(Locator::Css(".sb-article"))
        .await?;
    ui::wait_text(visitor, ".sb-article", |t| t.contains("בטוח")).await?;
    for (what, css) in [
        ("an img with onerror", "img[onerror]"),
        ("an img at x", "img[src='x']"),
        ("any element with onerror", "[onerror]"),
        ("a script in the article", ".sb-reader script"),
        ("a javascript: link", "a[href^='javascript:' i]"),
        ("a javascript: image", "img[src^='javascript:' i]"),
    ] {
        let found = visitor.find_all(Locator::Css(css)).await?;
        ensure!(found.is_empty(), "the article made {what}");
    }
    let scripts = visitor
        .execute("return document.scripts.length;", vec![])
        .await?;
    ensure!(scripts == 1, "only the widget's own boot script: {scripts}");
    let safe = article
        .find(Locator::Css("a[href='https://example.com/safe']"))
        .await?;
    ensure!(safe.attr("target").await?.as_deref() == Some("_blank"));
    ensure!(safe.attr("rel").await?.as_deref() == Some("noopener noreferrer"));
    ensure!(visitor.get_alert_text().await.is_err(), "no alert ran");

    ui::click(visitor, BACK).await?;
    ui::control(visitor, MESSAGE).await?;
    ensure!(visitor
        .find_all(Locator::Css(".sb-article"))
        .await?
        .is_empty());

    // Answered: thanked, and back on the result.
    ui::click(visitor, title).await?;
    ui::click(visitor, ANSWERED).await?;
    ui::wait_text(visitor, ".sb-found", |t| t == "תודה על המשוב!").await?;
    until(
        visitor,
        "focus is back on the result",
        "document.activeElement.classList.contains('sb-hit-title')",
    )
    .await?;
    feedback_counted(stage, &hostile, Feedback::Answered).await
}

/// Opens the Hebrew demo page and the chat in it.
async fn opens_hebrew_chat(client: &Client, base: &str) -> anyhow::Result<()> {
    client.goto(&format!("{base}/demo?lang=he")).await?;
    ui::launcher(client).await?.click().await?;
    ui::enter_widget(client).await?;
    ui::control(client, MESSAGE).await?;
    Ok(())
}

async fn visible(client: &Client, css: &str) -> anyhow::Result<bool> {
    Ok(client.find(Locator::Css(css)).await?.is_displayed().await?)
}

/// Polls the expression `js` until it is true.
async fn until(client: &Client, what: &str, js: &str) -> anyhow::Result<()> {
    let probe = format!("return !!({js});");
    let deadline = Instant::now() + ui::UI_WAIT;
    while Instant::now() < deadline {
        if client.execute(&probe, vec![]).await? == serde_json::Value::Bool(true) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("never true: {what}")
}

/// Waits until the relay has counted one `feedback` on `article` today.
async fn feedback_counted(
    stage: &Stage,
    article: &shared::knowledge::Article,
    feedback: Feedback,
) -> anyhow::Result<()> {
    let store = stage.relay.store();
    let deadline = Instant::now() + ui::UI_WAIT;
    loop {
        let counts = store.feedback_counts(&"demo".into()).await?;
        let ours: Vec<_> = counts.iter().filter(|c| c.article == article.id).collect();
        if !ours.is_empty() {
            ensure!(
                ours.len() == 1 && ours[0].feedback == feedback && ours[0].count == 1,
                "{ours:?}"
            );
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("no feedback counted for {}", article.id);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until a waiting conversation holds `text`.
async fn message_stored(stage: &Stage, text: &str) -> anyhow::Result<()> {
    let store = stage.relay.store();
    let deadline = Instant::now() + ui::UI_WAIT;
    loop {
        for conversation in store.waiting().await? {
            ensure!(conversation.status == ConversationStatus::Waiting);
            let messages = store.messages_after(&conversation.id, 0, 10).await?;
            if messages.iter().any(|m| m.text == text) {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            bail!("the relay never stored {text:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
