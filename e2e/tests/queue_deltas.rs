//! Queue changes reach agents as deltas, over real sockets on both
//! stores: with many agents and a long queue, sending everyone the whole
//! queue on every change costs agents × queue per change. A small queue
//! (or a change bigger than it) is sent whole.

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::{ConversationId, ServerFrame, VisitorFrame};

both_backends!(queue_changes_reach_agents_as_deltas);

/// The next queue frame the agent gets.
async fn next_queue_frame(agent: &mut Client) -> anyhow::Result<ServerFrame> {
    agent
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Queue { .. } | ServerFrame::QueueDelta { .. }
            )
        })
        .await
}

async fn waiting_visitor(relay: &TestRelay) -> anyhow::Result<(Client, ConversationId)> {
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let conversation = visitor.start().await?.id;
    Ok((visitor, conversation))
}

async fn queue_changes_reach_agents_as_deltas(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    // Signed in but not online: everything stays in the queue.
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;

    let (mut first, c1) = waiting_visitor(&relay).await?;
    match next_queue_frame(&mut agent).await? {
        ServerFrame::Queue { waiting } => assert_eq!(waiting.len(), 1, "small: whole"),
        other => anyhow::bail!("expected the whole queue, got {other:?}"),
    }
    let (_second, c2) = waiting_visitor(&relay).await?;
    let (_third, c3) = waiting_visitor(&relay).await?;
    for joined in [&c2, &c3] {
        match next_queue_frame(&mut agent).await? {
            ServerFrame::QueueDelta { added, removed } => {
                let ids: Vec<&ConversationId> = added.iter().map(|c| &c.id).collect();
                assert_eq!(ids, [joined]);
                assert!(removed.is_empty());
            }
            other => anyhow::bail!("expected a delta, got {other:?}"),
        }
    }
    first
        .send(&VisitorFrame::Close {
            conversation: c1.clone(),
        })
        .await?;
    match next_queue_frame(&mut agent).await? {
        ServerFrame::QueueDelta { added, removed } => {
            assert!(added.is_empty());
            assert_eq!(removed, [c1]);
        }
        other => anyhow::bail!("expected a delta, got {other:?}"),
    }
    relay.stop().await;
    Ok(())
}
