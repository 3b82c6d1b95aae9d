//! Issue 4's fault tests (a)–(d), with real `switchboard` processes on one
//! real Redis over loopback: a node killed mid-conversation, Redis
//! restarted, the pub/sub connections killed, one client message id sent
//! through two nodes at once. Each asserts the promise (every message
//! exactly once, in order, on both screens and in the store) and reports
//! its figures to `target/e2e/faults/` (see `e2e::fault_report`).

use std::time::Duration;

use e2e::client::Client;
use e2e::cluster::Cluster;
use e2e::cluster_clients::visitor_on;
use e2e::fault_chat::{converse, figures, pair};
use e2e::fault_report::Figures;
use e2e::http_get;
use relay::store::Store;
use shared::{ClientMsgId, VisitorFrame};
use tokio::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_the_visitors_node_mid_conversation() -> anyhow::Result<()> {
    let mut cluster = Cluster::start("fault_a", 3, false).await?;
    let (v, a, conversation) = pair(&cluster, 0, 1).await?;
    let chat = tokio::spawn(converse(v, a, 40));
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.kill(0);
    let (v, a) = chat.await??;
    let figures = figures("a_kill_node", &cluster, &conversation, &[&v, &a]).await?;
    figures.assert_exactly_once();
    assert_eq!(v.reconnects.len(), 1, "the visitor reconnects once");
    assert!(
        v.reconnects[0] < Duration::from_secs(5),
        "reconnect took {:?}",
        v.reconnects[0]
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_restart_redis_during_traffic() -> anyhow::Result<()> {
    let mut cluster = Cluster::start("fault_b", 2, true).await?;
    let (v, a, conversation) = pair(&cluster, 0, 1).await?;
    let chat = tokio::spawn(converse(v, a, 50));
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.redis.stop();
    let node = cluster.addr(0);
    let (status, _) = http_get::get(node, "/readyz").await?;
    assert_eq!(status, 503, "/readyz while Redis is down");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    cluster.redis.restart()?;
    let back = Instant::now();
    let ready = wait_ready(node).await?;
    let (v, a) = chat.await??;
    let mut figures = figures("b_redis_restart", &cluster, &conversation, &[&v, &a]).await?;
    let first_ack = [&v, &a]
        .iter()
        .filter_map(|c| c.acked_at.iter().find(|t| **t > back).copied())
        .min()
        .map(|t| t - back);
    figures.notes.push(catch_ups(&cluster));
    figures.notes.push(format!(
        "after Redis returned: /readyz ready in {ready:?}, first ack in {first_ack:?}"
    ));
    figures.assert_exactly_once();
    assert!(
        v.refusals + a.refusals > 0,
        "sends during the outage were refused"
    );
    let resumed = first_ack.expect("acks after the outage");
    assert!(
        resumed < Duration::from_secs(5),
        "resumed after {resumed:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_pubsub_connections_killed_for_two_seconds() -> anyhow::Result<()> {
    let cluster = Cluster::start("fault_c", 2, false).await?;
    let (v, a, conversation) = pair(&cluster, 0, 1).await?;
    // 3 s of traffic; the kills run from 1.5 s to 3.5 s, so the last
    // messages' events are lost with nothing after them to reveal the gap.
    let chat = tokio::spawn(converse(v, a, 30));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let until = Instant::now() + Duration::from_secs(2);
    let mut kills = 0;
    while Instant::now() < until {
        let out = cluster.redis.cli(&["CLIENT", "KILL", "TYPE", "pubsub"])?;
        kills += out.trim().parse::<u32>().unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (v, a) = chat.await??;
    let mut figures = figures("c_pubsub_kill", &cluster, &conversation, &[&v, &a]).await?;
    figures
        .notes
        .push(format!("{kills} pub/sub connections killed"));
    figures.notes.push(catch_ups(&cluster));
    figures.assert_exactly_once();
    assert!(kills > 0, "no pub/sub connection was killed");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn d_one_message_id_through_two_nodes_at_once() -> anyhow::Result<()> {
    const MESSAGES: usize = 50;
    let cluster = Cluster::start("fault_d", 2, false).await?;
    let visitor = visitor_on(&cluster, 0).await?;
    let conversation = visitor.conversation.id.clone();
    let mut first = visitor.client;
    let mut second = Client::visitor(cluster.addr(1), "demo", Some(&cluster.origin())).await?;
    second.visitor_hello(Some(&visitor.token), vec![]).await?;
    let mut conflicts = 0;
    for n in 1..=MESSAGES {
        let id = format!("v-{n}");
        let send = VisitorFrame::Send {
            conversation: conversation.clone(),
            client_msg_id: ClientMsgId::from(id.as_str()),
            text: format!("twice {n}"),
        };
        let (x, y) = tokio::join!(
            async {
                first.send(&send).await?;
                first.ack_for(&id).await
            },
            async {
                second.send(&send).await?;
                second.ack_for(&id).await
            }
        );
        if x? != y? {
            conflicts += 1;
        }
    }
    let stored = cluster
        .store()
        .await?
        .messages_after(&conversation, 0, 10_000)
        .await?;
    let mut figures = Figures::new("d_same_id_two_nodes");
    figures.sent = MESSAGES;
    figures.delivered = stored.len();
    let mut ids: Vec<&str> = stored.iter().map(|m| m.client_msg_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    figures.duplicated = stored.len() - ids.len() + conflicts;
    figures.lost = MESSAGES - ids.len();
    figures.notes.push(format!(
        "{MESSAGES} ids each sent through both nodes at once; {conflicts} ack pairs disagreed"
    ));
    figures.assert_exactly_once();
    assert_eq!(stored.len(), MESSAGES);
    Ok(())
}

/// How often the nodes' catch-up pass found events the bus had lost.
fn catch_ups(cluster: &Cluster) -> String {
    let found: usize = (0..cluster.addrs().len())
        .map(|n| {
            cluster
                .log(n)
                .matches("catch-up found events the bus lost")
                .count()
        })
        .sum();
    format!("catch-up passes that filled lost events: {found}")
}

/// How long until `/readyz` answers 200.
async fn wait_ready(node: std::net::SocketAddr) -> anyhow::Result<Duration> {
    let start = Instant::now();
    loop {
        if let Ok((200, _)) = http_get::get(node, "/readyz").await {
            return Ok(start.elapsed());
        }
        anyhow::ensure!(start.elapsed() < Duration::from_secs(10), "never ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
