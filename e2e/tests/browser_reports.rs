//! The reports page in a real browser: conversations happen over sockets,
//! the admin opens Reports from the top bar and sees them counted (the
//! overview, the heat map's cell for this hour), downloads tables as CSV
//! and finds the same numbers in the files as on the screen, watches the
//! live view change as a visitor starts waiting, and picks business hours
//! and custom dates. The page is saved
//! as `/tmp/reports-page.png` for a person to look at.

use std::time::Duration;

use anyhow::{bail, Context};
use e2e::browser_tests;
use e2e::client::Client;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::stage::Stage;
use e2e::ui::{self, UI_WAIT};
use fantoccini::{Client as Browser, Locator};
use serde_json::Value;
use shared::{ConversationStatus, Presence, ServerFrame};
use tokio::time::Instant;

browser_tests!(the_admin_reads_the_report_and_downloads_matching_csv);

const HOUR_MS: u64 = 3_600_000;
/// Conversations answered, then one left waiting.
const ANSWERED: usize = 3;

async fn the_admin_reads_the_report_and_downloads_matching_csv(
    stage: &Stage,
) -> anyhow::Result<()> {
    let page = &stage.agent.client;
    ui::agent_signs_in(page, &stage.base(), ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    page.find(Locator::Css("[data-testid='reports-entry']"))
        .await?
        .click()
        .await?;
    // Nobody waits yet; the admin is online with free slots.
    live_shows(page, "live-waiting", "0").await?;
    live_shows(page, "live-online", "1").await?;

    let addr = stage.relay.addr();
    let mut admin = Client::agent(addr).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    let hour_before = relay::now_ms() / HOUR_MS;
    let mut visitors = Vec::new();
    for i in 0..ANSWERED {
        let mut visitor = Client::demo_visitor(addr).await?;
        visitor.visitor_hello(None, vec![]).await?;
        let conv = visitor.start().await?;
        visitor
            .visitor_say(&conv.id, &format!("q{i}"), "hello")
            .await?;
        let id = conv.id.clone();
        admin
            .recv_until(|f| {
                matches!(f, ServerFrame::Conversation(c)
                    if c.id == id && c.status == ConversationStatus::Assigned)
            })
            .await?;
        admin
            .agent_say(&conv.id, &format!("a{i}"), "hi there")
            .await?;
        visitors.push(visitor);
    }
    // The admin steps away: the next visitor waits, and the live view says so.
    admin.set_presence(Presence::Away).await?;
    let mut waiting = Client::demo_visitor(addr).await?;
    waiting.visitor_hello(None, vec![]).await?;
    let conv = waiting.start().await?;
    waiting.visitor_say(&conv.id, "q-wait", "anyone?").await?;
    let hour_after = relay::now_ms() / HOUR_MS;
    live_shows(page, "live-waiting", "1").await?;
    live_shows(page, "live-away", "1").await?;
    live_shows(page, "live-online", "0").await?;

    ui::click(page, "Show report").await?;
    let total = (ANSWERED + 1).to_string();
    let card = "[data-testid='card-conversations'] [data-testid='value']";
    ui::wait_text(page, card, |t| t == total).await?;
    let period =
        ui::wait_text(page, "[data-testid='report-period']", |t| t.contains("UTC")).await?;
    assert!(period.contains("UTC"), "{period}");

    // The heat map counts every conversation in this hour's cell (or, if
    // the hour turned meanwhile, in the two cells around it).
    page.find(Locator::Css("[data-testid='chart-heat-map'] button.link"))
        .await?
        .click()
        .await?;
    let mut in_hours = 0;
    for hour in hour_before..=hour_after {
        let (weekday, h) = weekday_hour(hour);
        let cell = format!(
            "[data-testid='table-heat-map'] tr[data-row='{weekday}'] td[data-col='{}']",
            h + 1
        );
        let shown: u64 = ui::wait_text(page, &cell, |_| true).await?.trim().parse()?;
        let rect = format!("rect[data-weekday='{weekday}'][data-hour='{h}']");
        let drawn = page
            .find(Locator::Css(&rect))
            .await?
            .attr("data-count")
            .await?;
        assert_eq!(
            drawn,
            Some(shown.to_string()),
            "chart and table differ at {rect}"
        );
        in_hours += shown;
    }
    assert_eq!(in_hours, (ANSWERED + 1) as u64);

    capture_downloads(page).await?;
    for slug in ["overview", "heat-map", "agents", "first-response"] {
        let csv = download(page, slug).await?;
        let screen = table_on_screen(page, slug).await?;
        assert_eq!(
            parse_csv(&csv),
            screen,
            "the {slug} CSV differs from the page"
        );
    }
    let overview = parse_csv(&download(page, "overview").await?);
    assert_eq!(overview[1][0], "Conversations");
    assert_eq!(overview[1][1], total);

    page.execute(
        "document.getElementById('reports-panel').scrollTo(0, 0); return true;",
        vec![],
    )
    .await?;
    let png = page.screenshot().await?;
    std::fs::write("/tmp/reports-page.png", png)?;
    other_periods(page, card, &total).await?;
    drop(visitors);
    Ok(())
}

/// The business-hours toggle and custom dates: the demo site has no
/// hours, so counts stay and the page says which durations it shows; two
/// days ago holds none of these conversations; a first day after the last
/// is refused on the page.
async fn other_periods(page: &Browser, card: &str, total: &str) -> anyhow::Result<()> {
    let business =
        "//label[contains(normalize-space(), 'Business hours only')]//input[@type='checkbox']";
    page.find(Locator::XPath(business)).await?.click().await?;
    ui::click(page, "Show report").await?;
    ui::wait_text(page, "[data-testid='report-period']", |t| {
        t.contains("Durations count business hours only.")
    })
    .await?;
    ui::wait_text(page, card, |t| t == total).await?;

    let day_ago = |days: u64| {
        format!("return new Date(Date.now() - {days} * 86400000).toISOString().slice(0, 10);")
    };
    let past = page.execute(&day_ago(2), vec![]).await?;
    let past = past.as_str().context("a date")?.to_owned();
    let today = page.execute(&day_ago(0), vec![]).await?;
    let today = today.as_str().context("a date")?.to_owned();
    page.find(Locator::Css("#report-period"))
        .await?
        .select_by_value("custom")
        .await?;
    set_date(page, "report-first-day", &past).await?;
    set_date(page, "report-last-day", &past).await?;
    ui::click(page, "Show report").await?;
    ui::wait_text(page, "[data-testid='report-period']", |t| t.contains(&past)).await?;
    ui::wait_text(page, card, |t| t == "0").await?;

    set_date(page, "report-first-day", &today).await?;
    ui::click(page, "Show report").await?;
    ui::wait_text(page, ".report-picker [role='alert']", |t| {
        t.contains("Pick a first day on or before the last day.")
    })
    .await?;
    Ok(())
}

/// Sets a date input as a person picking a day would (its `input` event).
async fn set_date(page: &Browser, id: &str, day: &str) -> anyhow::Result<()> {
    page.execute(
        "const e = document.getElementById(arguments[0]);
         e.value = arguments[1];
         e.dispatchEvent(new Event('input', { bubbles: true }));
         return true;",
        vec![Value::from(id), Value::from(day)],
    )
    .await?;
    Ok(())
}

/// Waits for the live view's figure `testid` to read `value`.
async fn live_shows(page: &Browser, testid: &str, value: &str) -> anyhow::Result<()> {
    let css = format!("[data-testid='{testid}'] dd");
    ui::wait_text(page, &css, |t| t.trim() == value)
        .await
        .with_context(|| format!("live view {testid} never showed {value}"))?;
    Ok(())
}

/// Monday = 0 and the hour of day, in UTC (the demo site has no hours,
/// so its reports are in UTC), of the hour `hour` since the epoch.
fn weekday_hour(hour: u64) -> (u64, u64) {
    // 1970-01-01 was a Thursday (Monday = 0 makes it 3).
    ((hour / 24 + 3) % 7, hour % 24)
}

/// Remembers each file the page offers through an `a download` link,
/// with the Blob behind its URL (the console's CSP rightly keeps `fetch`
/// away from `blob:` URLs, so the test reads the Blob itself).
async fn capture_downloads(page: &Browser) -> anyhow::Result<()> {
    page.execute(
        "window.__downloads = [];
         window.__blobs = {};
         const make = URL.createObjectURL;
         URL.createObjectURL = function (blob) {
           const url = make.call(URL, blob);
           window.__blobs[url] = blob;
           return url;
         };
         const click = HTMLAnchorElement.prototype.click;
         HTMLAnchorElement.prototype.click = function () {
           if (this.download) { window.__downloads.push({ name: this.download, href: this.href }); }
           return click.call(this);
         };
         return true;",
        vec![],
    )
    .await?;
    Ok(())
}

/// Clicks the table's "Download CSV" and reads the file it offered.
async fn download(page: &Browser, slug: &str) -> anyhow::Result<String> {
    let before = downloads(page).await?;
    let button = format!(
        "[data-testid='report-table-{slug}'] .download-csv, [data-testid='chart-{slug}'] .download-csv"
    );
    page.find(Locator::Css(&button)).await?.click().await?;
    let deadline = Instant::now() + UI_WAIT;
    while downloads(page).await? == before {
        if Instant::now() > deadline {
            bail!("no download for {slug}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let read = page
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const d = window.__downloads[window.__downloads.length - 1];
             window.__blobs[d.href].text()
               .then(text => done({ name: d.name, text }), e => done({ error: String(e) }));",
            vec![],
        )
        .await?;
    let name = read["name"]
        .as_str()
        .with_context(|| format!("no file read: {read}"))?;
    assert!(
        name.starts_with(&format!("report-{slug}-")) && name.ends_with(".csv"),
        "{name}"
    );
    Ok(read["text"].as_str().context("no file text")?.to_owned())
}

async fn downloads(page: &Browser) -> anyhow::Result<u64> {
    let n = page
        .execute("return window.__downloads.length;", vec![])
        .await?;
    n.as_u64().context("no download count")
}

/// The table's cells as the page shows them, header row first.
async fn table_on_screen(page: &Browser, slug: &str) -> anyhow::Result<Vec<Vec<String>>> {
    let rows = page
        .execute(
            "return Array.from(document.querySelectorAll(`[data-testid='table-${arguments[0]}'] tr`))
               .map(tr => Array.from(tr.children).map(c => c.textContent));",
            vec![Value::from(slug)],
        )
        .await?;
    Ok(serde_json::from_value(rows)?)
}

/// Reads RFC 4180 CSV (quoted cells, doubled quotes, CRLF lines).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}
