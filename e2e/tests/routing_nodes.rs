//! Routing across two relay processes on one Redis: both nodes sweep the
//! same queue, widen, and take back unanswered conversations at once.
//! Whatever the race, a conversation has at most one agent, no agent goes
//! over capacity.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use e2e::client::Client;
use e2e::cluster::Cluster;
use e2e::routing_setup::{set_routing, speaker};
use relay::store::Store;
use shared::{ConversationId, ServerFrame, VisitorFrame};
use tokio::time::Instant;

const VISITORS: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_nodes_reassign_without_double_assignment() -> anyhow::Result<()> {
    let cluster = Cluster::start("routing_nodes", 2, false).await?;
    let store = cluster.store().await?;
    set_routing(&store, |r| {
        r.widen_after_secs = 1;
        r.answer_within_secs = 1;
    })
    .await?;
    let capacity: HashMap<&str, usize> = [("fa1", 2), ("fa2", 1), ("en1", 2), ("en2", 1)].into();
    for (id, places) in &capacity {
        let language = if id.starts_with("fa") { "fa" } else { "en" };
        speaker(&store, id, u32::try_from(*places)?, &[language]).await?;
    }

    // Visitors on both nodes, half of them Persian: more than the six places.
    let mut visitors = Vec::new();
    let mut conversations = Vec::new();
    for i in 0..VISITORS {
        let mut visitor =
            Client::visitor(cluster.addr(i % 2), "demo", Some(&cluster.origin())).await?;
        visitor.visitor_hello(None, vec![]).await?;
        let language = if i % 2 == 0 { "fa" } else { "en" };
        visitor
            .send(&VisitorFrame::Start {
                details: None,
                topic: None,
                language: Some(language.into()),
                page_url: None,
            })
            .await?;
        if let ServerFrame::Conversation(c) = visitor
            .recv_until(|f| matches!(f, ServerFrame::Conversation(_)))
            .await?
        {
            conversations.push(c.id);
        }
        visitors.push(visitor);
    }

    // Nobody answers: for 6 s both nodes keep taking conversations back
    // and handing them on. Sample the store all along.
    let deadline = Instant::now() + Duration::from_secs(6);
    let mut samples = 0;
    while Instant::now() < deadline {
        check_capacity(&store, &capacity).await?;
        samples += 1;
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let mut returned = 0;
    for id in &conversations {
        let c = store.conversation(id).await?.expect("stored");
        returned += c.route.returned;
    }
    assert!(samples > 50, "only {samples} samples");
    assert!(
        returned >= 6,
        "conversations went back only {returned} times"
    );
    drop(visitors);
    Ok(())
}

/// No conversation held twice and nobody over capacity, at this instant.
async fn check_capacity(store: &dyn Store, capacity: &HashMap<&str, usize>) -> anyhow::Result<()> {
    let assigned = store.assigned_conversations().await?;
    let mut seen: HashSet<ConversationId> = HashSet::new();
    let mut load: HashMap<String, usize> = HashMap::new();
    for c in &assigned {
        anyhow::ensure!(seen.insert(c.id.clone()), "{} held twice", c.id);
        let agent = c.agent.as_ref().expect("assigned has an agent");
        *load.entry(agent.to_string()).or_default() += 1;
    }
    for (agent, open) in &load {
        let max = capacity.get(agent.as_str()).copied().unwrap_or(0);
        anyhow::ensure!(*open <= max, "{agent} holds {open} of {max}");
    }
    Ok(())
}
