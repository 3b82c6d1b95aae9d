//! Floods that per-connection limits cannot stop, over real sockets on
//! both stores: every flood connection is new, so new visitors and
//! started conversations are limited per address and per site (settings);
//! a refusal is `rate_limited` with `retry_after_ms`, stores nothing, and
//! leaves returning visitors and other sites alone. A waiting conversation
//! whose visitor left is closed after a while, so the queue holds only
//! people who are there. The demo site can be switched off.

use e2e::both_backends;
use e2e::client::Client;
use e2e::http_get::fetch;
use e2e::relay_harness::{Backend, TestRelay};
use shared::{ErrorCode, ServerFrame, VisitorFrame};

both_backends!(
    new_visitors_are_limited_per_address,
    starts_are_limited_per_address_and_queue_nothing_more,
    new_visitors_are_limited_per_site,
    the_demo_can_be_switched_off,
    abandoned_waiting_conversations_leave_the_queue,
);

/// A token-less hello's answer: a welcome (with the new token) or the
/// wait it was refused with.
async fn new_visitor(relay: &TestRelay) -> anyhow::Result<Result<String, u64>> {
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.send_visitor_hello(None, vec![]).await?;
    Ok(match visitor.recv().await? {
        ServerFrame::Welcome { visitor_token, .. } => Ok(visitor_token),
        ServerFrame::Error {
            code: ErrorCode::RateLimited,
            retry_after_ms: Some(wait),
            ..
        } => Err(wait),
        other => anyhow::bail!("unexpected answer: {other:?}"),
    })
}

async fn new_visitors_are_limited_per_address(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| c.limits.new_visitors_per_address = 5).await?;
    let mut tokens = Vec::new();
    for _ in 0..5 {
        tokens.push(new_visitor(&relay).await?.expect("within the limit"));
    }
    let wait = new_visitor(&relay)
        .await?
        .expect_err("the sixth is refused");
    assert!(wait > 0 && wait <= 60_000, "{wait}");
    // A returning visitor is not new.
    let mut back = Client::demo_visitor(relay.addr()).await?;
    back.visitor_hello(Some(&tokens[0]), vec![]).await?;
    relay.stop().await;
    Ok(())
}

async fn starts_are_limited_per_address_and_queue_nothing_more(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| c.limits.starts_per_address = 3).await?;
    for _ in 0..3 {
        let mut visitor = Client::demo_visitor(relay.addr()).await?;
        visitor.visitor_hello(None, vec![]).await?;
        visitor.start().await?;
    }
    let mut fourth = Client::demo_visitor(relay.addr()).await?;
    fourth.visitor_hello(None, vec![]).await?;
    fourth.send(&VisitorFrame::start(None)).await?;
    assert_eq!(fourth.recv_error().await?, ErrorCode::RateLimited);
    assert_eq!(
        relay.store().waiting().await?.len(),
        3,
        "nothing more queued"
    );
    relay.stop().await;
    Ok(())
}

async fn new_visitors_are_limited_per_site(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| c.limits.new_visitors_per_site = 4).await?;
    for _ in 0..4 {
        new_visitor(&relay).await?.expect("within the limit");
    }
    new_visitor(&relay)
        .await?
        .expect_err("the site's fifth is refused");
    relay.stop().await;
    Ok(())
}

async fn the_demo_can_be_switched_off(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| c.demo = false).await?;
    assert!(
        relay.store().site(&"demo".into()).await?.is_none(),
        "not created"
    );
    let refused = Client::demo_visitor(relay.addr()).await;
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("404")),
        "{:?}",
        refused.map(|_| ())
    );
    assert_eq!(fetch(relay.addr(), "/demo").await?.status, 404);
    relay.stop().await;
    Ok(())
}

async fn abandoned_waiting_conversations_leave_the_queue(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.abandon_after_secs = 1;
        c.limits.visitor_sweep = std::time::Duration::from_millis(100);
    })
    .await?;
    let mut gone = Client::demo_visitor(relay.addr()).await?;
    gone.visitor_hello(None, vec![]).await?;
    let left = gone.start().await?.id;
    gone.close().await;
    let mut staying = Client::demo_visitor(relay.addr()).await?;
    staying.visitor_hello(None, vec![]).await?;
    let waits = staying.start().await?.id;
    let store = relay.store();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let conversation = store.conversation(&left).await?.expect("stored");
        if !conversation.is_open() {
            break;
        }
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "never expired");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let waiting: Vec<_> = store.waiting().await?.into_iter().map(|c| c.id).collect();
    assert_eq!(waiting, vec![waits], "the visitor who stayed still waits");
    relay.stop().await;
    Ok(())
}
