//! Clients that hold the relay's resources without using them, over real
//! sockets on both stores: a socket that never says hello is closed
//! (1001, a timeout); binary frames spend the flood guard like text ones; a node at
//! its connection cap refuses upgrades with 503 until a socket closes; a
//! client that stops reading is closed once a write misses its deadline,
//! so it holds neither a task nor its queued frames; one that trickles
//! its request headers (slowloris) is cut off at the header deadline; a
//! console whose event queue overflows keeps its socket and reads what it
//! missed from the store.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use e2e::both_backends;
use e2e::client::Client;
use e2e::records::visitor_message;
use e2e::relay_harness::{Backend, TestRelay};
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use relay::bus::Event;
use shared::limits::{CLOSE_TIMEOUT, CLOSE_TRY_AGAIN};
use shared::{ErrorCode, Presence, ResumePoint, Role, ServerFrame, VisitorFrame};

both_backends!(
    a_socket_without_hello_is_closed,
    binary_frames_spend_the_flood_guard,
    a_full_node_refuses_upgrades_until_a_socket_closes,
    a_client_that_stops_reading_is_closed,
    a_client_trickling_headers_is_cut_off,
    a_console_that_falls_behind_keeps_its_socket_and_catches_up,
);

/// Polls `check` until it holds, for at most ten seconds.
async fn eventually(mut check: impl FnMut() -> bool, what: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !check() {
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

fn open_sockets(relay: &TestRelay) -> usize {
    relay
        .app()
        .open_sockets
        .load(std::sync::atomic::Ordering::Relaxed)
}

async fn a_socket_without_hello_is_closed(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.hello_timeout = Duration::from_millis(300);
    })
    .await?;
    let mut silent = Client::demo_visitor(relay.addr()).await?;
    let mut greeted = Client::demo_visitor(relay.addr()).await?;
    greeted.visitor_hello(None, vec![]).await?;
    let close = silent.recv_close().await?.expect("a close frame");
    assert_eq!(u16::from(close.code), CLOSE_TIMEOUT);
    // The greeted socket outlived the deadline (the silent one's close
    // came after it) and still works.
    let conversation = greeted.start().await?.id;
    assert_eq!(
        greeted
            .visitor_say(&conversation, "m1", "still here")
            .await?,
        1
    );
    relay.stop().await;
    Ok(())
}

async fn binary_frames_spend_the_flood_guard(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.frame_burst = 5;
        c.limits.frame_per_sec = 1;
    })
    .await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    for _ in 0..10 {
        visitor.send_binary(vec![0; 16]).await?;
    }
    let mut codes = Vec::new();
    while codes.len() < 10 {
        if let ServerFrame::Error { code, .. } = visitor.recv().await? {
            codes.push(code);
        }
    }
    let limited = codes
        .iter()
        .filter(|c| **c == ErrorCode::RateLimited)
        .count();
    assert!(limited >= 4, "{codes:?}");
    assert!(codes.contains(&ErrorCode::InvalidFrame), "{codes:?}");
    relay.stop().await;
    Ok(())
}

async fn a_full_node_refuses_upgrades_until_a_socket_closes(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| c.limits.max_connections = 3).await?;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut visitor = Client::demo_visitor(relay.addr()).await?;
        visitor.visitor_hello(None, vec![]).await?;
        held.push(visitor);
    }
    let refused = Client::demo_visitor(relay.addr()).await.unwrap_err();
    assert!(refused.to_string().contains("503"), "{refused}");
    let agent = Client::agent(relay.addr()).await.unwrap_err();
    assert!(agent.to_string().contains("503"), "{agent}");
    held.pop().expect("three sockets").close().await;
    eventually(|| open_sockets(&relay) < 3, "a socket freed").await?;
    let mut again = Client::demo_visitor(relay.addr()).await?;
    again.visitor_hello(None, vec![]).await?;
    relay.stop().await;
    Ok(())
}

async fn a_client_that_stops_reading_is_closed(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.write_timeout = Duration::from_millis(300);
    })
    .await?;
    let mut writer = Client::demo_visitor(relay.addr()).await?;
    let token = writer.visitor_hello(None, vec![]).await?.token;
    let conversation = writer.start().await?.id;
    writer.close().await;
    // More than the kernel's socket buffers hold: ~24 MB of history.
    let body = "x".repeat(4_000);
    let appends = (1..=6_000).map(|n| {
        let store = relay.store();
        let new = visitor_message(&conversation, &format!("m{n}"), body.clone());
        async move { store.append_message(&new).await }
    });
    for result in futures_util::future::join_all(appends).await {
        result?;
    }
    let mut reader = Client::demo_visitor(relay.addr()).await?;
    reader
        .visitor_hello(
            Some(&token),
            vec![ResumePoint {
                conversation: conversation.clone(),
                after_seq: 0,
            }],
        )
        .await?;
    // The reader reads nothing more; the relay's writes back up.
    eventually(|| open_sockets(&relay) == 0, "the stalled socket closed").await?;
    let close = reader.recv_close().await;
    if let Ok(Some(frame)) = close {
        assert_eq!(u16::from(frame.code), CLOSE_TRY_AGAIN);
    }
    // Everyone else is served as before.
    let mut other = Client::demo_visitor(relay.addr()).await?;
    other.visitor_hello(None, vec![]).await?;
    other.send(&VisitorFrame::start(None)).await?;
    other
        .recv_until(|f| matches!(f, ServerFrame::Conversation(_)))
        .await?;
    relay.stop().await;
    Ok(())
}

async fn a_client_trickling_headers_is_cut_off(backend: Backend) -> anyhow::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.header_read_timeout = Duration::from_millis(300);
    })
    .await?;
    let mut slow = tokio::net::TcpStream::connect(relay.addr()).await?;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: relay\r\nX-Slow: ")
        .await?;
    // The relay ends the connection (after at most a 408) instead of
    // waiting for the rest of the headers.
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut answer))
        .await
        .map_err(|_| anyhow::anyhow!("the trickling connection was never cut off"))??;
    let text = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    // A client that sends its headers at once is served as before.
    let healthy = e2e::http_get::fetch(relay.addr(), "/healthz").await?;
    assert_eq!(healthy.status, 200);
    relay.stop().await;
    Ok(())
}

/// Events a burst queues for one console, far more than its queue holds
/// (1,024): the session cannot drain them as fast as the hub offers them.
const BURST: usize = 20_000;

/// A stored message whose event the hub dropped for a console with a full
/// queue reaches it by the console's resync, on the same socket. (On the
/// embedded store nothing else could bring it: no later event reveals a
/// gap and the in-process bus needs no catch-up pass; on Redis the
/// append script's own event may bring it first.)
async fn a_console_that_falls_behind_keeps_its_socket_and_catches_up(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let app = relay.app();
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    agent.set_presence(Presence::Online).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    visitor.start().await?;
    let conversation = agent.assigned().await?.id;
    assert_eq!(visitor.visitor_say(&conversation, "v1", "first").await?, 1);
    assert_eq!(agent.message(&conversation, 1).await?, "first");
    // Only the console watches the conversation from here on.
    visitor.close().await;
    eventually(|| open_sockets(&relay) == 1, "the visitor left").await?;

    let typing = std::sync::Arc::new(Event::Typing {
        conversation: conversation.clone(),
        role: Role::Visitor,
        typing: true,
    });
    let mut dropped = None;
    for attempt in 0..20 {
        let new = visitor_message(
            &conversation,
            &format!("b{attempt}"),
            format!("burst {attempt}"),
        );
        let stored = app.store.append_message(&new).await?.message;
        for _ in 0..BURST {
            app.hub.fan_out(std::sync::Arc::clone(&typing));
        }
        let before = app.metrics.coalesced_events.get();
        app.hub.fan_out(std::sync::Arc::new(Event::Message {
            message: stored.clone(),
        }));
        if app.metrics.coalesced_events.get() > before {
            dropped = Some(stored);
            break;
        }
    }
    let dropped = dropped.ok_or_else(|| anyhow::anyhow!("no burst filled the console's queue"))?;
    assert_eq!(
        agent.message(&conversation, dropped.seq).await?,
        dropped.text
    );
    // Same socket: the console goes on working, in order.
    let next = agent.agent_say(&conversation, "a1", "after").await?;
    assert_eq!(next, dropped.seq + 1);
    assert_eq!(open_sockets(&relay), 1, "the console was not disconnected");
    relay.stop().await;
    Ok(())
}
