//! The smaller doors, over real sockets and HTTP on both stores: client
//! message ids have a length cap; a site id that is not a plain word names
//! no site (on Redis it would alias another key and fail with
//! `WRONGTYPE`); API answers are never cached or sniffed; every page has
//! a content security policy; `/metrics` can require a token; identity
//! tokens that live longer than a day are refused.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use e2e::both_backends;
use e2e::client::Client;
use e2e::http_get::{fetch, send};
use e2e::relay_harness::{Backend, TestRelay};
use relay::identity::jwt::sign;
use relay::site_admin::{identity_secret, new_api_key};
use serde_json::json;
use shared::{ErrorCode, ServerFrame, VisitorFrame};

both_backends!(
    long_client_message_ids_are_refused_and_nothing_is_stored,
    site_ids_that_are_not_words_name_no_site,
    api_answers_are_not_cached_or_sniffed_and_pages_have_policies,
    metrics_answer_only_the_token_when_one_is_set,
    identity_tokens_living_over_a_day_are_refused,
);

async fn long_client_message_ids_are_refused_and_nothing_is_stored(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let conversation = visitor.start().await?.id;
    for id in ["x".repeat(65), String::new(), "a\u{7}b".into()] {
        visitor
            .send(&VisitorFrame::Send {
                conversation: conversation.clone(),
                client_msg_id: id.as_str().into(),
                text: "hello".into(),
            })
            .await?;
        match visitor
            .recv_until(|f| matches!(f, ServerFrame::Error { .. } | ServerFrame::Ack { .. }))
            .await?
        {
            ServerFrame::Error {
                code,
                client_msg_id,
                ..
            } => {
                assert_eq!(code, ErrorCode::InvalidFrame, "{id:?}");
                assert_eq!(client_msg_id.map(|c| c.0), Some(id));
            }
            other => anyhow::bail!("{id:?} was accepted: {other:?}"),
        }
    }
    assert!(relay
        .store()
        .messages_after(&conversation, 0, 10)
        .await?
        .is_empty());
    let longest = "y".repeat(shared::ClientMsgId::MAX_BYTES);
    assert_eq!(
        visitor.visitor_say(&conversation, &longest, "fits").await?,
        1
    );
    relay.stop().await;
    Ok(())
}

async fn site_ids_that_are_not_words_name_no_site(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    // Make the aliased keys exist, so a lookup that reached the store
    // would meet a key of another type.
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let with_details = shared::card::PrechatDetails {
        name: Some("Ada".into()),
        email: Some("ada@example.com".into()),
        phone: None,
    };
    visitor.start_acknowledged(Some(with_details)).await?;
    for site in ["demo:contacts", "demo:case-seq", "demo%3Acontacts", ""] {
        let refused = Client::visitor(relay.addr(), site, Some("http://example.com"))
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("404"), "{site}: {refused}");
        let page = fetch(
            relay.addr(),
            &format!("/widget?site={site}&parent=http://x"),
        )
        .await?;
        assert_eq!(page.status, 404, "{site}: {}", page.body);
    }
    let key = new_api_key(relay.store().as_ref(), &"demo".into()).await?;
    let bearer = format!("Bearer {key}");
    let api = send(
        relay.addr(),
        "GET",
        "/api/v1/sites/demo:contacts/contacts?q=ada",
        &[("Authorization", &bearer)],
        None,
    )
    .await?;
    assert_eq!(api.status, 401, "{}", api.body);
    // The relay still answers for the real site.
    let ok = Client::demo_visitor(relay.addr()).await;
    assert!(ok.is_ok());
    relay.stop().await;
    Ok(())
}

async fn api_answers_are_not_cached_or_sniffed_and_pages_have_policies(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let key = new_api_key(relay.store().as_ref(), &"demo".into()).await?;
    let bearer = format!("Bearer {key}");
    for auth in [bearer.as_str(), "Bearer wrong"] {
        let answer = send(
            relay.addr(),
            "GET",
            "/api/v1/sites/demo/contacts?q=ada",
            &[("Authorization", auth)],
            None,
        )
        .await?;
        assert_eq!(answer.header("cache-control"), Some("no-store"), "{auth}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    }
    let demo = fetch(relay.addr(), "/demo").await?;
    let policy = demo.header("content-security-policy").unwrap_or_default();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("frame-src 'self'"), "{policy}");
    let console = fetch(relay.addr(), "/console").await?;
    let policy = console
        .header("content-security-policy")
        .unwrap_or_default();
    assert!(policy.contains("connect-src 'self';"), "{policy}");
    assert!(!policy.contains("ws:"), "{policy}");
    relay.stop().await;
    Ok(())
}

async fn metrics_answer_only_the_token_when_one_is_set(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |config| {
        config.metrics_token = Some("metrics-secret".into());
    })
    .await?;
    let bare = fetch(relay.addr(), "/metrics").await?;
    assert_eq!(bare.status, 401);
    assert!(!bare.body.contains("switchboard_"), "{}", bare.body);
    for wrong in ["Bearer nope", "Bearer metrics-secre", "metrics-secret"] {
        let answer = send(
            relay.addr(),
            "GET",
            "/metrics",
            &[("Authorization", wrong)],
            None,
        )
        .await?;
        assert_eq!(answer.status, 401, "{wrong}");
    }
    let good = send(
        relay.addr(),
        "GET",
        "/metrics",
        &[("Authorization", "Bearer metrics-secret")],
        None,
    )
    .await?;
    assert_eq!(good.status, 200);
    assert!(good.body.contains("switchboard_"), "{}", good.body);
    relay.stop().await;
    Ok(())
}

async fn identity_tokens_living_over_a_day_are_refused(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let secret = identity_secret(relay.store().as_ref(), &"demo".into(), false).await?;
    let now = relay::now_ms() / 1000;
    let token = |exp: u64| {
        sign(
            &json!({"sub": "user-7", "email": "seven@example.com", "exp": exp}),
            secret.as_bytes(),
        )
    };
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    for exp in [now + 25 * 3600, now + 365 * 24 * 3600] {
        visitor
            .send(&VisitorFrame::Identify { token: token(exp) })
            .await?;
        assert_eq!(visitor.recv_error().await?, ErrorCode::InvalidIdentity);
    }
    visitor
        .send(&VisitorFrame::Identify {
            token: token(now + 3600),
        })
        .await?;
    let answer = visitor
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Identified { .. } | ServerFrame::Error { .. }
            )
        })
        .await?;
    assert!(
        matches!(answer, ServerFrame::Identified { .. }),
        "{answer:?}"
    );
    relay.stop().await;
    Ok(())
}
