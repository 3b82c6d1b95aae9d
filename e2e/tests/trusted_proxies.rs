//! Per-address limits and `X-Forwarded-For`, against the relay directly,
//! on both stores. From a peer that is not a trusted proxy the header
//! changes nothing: every socket from 127.0.0.1 counts as 127.0.0.1,
//! whatever it claims. When 127.0.0.1 is a trusted proxy, the header's
//! right-most untrusted address is the one counted, so each forwarded
//! client has its own allowance and what a client wrote to the left of
//! the proxy's entry is ignored.

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay};
use relay::client_addr::IpRange;
use shared::{ErrorCode, ServerFrame};

both_backends!(
    a_forged_forwarded_for_from_an_untrusted_peer_changes_nothing,
    behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance,
);

fn range(text: &str) -> IpRange {
    text.parse().expect("a test range")
}

/// Whether a new visitor whose socket carries `X-Forwarded-For:
/// forwarded_for` is welcomed (or refused as `rate_limited`).
async fn welcomed(relay: &TestRelay, forwarded_for: &str) -> anyhow::Result<bool> {
    let headers = [("X-Forwarded-For", forwarded_for)];
    let mut visitor = Client::demo_visitor_with(relay.addr(), &headers).await?;
    visitor.send_visitor_hello(None, vec![]).await?;
    Ok(match visitor.recv().await? {
        ServerFrame::Welcome { .. } => true,
        ServerFrame::Error {
            code: ErrorCode::RateLimited,
            ..
        } => false,
        other => anyhow::bail!("unexpected answer: {other:?}"),
    })
}

async fn a_forged_forwarded_for_from_an_untrusted_peer_changes_nothing(
    backend: Backend,
) -> anyhow::Result<()> {
    // Trusting no one (the default), or a proxy that is not this peer.
    for trusted in [vec![], vec![range("10.0.0.0/8")]] {
        let relay = TestRelay::start_with(backend, |c| {
            c.limits.new_visitors_per_address = 2;
            c.trusted_proxies = trusted.clone();
        })
        .await?;
        assert!(welcomed(&relay, "203.0.113.1").await?);
        assert!(welcomed(&relay, "203.0.113.2").await?);
        assert!(
            !welcomed(&relay, "203.0.113.3").await?,
            "all three came from 127.0.0.1 (trusting {trusted:?})"
        );
        relay.stop().await;
    }
    Ok(())
}

async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.new_visitors_per_address = 2;
        c.trusted_proxies = vec![range("127.0.0.1")];
    })
    .await?;
    assert!(welcomed(&relay, "203.0.113.1").await?);
    assert!(welcomed(&relay, "203.0.113.1").await?);
    assert!(
        !welcomed(&relay, "203.0.113.1").await?,
        "its allowance is spent"
    );
    assert!(welcomed(&relay, "203.0.113.2").await?, "another client");
    // A client of 203.0.113.1 writing another address before the proxy's
    // entry is still counted as 203.0.113.1.
    assert!(!welcomed(&relay, "203.0.113.2, 203.0.113.1").await?);
    assert!(welcomed(&relay, "203.0.113.1, 203.0.113.2").await?);
    assert!(
        !welcomed(&relay, "203.0.113.2").await?,
        "now its is spent too"
    );
    // An empty header names no one: the proxy itself is the client.
    assert!(welcomed(&relay, "").await?);
    relay.stop().await;
    Ok(())
}
