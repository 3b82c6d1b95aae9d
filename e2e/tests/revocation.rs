//! Taking credentials back, on both stores: a revoked API key is refused
//! from the next request on (every node reads the site per request); a
//! rotated identity secret keeps the tokens already handed out working for
//! the grace period only, and a rotation without grace cuts them off.

use e2e::both_backends;
use e2e::client::Client;
use e2e::http_get::send;
use e2e::relay_harness::{Backend, TestRelay};
use relay::identity::jwt::sign;
use relay::site_admin::{
    api_key_fingerprints, new_api_key, revoke_api_key, rotate_identity_secret,
};
use serde_json::json;
use shared::{ErrorCode, ServerFrame, VisitorFrame};

both_backends!(
    a_revoked_api_key_is_refused_at_once,
    a_rotated_identity_secret_lasts_only_its_grace,
);

async fn status_with(relay: &TestRelay, key: &str) -> anyhow::Result<u16> {
    let bearer = format!("Bearer {key}");
    let answer = send(
        relay.addr(),
        "GET",
        "/api/v1/sites/demo/contacts?q=ada",
        &[("Authorization", &bearer)],
        None,
    )
    .await?;
    Ok(answer.status)
}

async fn a_revoked_api_key_is_refused_at_once(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let store = relay.store();
    let demo = "demo".into();
    let first = new_api_key(store.as_ref(), &demo).await?;
    let second = new_api_key(store.as_ref(), &demo).await?;
    assert_eq!(status_with(&relay, &first).await?, 200);
    assert_eq!(revoke_api_key(store.as_ref(), &demo, &first).await?, 1);
    assert_eq!(status_with(&relay, &first).await?, 401);
    assert_eq!(
        status_with(&relay, &second).await?,
        200,
        "the other key works"
    );
    let fingerprints = api_key_fingerprints(store.as_ref(), &demo).await?;
    assert_eq!(fingerprints.len(), 1);
    assert_eq!(
        revoke_api_key(store.as_ref(), &demo, &fingerprints[0]).await?,
        1
    );
    assert_eq!(status_with(&relay, &second).await?, 401);
    assert_eq!(
        revoke_api_key(store.as_ref(), &demo, "sbk_unknown").await?,
        0
    );
    relay.stop().await;
    Ok(())
}

async fn identify_with(relay: &TestRelay, secret: &str) -> anyhow::Result<Result<(), ErrorCode>> {
    let exp = relay::now_ms() / 1000 + 600;
    let token = sign(&json!({"sub": "user-9", "exp": exp}), secret.as_bytes());
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    visitor.send(&VisitorFrame::Identify { token }).await?;
    Ok(
        match visitor
            .recv_until(|f| {
                matches!(
                    f,
                    ServerFrame::Identified { .. } | ServerFrame::Error { .. }
                )
            })
            .await?
        {
            ServerFrame::Identified { .. } => Ok(()),
            ServerFrame::Error { code, .. } => Err(code),
            _ => unreachable!(),
        },
    )
}

async fn a_rotated_identity_secret_lasts_only_its_grace(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let store = relay.store();
    let demo = "demo".into();
    let first = rotate_identity_secret(store.as_ref(), &demo, false, 0).await?;
    assert_eq!(identify_with(&relay, &first).await?, Ok(()));
    // Rotated with a minute's grace: both work.
    let second = rotate_identity_secret(store.as_ref(), &demo, true, 60_000).await?;
    assert_eq!(
        identify_with(&relay, &first).await?,
        Ok(()),
        "within the grace"
    );
    assert_eq!(identify_with(&relay, &second).await?, Ok(()));
    // The grace ran out.
    let mut site = store.site(&demo).await?.expect("the demo site");
    site.previous_secret_until_ms = Some(relay::now_ms() - 1);
    store.put_site(&site).await?;
    assert_eq!(
        identify_with(&relay, &first).await?,
        Err(ErrorCode::InvalidIdentity)
    );
    // Rotated without grace: the old one stops at once.
    let third = rotate_identity_secret(store.as_ref(), &demo, true, 0).await?;
    assert_eq!(
        identify_with(&relay, &second).await?,
        Err(ErrorCode::InvalidIdentity)
    );
    assert_eq!(identify_with(&relay, &third).await?, Ok(()));
    relay.stop().await;
    Ok(())
}
