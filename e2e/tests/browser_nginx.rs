//! Switchboard behind a real nginx running exactly the README's
//! configuration (`deploy/nginx/switchboard.conf`, only its placeholders
//! filled in), the relay trusting nginx for client addresses: a visitor in
//! the widget and an agent in the console chat over HTTPS and `wss://`;
//! clients at different addresses behind nginx each get their own
//! per-address allowance, and none can borrow another's by writing
//! `X-Forwarded-For`; plain HTTP is redirected to HTTPS. One store is
//! enough: nginx sees the same relay either way.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use e2e::browser::{with_screenshots, Chrome};
use e2e::nginx::{Nginx, Ports};
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::wss::WssClient;
use e2e::{http_get, ui};
use fantoccini::Locator;
use shared::{ErrorCode, ServerFrame, VisitorFrame, PROTOCOL_VERSION};

/// A relay behind nginx.
struct Front {
    relay: TestRelay,
    nginx: Nginx,
}

/// Starts a relay (after `adjust`) trusting 127.0.0.1, where nginx's
/// upstream connections come from, and nginx in front of it.
async fn front(adjust: impl FnOnce(&mut relay::Config)) -> anyhow::Result<Front> {
    let ports = Ports::pick()?;
    let relay = TestRelay::start_with(Backend::Embedded, |c| {
        c.public_url = Some(ports.url());
        c.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
        adjust(c);
    })
    .await?;
    e2e::routing_setup::without_offline_form(relay.store().as_ref()).await?;
    let nginx = Nginx::start(ports, relay.addr())?;
    Ok(Front { relay, nginx })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_and_an_agent_chat_through_nginx() -> anyhow::Result<()> {
    let Front { relay, nginx } = front(|_| {}).await?;
    let chrome = Chrome::start().await?;
    let visitor = chrome
        .session_accepting_any_certificate("visitor", 420, 720)
        .await?;
    let agent = chrome
        .session_accepting_any_certificate("agent", 1200, 800)
        .await?;
    let outcome = chat(&nginx.url(), &visitor.client, &agent.client).await;
    let outcome = with_screenshots("nginx-chat", &[&visitor, &agent], outcome).await;
    visitor.close().await;
    agent.close().await;
    relay.stop().await;
    outcome?;
    // nginx logs an upgraded request when its socket closes.
    for socket in ["GET /ws/visitor", "GET /ws/agent"] {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !upgraded(&nginx.access_log(), socket) {
            assert!(
                Instant::now() < deadline,
                "nginx never passed {socket} as a WebSocket (101):\n{}",
                nginx.access_log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok(())
}

fn upgraded(access_log: &str, request: &str) -> bool {
    access_log
        .lines()
        .any(|line| line.contains(request) && line.contains("\" 101 "))
}

/// The visitor writes from the widget, the agent answers from the console.
async fn chat(
    base: &str,
    visitor: &fantoccini::Client,
    agent: &fantoccini::Client,
) -> anyhow::Result<()> {
    ui::visitor_opens_chat(visitor, base, None).await?;
    ui::visitor_sends(visitor, "Hello through nginx").await?;
    ui::agent_signs_in(agent, base, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    ui::conversations_show(agent, "Hello through nginx").await?;
    let open = "//*[@aria-label='Conversations']//li[contains(., 'Hello through nginx')]//button";
    agent.find(Locator::XPath(open)).await?.click().await?;
    ui::wait_text(agent, "[role='log']", |t| t.contains("Hello through nginx")).await?;
    ui::type_into(agent, "Reply", "Hi, over TLS").await?;
    ui::click(agent, "Send").await?;
    ui::visitor_sees(visitor, "Hi, over TLS").await?;
    let page = visitor.current_url().await?;
    anyhow::ensure!(page.scheme() == "https", "the page is {page}");
    Ok(())
}

/// Whether a new visitor connecting to nginx from `local` (with a forged
/// `X-Forwarded-For`, if given) is welcomed, or refused as `rate_limited`.
async fn welcomed(front: &Front, local: [u8; 4], forged: Option<&str>) -> anyhow::Result<bool> {
    let url = front.nginx.url();
    let mut headers = vec![("Origin", url.as_str())];
    if let Some(forged) = forged {
        headers.push(("X-Forwarded-For", forged));
    }
    let mut visitor = WssClient::connect(
        (Ipv4Addr::LOCALHOST, front.nginx.ports.https).into(),
        front.nginx.certificate_der()?,
        IpAddr::from(local),
        "/ws/visitor?site=demo",
        &headers,
    )
    .await?;
    visitor
        .send(&VisitorFrame::Hello {
            protocol: PROTOCOL_VERSION,
            site: "demo".into(),
            visitor_token: None,
            resume: vec![],
        })
        .await?;
    Ok(match visitor.recv().await? {
        ServerFrame::Welcome { .. } => true,
        ServerFrame::Error {
            code: ErrorCode::RateLimited,
            ..
        } => false,
        other => anyhow::bail!("unexpected answer: {other:?}"),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_nginx_each_client_address_has_its_own_allowance() -> anyhow::Result<()> {
    let front = front(|c| c.limits.new_visitors_per_address = 2).await?;
    let (a, b) = ([127, 0, 0, 2], [127, 0, 0, 3]);
    assert!(welcomed(&front, a, None).await?);
    assert!(welcomed(&front, a, None).await?);
    assert!(!welcomed(&front, a, None).await?, "a's allowance is spent");
    // b is not a, nor nginx, whatever it writes: nginx appends b's address.
    assert!(welcomed(&front, b, Some("127.0.0.2")).await?);
    assert!(welcomed(&front, b, Some("127.0.0.1")).await?);
    assert!(
        !welcomed(&front, b, Some("198.51.100.9")).await?,
        "b's allowance is spent"
    );
    front.relay.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_is_redirected_to_https() -> anyhow::Result<()> {
    let front = front(|_| {}).await?;
    let answer = http_get::fetch(front.nginx.http_addr(), "/demo?lang=he").await?;
    assert_eq!(answer.status, 301, "{}", answer.headers);
    assert_eq!(
        answer.header("location"),
        Some("https://127.0.0.1/demo?lang=he")
    );
    front.relay.stop().await;
    Ok(())
}
