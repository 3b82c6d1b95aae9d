//! Signed identity over real sockets, on both stores: a visitor proven by
//! the site's HS256 token sees the chats of their other devices; forged,
//! expired, `alg: none`, other-site and wrongly-scoped tokens link nothing;
//! a visitor never reads another's conversations by guessing ids or by
//! replaying their expired token; a visitor proven to be one user cannot
//! become another.

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay};
use relay::identity::jwt::{sign, sign_with_header};
use relay::site_admin::identity_secret;
use serde_json::json;
use shared::{ErrorCode, ResumePoint, ServerFrame, VisitorFrame};

both_backends!(
    a_signed_identity_brings_the_other_devices_history,
    bad_tokens_link_nothing,
    ids_and_replayed_tokens_reveal_nothing,
    a_visitor_proven_as_one_user_cannot_become_another,
    sites_without_a_secret_refuse_identify,
);

fn now_secs() -> u64 {
    relay::now_ms() / 1000
}

fn token_for(user: &str, secret: &str) -> String {
    sign(
        &json!({"sub": user, "email": format!("{user}@example.com"), "name": "Ada", "exp": now_secs() + 600}),
        secret.as_bytes(),
    )
}

async fn identify(visitor: &mut Client, token: &str) -> anyhow::Result<ServerFrame> {
    visitor
        .send(&VisitorFrame::Identify {
            token: token.into(),
        })
        .await?;
    visitor
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Identified { .. } | ServerFrame::Error { .. }
            )
        })
        .await
}

fn refused(frame: &ServerFrame) -> Option<ErrorCode> {
    match frame {
        ServerFrame::Error { code, .. } => Some(*code),
        _ => None,
    }
}

async fn a_signed_identity_brings_the_other_devices_history(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let secret = identity_secret(relay.store().as_ref(), &"demo".into(), false).await?;

    let mut laptop = Client::demo_visitor(relay.addr()).await?;
    laptop.visitor_hello(None, vec![]).await?;
    let answer = identify(&mut laptop, &token_for("user-42", &secret)).await?;
    assert!(
        matches!(&answer, ServerFrame::Identified { name: Some(n), conversations } if n == "Ada" && conversations.is_empty()),
        "{answer:?}"
    );
    let conversation = laptop.start().await?.id;
    laptop
        .visitor_say(&conversation, "l1", "sent from my laptop")
        .await?;

    let mut phone = Client::demo_visitor(relay.addr()).await?;
    let phone_token = phone.visitor_hello(None, vec![]).await?.token;
    let answer = identify(&mut phone, &token_for("user-42", &secret)).await?;
    let ServerFrame::Identified { conversations, .. } = answer else {
        anyhow::bail!("expected identified, got {answer:?}");
    };
    assert_eq!(
        conversations.iter().map(|c| &c.id).collect::<Vec<_>>(),
        [&conversation]
    );
    phone
        .send(&VisitorFrame::Resume(ResumePoint {
            conversation: conversation.clone(),
            after_seq: 0,
        }))
        .await?;
    assert_eq!(
        phone.message(&conversation, 1).await?,
        "sent from my laptop"
    );
    // The same person may go on from the other device, and both see it.
    assert_eq!(
        phone
            .visitor_say(&conversation, "p1", "and now from my phone")
            .await?,
        2
    );
    assert_eq!(
        laptop.message(&conversation, 2).await?,
        "and now from my phone"
    );

    // A reload of the phone (hello with its token) keeps the link...
    phone.close().await;
    let mut reloaded = Client::demo_visitor(relay.addr()).await?;
    let welcome = reloaded.visitor_hello(Some(&phone_token), vec![]).await?;
    assert_eq!(
        welcome
            .conversations
            .iter()
            .map(|c| &c.id)
            .collect::<Vec<_>>(),
        [&conversation]
    );
    // ...while a visitor nobody identified sees nothing of it.
    let mut stranger = Client::demo_visitor(relay.addr()).await?;
    assert!(stranger
        .visitor_hello(None, vec![])
        .await?
        .conversations
        .is_empty());
    relay.stop().await;
    Ok(())
}

async fn bad_tokens_link_nothing(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let secret = identity_secret(relay.store().as_ref(), &"demo".into(), false).await?;
    let mut owner = Client::demo_visitor(relay.addr()).await?;
    owner.visitor_hello(None, vec![]).await?;
    identify(&mut owner, &token_for("user-7", &secret)).await?;
    let conversation = owner.start().await?.id;
    owner.visitor_say(&conversation, "o1", "private").await?;

    let claims = |exp: u64| json!({"sub": "user-7", "exp": exp});
    let unsigned = {
        let with_none = sign_with_header(&json!({"alg": "none"}), &claims(now_secs() + 600), b"");
        let (unsigned_part, _) = with_none.rsplit_once('.').unwrap_or_default();
        format!("{unsigned_part}.")
    };
    let cases = [
        (
            "wrong secret",
            sign(&claims(now_secs() + 600), b"not-the-secret"),
        ),
        (
            "expired",
            sign(&claims(now_secs() - 3600), secret.as_bytes()),
        ),
        ("alg none", unsigned),
        (
            "HS512 header",
            sign_with_header(
                &json!({"alg": "HS512"}),
                &claims(now_secs() + 600),
                secret.as_bytes(),
            ),
        ),
        (
            "other site audience",
            sign(
                &json!({"sub": "user-7", "exp": now_secs() + 600, "aud": "other-site"}),
                secret.as_bytes(),
            ),
        ),
        ("no exp", sign(&json!({"sub": "user-7"}), secret.as_bytes())),
        ("garbage", "not.a.jwt".into()),
    ];
    for (what, token) in cases {
        let mut stranger = Client::demo_visitor(relay.addr()).await?;
        stranger.visitor_hello(None, vec![]).await?;
        let answer = identify(&mut stranger, &token).await?;
        assert_eq!(
            refused(&answer),
            Some(ErrorCode::InvalidIdentity),
            "{what}: {answer:?}"
        );
        stranger
            .send(&VisitorFrame::Resume(ResumePoint {
                conversation: conversation.clone(),
                after_seq: 0,
            }))
            .await?;
        assert_eq!(
            stranger.recv_error().await?,
            ErrorCode::NotFound,
            "{what}: still a stranger"
        );
        stranger.close().await;
    }
    relay.stop().await;
    Ok(())
}

async fn ids_and_replayed_tokens_reveal_nothing(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let secret = identity_secret(relay.store().as_ref(), &"demo".into(), false).await?;
    let mut victim = Client::demo_visitor(relay.addr()).await?;
    victim.visitor_hello(None, vec![]).await?;
    let expired = sign(
        &json!({"sub": "victim", "email": "victim@example.com", "exp": now_secs() - 120}),
        secret.as_bytes(),
    );
    identify(&mut victim, &token_for("victim", &secret)).await?;
    let conversation = victim.start().await?.id;
    victim
        .visitor_say(&conversation, "v1", "my address is 1 Main St")
        .await?;

    let mut attacker = Client::demo_visitor(relay.addr()).await?;
    attacker.visitor_hello(None, vec![]).await?;
    for frame in [
        VisitorFrame::Resume(ResumePoint {
            conversation: conversation.clone(),
            after_seq: 0,
        }),
        VisitorFrame::Send {
            conversation: conversation.clone(),
            client_msg_id: "x1".into(),
            text: "hi".into(),
        },
        VisitorFrame::Close {
            conversation: conversation.clone(),
        },
    ] {
        attacker.send(&frame).await?;
        assert_eq!(
            attacker.recv_error().await?,
            ErrorCode::NotFound,
            "{frame:?}"
        );
    }
    // Replaying the victim's expired token links nothing either.
    let answer = identify(&mut attacker, &expired).await?;
    assert_eq!(refused(&answer), Some(ErrorCode::InvalidIdentity));
    attacker
        .send(&VisitorFrame::Resume(ResumePoint {
            conversation: conversation.clone(),
            after_seq: 0,
        }))
        .await?;
    assert_eq!(attacker.recv_error().await?, ErrorCode::NotFound);
    // Nothing the attacker did changed the victim's conversation.
    let stored = relay.store().messages_after(&conversation, 0, 10).await?;
    assert_eq!(stored.len(), 1);
    relay.stop().await;
    Ok(())
}

async fn a_visitor_proven_as_one_user_cannot_become_another(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let secret = identity_secret(relay.store().as_ref(), &"demo".into(), false).await?;
    let mut shared_computer = Client::demo_visitor(relay.addr()).await?;
    shared_computer.visitor_hello(None, vec![]).await?;
    let first = identify(&mut shared_computer, &token_for("alice", &secret)).await?;
    assert!(matches!(first, ServerFrame::Identified { .. }), "{first:?}");
    let again = identify(&mut shared_computer, &token_for("alice", &secret)).await?;
    assert!(
        matches!(again, ServerFrame::Identified { .. }),
        "the same user again is fine: {again:?}"
    );
    let other = identify(&mut shared_computer, &token_for("bob", &secret)).await?;
    assert_eq!(refused(&other), Some(ErrorCode::IdentityConflict));
    relay.stop().await;
    Ok(())
}

async fn sites_without_a_secret_refuse_identify(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let answer = identify(&mut visitor, &token_for("user-1", "any-secret")).await?;
    assert_eq!(refused(&answer), Some(ErrorCode::InvalidIdentity));
    // The connection keeps working.
    let conversation = visitor.start().await?.id;
    assert_eq!(
        visitor
            .visitor_say(&conversation, "m1", "still here")
            .await?,
        1
    );
    relay.stop().await;
    Ok(())
}
