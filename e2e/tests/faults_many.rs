//! Issue 4's fault test (e): one node restarted (SIGTERM, then started
//! again) with 1,000 visitors on it. Each visitor has a conversation and
//! one message in it; while its node goes down, an agent's reply lands in
//! the store; every visitor must be welcomed on a remaining node within
//! 10 s, be handed the reply it missed, send one more message, and end
//! with exactly the stored transcript. Its own test binary: it needs many
//! sockets and should not share the machine with the other fault tests.

use std::sync::Arc;
use std::time::Duration;

use e2e::chatter::{Chatter, Who};
use e2e::cluster::Cluster;
use e2e::cluster_clients::{routable_agent, visitor_on};
use e2e::fault_report::Figures;
use futures_util::{stream, StreamExt, TryStreamExt};
use relay::store::{NewMessage, Store};
use shared::{Author, ClientMsgId, Role};
use tokio::sync::Barrier;
use tokio::time::Instant;

const VISITORS: usize = 1_000;
/// The bound for everyone to be back.
const ALL_BACK_WITHIN: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e_restart_a_node_with_a_thousand_visitors() -> anyhow::Result<()> {
    raise_open_files_limit();
    let mut cluster = Cluster::start("fault_e", 3, false).await?;
    let store = cluster.store().await?;
    // Enough agents online that every conversation is assigned at once
    // (a 1,000-long queue would be a different test).
    for n in 0..10 {
        routable_agent(&store, &format!("a_many{n}"), 100).await?;
    }

    // Everyone on node 2, the one to restart; each says one thing.
    let victim = 2;
    let connect_start = Instant::now();
    let mut chatters: Vec<Chatter> = stream::iter(0..VISITORS)
        .map(|i| {
            let cluster = &cluster;
            async move {
                let visitor = visitor_on(cluster, victim).await?;
                // Fail over to node 0 or 1, half each.
                let nodes = vec![cluster.addr(victim), cluster.addr(i % 2)];
                let mut chatter = Chatter::new(
                    &format!("v{i}"),
                    Who::Visitor {
                        token: visitor.token,
                    },
                    visitor.client,
                    nodes,
                    0,
                    cluster.origin(),
                    visitor.conversation.id,
                );
                let deadline = Instant::now() + Duration::from_secs(60);
                chatter
                    .chat(1, Duration::from_millis(10), 1, deadline)
                    .await;
                anyhow::Ok(chatter)
            }
        })
        .buffer_unordered(50)
        .try_collect()
        .await?;
    eprintln!(
        "{VISITORS} visitors connected in {:?}",
        connect_start.elapsed()
    );

    // The replies each visitor will miss, stored before the node goes.
    for chatter in &chatters {
        store
            .append_message(&NewMessage {
                conversation: chatter.conversation().clone(),
                client_msg_id: ClientMsgId::from(format!("reply-{}", chatter.name).as_str()),
                author: Author {
                    role: Role::Agent,
                    agent: None,
                    name: Some("Agent".into()),
                },
                text: "a reply while your node restarts".into(),
                at_ms: relay::now_ms(),
                assignee: None,
                report: None,
            })
            .await?;
    }

    let barrier = Arc::new(Barrier::new(VISITORS + 1));
    let deadline = Instant::now() + Duration::from_secs(60);
    let tasks: Vec<_> = chatters
        .drain(..)
        .map(|mut chatter| {
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                chatter.until_lost(deadline).await;
                // m1, the missed reply, then m2 written after the restart.
                chatter
                    .chat(2, Duration::from_millis(10), 3, deadline)
                    .await;
                chatter
            })
        })
        .collect();
    barrier.wait().await;
    let down = Instant::now();
    cluster.terminate(victim).await?;
    eprintln!("node {victim} stopped in {:?}", down.elapsed());
    cluster.restart(victim).await?;
    let mut figures = Figures::new("e_restart_node_1000_visitors");
    let mut all_back = Duration::ZERO;
    let mut last_done = Duration::ZERO;
    for task in tasks {
        let chatter = task.await?;
        let stored = store.messages_after(chatter.conversation(), 0, 100).await?;
        figures.add_conversation(&[&chatter], &stored);
        if let Some(back) = chatter.welcomed_at.first() {
            all_back = all_back.max(*back - down);
        }
        last_done = last_done.max(down.elapsed());
    }
    let reconnected = figures.reconnects.len();
    figures.notes.push(format!(
        "{reconnected} of {VISITORS} visitors reconnected; the last was welcomed {all_back:?} after SIGTERM"
    ));
    figures.notes.push(format!(
        "all transcripts complete {last_done:?} after SIGTERM"
    ));
    figures.assert_exactly_once();
    assert_eq!(reconnected, VISITORS, "every visitor reconnected once");
    assert!(all_back < ALL_BACK_WITHIN, "all back after {all_back:?}");
    Ok(())
}

/// A thousand sockets here and a thousand on a node exceed the common
/// default of 1,024 descriptors: raise the soft limit to the hard one
/// (allowed without privileges); the relay processes inherit it.
fn raise_open_files_limit() {
    let hard = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(4).map(str::to_owned))
        });
    if let Some(hard) = hard {
        let status = std::process::Command::new("prlimit")
            .arg("--pid")
            .arg(std::process::id().to_string())
            .arg(format!("--nofile={hard}:{hard}"))
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("could not raise the open files limit; continuing with the current one");
        }
    }
}
