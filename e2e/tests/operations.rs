//! Running the relay: health, readiness and metrics endpoints, agent
//! sessions and sign-out, heartbeats, and graceful shutdown.

use std::time::Duration;

use e2e::both_backends;
use e2e::client::Client;
use e2e::http_get::get;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::{AgentFrame, ErrorCode, ServerFrame};

both_backends!(
    health_readiness_and_metrics_answer,
    session_tokens_reconnect_until_signed_out,
    silent_clients_are_closed_after_the_pong_timeout,
    shutdown_tells_every_client_to_reconnect,
);

async fn health_readiness_and_metrics_answer(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    assert_eq!(get(relay.addr(), "/healthz").await?.0, 200);
    assert_eq!(get(relay.addr(), "/readyz").await?, (200, "ready\n".into()));
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let conversation = visitor.start().await?.id;
    visitor.visitor_say(&conversation, "m", "counted").await?;
    visitor.send_raw("{oops".into()).await?;
    visitor.recv_error().await?;
    let (status, metrics) = get(relay.addr(), "/metrics").await?;
    assert_eq!(status, 200);
    for line in [
        "switchboard_messages_total{role=\"visitor\"} 1",
        "switchboard_connections{role=\"visitor\"} 1",
        "switchboard_rejected_frames_total{code=\"malformed_json\"} 1",
        "switchboard_queue_length 1",
        "switchboard_delivery_latency_seconds_count 1",
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "missing {line:?} in\n{metrics}"
        );
    }
    if let Some(redis) = &relay.redis {
        // Redis gone: not ready, but still alive.
        redis.stop();
        let (status, _) = get(relay.addr(), "/readyz").await?;
        assert_eq!(status, 503);
        assert_eq!(get(relay.addr(), "/healthz").await?.0, 200);
    }
    Ok(())
}

async fn hello_with_session(
    addr: std::net::SocketAddr,
    token: &str,
) -> anyhow::Result<(Client, ServerFrame)> {
    let mut agent = Client::agent(addr).await?;
    let frame = agent.try_session(token).await?;
    Ok((agent, frame))
}

async fn session_tokens_reconnect_until_signed_out(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut first = Client::agent(relay.addr()).await?;
    let token = first.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    let (mut second, frame) = hello_with_session(relay.addr(), &token).await?;
    assert!(
        matches!(frame, ServerFrame::AgentWelcome { ref agent, .. } if agent.admin),
        "{frame:?}"
    );
    let (_, forged) = hello_with_session(relay.addr(), "forged-token").await?;
    assert!(matches!(
        forged,
        ServerFrame::Error {
            code: ErrorCode::AuthFailed,
            ..
        }
    ));
    second.send(&AgentFrame::SignOut).await?;
    assert_eq!(
        second.recv_close().await?.map(|c| u16::from(c.code)),
        Some(shared::limits::CLOSE_NORMAL)
    );
    let (_, after) = hello_with_session(relay.addr(), &token).await?;
    assert!(
        matches!(
            after,
            ServerFrame::Error {
                code: ErrorCode::AuthFailed,
                ..
            }
        ),
        "{after:?}"
    );
    // The socket that signed in with the password is unaffected until it reconnects.
    first.send(&AgentFrame::ListAgents).await?;
    assert!(matches!(first.recv().await?, ServerFrame::Agents { .. }));
    relay.stop().await;
    Ok(())
}

async fn silent_clients_are_closed_after_the_pong_timeout(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.ping_interval = Duration::from_millis(100);
        c.limits.pong_timeout = Duration::from_millis(400);
    })
    .await?;
    let mut silent = Client::demo_visitor(relay.addr()).await?;
    silent.visitor_hello(None, vec![]).await?;
    // A client that keeps reading (and so answers pings) stays connected;
    // the silent one never reads, never answers, and is closed.
    let mut lively = Client::demo_visitor(relay.addr()).await?;
    lively.visitor_hello(None, vec![]).await?;
    let frames = lively.drain(Duration::from_millis(1_200)).await;
    assert!(frames.is_empty(), "{frames:?}");
    lively.start().await?;
    // The relay has closed it: only the lively visitor is still counted.
    let (_, metrics) = get(relay.addr(), "/metrics").await?;
    assert!(
        metrics
            .lines()
            .any(|l| l == "switchboard_connections{role=\"visitor\"} 1"),
        "{metrics}"
    );
    // Reading now hits the close frame, or (since the client answers the
    // queued pings on a socket the relay already shut) a broken pipe.
    match silent.recv_close().await {
        Ok(close) => assert_eq!(
            close.map(|c| u16::from(c.code)),
            Some(shared::limits::CLOSE_TIMEOUT)
        ),
        Err(e) => assert!(
            e.to_string().contains("Broken pipe") || e.to_string().contains("reset"),
            "{e}"
        ),
    }
    relay.stop().await;
    Ok(())
}

async fn shutdown_tells_every_client_to_reconnect(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let addr = relay.addr();
    let mut visitor = Client::demo_visitor(addr).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let mut agent = Client::agent(addr).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    relay.stop().await;
    for client in [&mut visitor, &mut agent] {
        let frame = client
            .recv_until(|f| matches!(f, ServerFrame::Reconnect { .. }))
            .await?;
        assert!(matches!(frame, ServerFrame::Reconnect { after_ms } if after_ms > 0));
        let close = client.recv_close().await?;
        assert_eq!(
            close.map(|c| u16::from(c.code)),
            Some(shared::limits::CLOSE_RESTARTING)
        );
    }
    assert!(Client::agent(addr).await.is_err(), "no longer accepting");
    Ok(())
}
