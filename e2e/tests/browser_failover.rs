//! Issue 4's fault test (f), in a real browser: a visitor chats in headless
//! Chromium through a load balancer (a loopback proxy) in front of two
//! nodes; the node holding the widget's socket is killed (SIGKILL) and the
//! balancer sends new connections to the other. The widget must reconnect
//! by itself, deliver what was typed meanwhile, show the reply it missed,
//! and end with the transcript the store holds, each message once.
//!
//! And the Redis outage as a visitor sees it: a message sent while Redis is
//! down is refused (`unavailable`, never acked), stays in the widget's
//! outbox under a calm "Reconnecting…", and goes out once Redis is back.

use std::time::Duration;

use e2e::browser::{with_screenshots, Chrome};
use e2e::cluster::Cluster;
use e2e::cluster_clients::admin_on;
use e2e::fault_report::Figures;
use e2e::proxy::Proxy;
use e2e::ui;
use relay::store::Store;
use tokio::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f_widget_survives_its_node_being_killed() -> anyhow::Result<()> {
    let balancer = Proxy::bind().await?;
    let mut cluster = Cluster::start_with("fault_f", 2, false, Some(balancer.url())).await?;
    balancer.forward_to(cluster.addr(0));
    let (mut agent, _) = admin_on(&cluster, 1).await?;
    let chrome = Chrome::start().await?;
    let visitor = chrome.session("visitor", 420, 720).await?;
    let page = &visitor.client;

    let outcome = async {
        ui::visitor_opens_chat(page, &balancer.url(), None).await?;
        ui::visitor_sends(page, "before the crash").await?;
        let conversation = agent.assigned().await?.id;
        agent.agent_say(&conversation, "r1", "first reply").await?;
        ui::visitor_sees(page, "first reply").await?;

        cluster.kill(0);
        let killed = Instant::now();
        balancer.forward_to(cluster.addr(1));
        // Typed while the widget has no relay: kept in its outbox.
        ui::visitor_sends(page, "typed during the failover").await?;
        agent
            .agent_say(&conversation, "r2", "reply while you were away")
            .await?;
        ui::visitor_sees(page, "reply while you were away").await?;
        let reply_shown = killed.elapsed();
        ui::visitor_sees(page, "typed during the failover").await?;
        // The screen must settle on exactly what the store holds.
        // All four stored (the agent's socket may have passed the
        // visitor's last message while waiting for its own ack).
        let store = cluster.store().await?;
        let deadline = Instant::now() + ui::UI_WAIT;
        let stored = loop {
            let stored = store.messages_after(&conversation, 0, 100).await?;
            if stored.len() >= 4 || Instant::now() > deadline {
                break stored;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let want: Vec<String> = stored.iter().map(|m| m.text.clone()).collect();
        let deadline = Instant::now() + ui::UI_WAIT;
        let shown = loop {
            let (shown, sending) = ui::visitor_transcript(page).await?;
            if (shown == want && !sending) || Instant::now() > deadline {
                break shown;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let mut figures = Figures::new("f_browser_failover");
        figures.sent = 4;
        figures.delivered = shown.iter().filter(|t| want.contains(t)).count();
        figures.duplicated = shown.len().saturating_sub(figures.delivered)
            + want.len().saturating_sub(dedup_len(&want));
        figures.lost = want.iter().filter(|t| !shown.contains(t)).count() + (4 - want.len().min(4));
        figures.reconnects.push(reply_shown);
        figures.notes.push(format!(
            "the missed reply was on screen {reply_shown:?} after the kill (reconnect + resume)"
        ));
        figures.notes.push(format!("screen: {shown:?}"));
        figures.assert_exactly_once();
        assert_eq!(shown, want, "the screen shows the stored transcript");
        assert!(
            reply_shown < Duration::from_secs(10),
            "took {reply_shown:?}"
        );
        anyhow::Ok(())
    }
    .await;
    let result = with_screenshots("browser_failover", &[&visitor], outcome).await;
    visitor.close().await;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_waits_out_a_redis_outage() -> anyhow::Result<()> {
    let mut cluster = Cluster::start("redis_outage_widget", 1, true).await?;
    let base = format!("http://{}", cluster.addr(0));
    let (mut agent, _) = admin_on(&cluster, 0).await?;
    let chrome = Chrome::start().await?;
    let visitor = chrome.session("visitor", 420, 720).await?;
    let page = &visitor.client;

    let outcome = async {
        ui::visitor_opens_chat(page, &base, None).await?;
        ui::visitor_sends(page, "before the outage").await?;
        let conversation = agent.assigned().await?.id;
        agent.message(&conversation, 1).await?;

        cluster.redis.stop();
        ui::visitor_sends(page, "sent while Redis is down").await?;
        ui::wait_text(page, ".sb-link", |t| t.contains("Reconnecting")).await?;
        let (_, sending) = ui::visitor_transcript(page).await?;
        assert!(sending, "the refused message waits in the outbox");
        let (status, _) = e2e::http_get::get(cluster.addr(0), "/readyz").await?;
        assert_eq!(status, 503, "/readyz while Redis is down");

        cluster.redis.restart()?;
        let back = Instant::now();
        let text = agent.message(&conversation, 2).await?;
        let delivered = back.elapsed();
        assert_eq!(text, "sent while Redis is down");
        let deadline = Instant::now() + ui::UI_WAIT;
        loop {
            let (shown, sending) = ui::visitor_transcript(page).await?;
            let link = page
                .find(fantoccini::Locator::Css(".sb-link"))
                .await?
                .text()
                .await?;
            if !sending && link.trim().is_empty() {
                assert_eq!(shown, ["before the outage", "sent while Redis is down"]);
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "still {shown:?} / {link:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let settled = back.elapsed();
        let stored = cluster
            .store()
            .await?
            .messages_after(&conversation, 0, 100)
            .await?;
        let mut figures = Figures::new("redis_outage_widget");
        figures.sent = 2;
        figures.delivered = stored.len();
        figures.lost = 2 - stored.len().min(2);
        figures.duplicated = stored.len().saturating_sub(2);
        figures.notes.push(format!(
            "after Redis returned: the agent had the message in {delivered:?}, the widget settled in {settled:?}"
        ));
        figures.assert_exactly_once();
        assert!(delivered < Duration::from_secs(5), "resumed after {delivered:?}");
        anyhow::Ok(())
    }
    .await;
    let result = with_screenshots("redis_outage_widget", &[&visitor], outcome).await;
    visitor.close().await;
    result
}

fn dedup_len(texts: &[String]) -> usize {
    let mut unique = texts.to_vec();
    unique.sort();
    unique.dedup();
    unique.len()
}
