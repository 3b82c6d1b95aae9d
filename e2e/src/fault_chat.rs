//! The conversation the fault tests run: a visitor and an agent on chosen
//! nodes of a [`Cluster`], each writing 10 messages a second while
//! something breaks, and the figures of what came through. Here once so
//! every fault test (`faults.rs`, `redis_sentinel.rs`, `redis_cluster.rs`)
//! chats and counts the same way.

use std::time::Duration;

use relay::store::Store;
use shared::ConversationId;
use tokio::time::Instant;

use crate::chatter::{Chatter, Who};
use crate::cluster::Cluster;
use crate::cluster_clients::{admin_on, visitor_on};
use crate::fault_report::Figures;

/// 10 messages per second each way, as the issue asks.
const EVERY: Duration = Duration::from_millis(100);
/// How long a scenario may take to reach the end state before it fails.
const SCENARIO_LIMIT: Duration = Duration::from_secs(45);

/// A visitor on `visitor_node` and the admin on `agent_node`, assigned to
/// each other, as chatters.
pub async fn pair(
    cluster: &Cluster,
    visitor_node: usize,
    agent_node: usize,
) -> anyhow::Result<(Chatter, Chatter, ConversationId)> {
    let (mut agent, session) = admin_on(cluster, agent_node).await?;
    let visitor = visitor_on(cluster, visitor_node).await?;
    let conversation = visitor.conversation.id.clone();
    agent.assigned().await?;
    let v = Chatter::new(
        "v",
        Who::Visitor {
            token: visitor.token,
        },
        visitor.client,
        cluster.addrs(),
        visitor_node,
        cluster.origin(),
        conversation.clone(),
    );
    let a = Chatter::new(
        "a",
        Who::Agent { session },
        agent,
        cluster.addrs(),
        agent_node,
        cluster.origin(),
        conversation.clone(),
    );
    Ok((v, a, conversation))
}

/// Both chatters write `count` messages each, concurrently; returns them
/// once both show all `2 * count`.
pub async fn converse(v: Chatter, a: Chatter, count: usize) -> anyhow::Result<(Chatter, Chatter)> {
    let deadline = Instant::now() + SCENARIO_LIMIT;
    let run = |mut c: Chatter| {
        tokio::spawn(async move {
            c.chat(count, EVERY, 2 * count, deadline).await;
            c
        })
    };
    let (v, a) = tokio::join!(run(v), run(a));
    Ok((v?, a?))
}

/// What each side showed and had acknowledged, against what the store
/// holds of `conversation`.
pub async fn figures(
    scenario: &str,
    cluster: &Cluster,
    conversation: &ConversationId,
    sides: &[&Chatter],
) -> anyhow::Result<Figures> {
    let stored = cluster
        .store()
        .await?
        .messages_after(conversation, 0, 10_000)
        .await?;
    let mut figures = Figures::new(scenario);
    figures.add_conversation(sides, &stored);
    for side in sides {
        figures.notes.push(format!(
            "{}: {} gaps seen on a live socket, {} unavailable refusals",
            side.name, side.gaps, side.refusals
        ));
    }
    Ok(figures)
}
