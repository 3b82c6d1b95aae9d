//! Several `switchboard` processes on one Redis serve one set of sites and
//! agents: a visitor on one node and an agent on another chat as if on one
//! relay (queue position, assignment, typing, messages); agent presence is
//! right across nodes and runs out when a node dies holding it; racing
//! nodes never assign a conversation twice or an agent over capacity.

use std::time::Duration;

use anyhow::Context;
use e2e::client::Client;
use e2e::cluster::Cluster;
use e2e::cluster_clients::{admin_on, routable_agent, visitor_on};
use relay::store::Store;
use shared::{AgentId, ConversationStatus, Presence, Role, ServerFrame, VisitorFrame};
use tokio::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitor_and_agent_on_different_nodes_chat_normally() -> anyhow::Result<()> {
    let cluster = Cluster::start("cross_node", 2, false).await?;
    let mut visitor = visitor_on(&cluster, 0).await?;
    let conversation = visitor.conversation.id.clone();
    // Nobody online yet: the visitor is told its place in the queue.
    let position = visitor
        .client
        .recv_until(|f| matches!(f, ServerFrame::QueuePosition { .. }))
        .await?;
    assert!(matches!(
        position,
        ServerFrame::QueuePosition { position: 1, .. }
    ));

    let (mut agent, session) = admin_on(&cluster, 1).await?;
    let assigned = agent.assigned().await?;
    assert_eq!(assigned.id, conversation);
    visitor
        .client
        .recv_until(|f| matches!(f, ServerFrame::Conversation(c) if c.status == ConversationStatus::Assigned))
        .await?;

    visitor
        .client
        .send(&VisitorFrame::Typing {
            conversation: conversation.clone(),
            typing: true,
        })
        .await?;
    agent
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Typing {
                    role: Role::Visitor,
                    typing: true,
                    ..
                }
            )
        })
        .await?;

    let seq = visitor
        .client
        .visitor_say(&conversation, "v-1", "hello from node 0")
        .await?;
    assert_eq!(
        agent.message(&conversation, seq).await?,
        "hello from node 0"
    );
    let seq = agent
        .agent_say(&conversation, "a-1", "hello from node 1")
        .await?;
    assert_eq!(
        visitor.client.message(&conversation, seq).await?,
        "hello from node 1"
    );

    // The same agent on both nodes: closing one socket keeps it online.
    let store = cluster.store().await?;
    let admin = store
        .agent_by_email(e2e::cluster::ADMIN_EMAIL)
        .await?
        .context("admin")?;
    let mut second = Client::agent(cluster.addr(0)).await?;
    second
        .send(&shared::AgentFrame::Hello {
            protocol: shared::PROTOCOL_VERSION,
            auth: shared::AgentAuth::Session { token: session },
            resume: vec![],
        })
        .await?;
    second
        .recv_until(|f| matches!(f, ServerFrame::AgentWelcome { .. }))
        .await?;
    wait_for_leases(&cluster, &admin.id, 2).await?;
    agent.close().await;
    // The marker: node 1 has let go of its lease, in the same script that
    // would have set the agent offline had no other node held one.
    wait_for_leases(&cluster, &admin.id, 1).await?;
    assert_eq!(
        store.agent_status(&admin.id).await?.presence,
        Presence::Online
    );
    second.close().await;
    wait_for_presence(&store, &admin.id, Presence::Offline, Duration::from_secs(5)).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_held_by_a_dead_node_goes_offline() -> anyhow::Result<()> {
    let mut cluster = Cluster::start("dead_node_presence", 2, false).await?;
    let (_agent, _) = admin_on(&cluster, 1).await?;
    let store = cluster.store().await?;
    let admin = store
        .agent_by_email(e2e::cluster::ADMIN_EMAIL)
        .await?
        .context("admin")?;
    assert_eq!(
        store.agent_status(&admin.id).await?.presence,
        Presence::Online
    );
    let killed = Instant::now();
    cluster.kill(1);
    // Lease 15 s, swept every 5 s by the surviving node.
    wait_for_presence(
        &store,
        &admin.id,
        Presence::Offline,
        Duration::from_secs(30),
    )
    .await?;
    eprintln!("dead node's agent offline after {:?}", killed.elapsed());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_nodes_never_double_assign_or_overfill() -> anyhow::Result<()> {
    const NODES: usize = 3;
    const AGENTS: usize = 3;
    const CAPACITY: usize = 3;
    const VISITORS: usize = 30;
    let cluster = Cluster::start("racing_nodes", NODES, false).await?;
    let store = cluster.store().await?;
    let mut agents = Vec::new();
    for n in 0..AGENTS {
        agents.push(routable_agent(&store, &format!("a_race{n}"), CAPACITY as u32).await?);
    }
    // Every visitor starts at once, spread over the nodes.
    let starts = (0..VISITORS).map(|i| visitor_on(&cluster, i % NODES));
    let mut visitors = futures_util::future::try_join_all(starts).await?;
    let full = AGENTS * CAPACITY;
    settle(&store, &agents, CAPACITY, full, VISITORS - full).await?;

    // Close some assigned conversations at once from several nodes: the
    // freed places are filled, again without overfilling anyone.
    let mut closes = Vec::new();
    for visitor in &mut visitors {
        let current = store
            .conversation(&visitor.conversation.id)
            .await?
            .context("conversation")?;
        if current.status == ConversationStatus::Assigned && closes.len() < 6 {
            closes.push(visitor.conversation.id.clone());
            visitor
                .client
                .send(&VisitorFrame::Close {
                    conversation: current.id.clone(),
                })
                .await?;
        }
    }
    settle(
        &store,
        &agents,
        CAPACITY,
        full,
        VISITORS - full - closes.len(),
    )
    .await?;
    Ok(())
}

/// Waits until `assigned` conversations are assigned and `waiting` wait,
/// checking every agent's load against its capacity and that no
/// conversation is in two agents' sets.
async fn settle(
    store: &dyn Store,
    agents: &[AgentId],
    capacity: usize,
    assigned: usize,
    waiting: usize,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let mut seen = std::collections::HashSet::new();
        let mut total = 0;
        for agent in agents {
            let open = store.agent_conversations(agent).await?;
            assert!(
                open.len() <= capacity,
                "{agent} over capacity: {}",
                open.len()
            );
            for c in open {
                assert_eq!(c.agent.as_ref(), Some(agent), "{} in the wrong set", c.id);
                assert!(seen.insert(c.id.clone()), "{} assigned twice", c.id);
                total += 1;
            }
        }
        let queue = store.waiting().await?.len();
        if total == assigned && queue == waiting {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "routing did not settle: {total} assigned (want {assigned}), {queue} waiting (want {waiting})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_presence(
    store: &dyn Store,
    agent: &AgentId,
    want: Presence,
    within: Duration,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + within;
    while store.agent_status(agent).await?.presence != want {
        anyhow::ensure!(
            Instant::now() < deadline,
            "{agent} not {want:?} within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Waits (up to 10 s) until `nodes` nodes hold a presence lease on `agent`
/// (see `relay::store::redis::presence`).
async fn wait_for_leases(cluster: &Cluster, agent: &AgentId, nodes: usize) -> anyhow::Result<()> {
    let key = format!("{}agent:{agent}:leases", cluster.prefix);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let held: usize = cluster.redis.cli(&["ZCARD", &key])?.trim().parse()?;
        if held == nodes {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "{held} nodes hold {agent}'s lease, not {nodes}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
