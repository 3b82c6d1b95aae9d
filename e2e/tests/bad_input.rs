//! Every kind of bad input the relay must survive: each gets a typed error
//! or close code, the connection (where it stays open) and every other
//! connection keep working, and nothing stored changes.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use anyhow::Context;
use e2e::both_backends;
use e2e::client::{Client, WAIT};
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::{
    AgentAuth, AgentFrame, ErrorCode, Presence, ServerFrame, VisitorFrame, PROTOCOL_VERSION,
};

both_backends!(
    malformed_unknown_and_invalid_frames_get_typed_errors,
    oversized_frames_close_with_1009,
    long_and_empty_texts_are_refused,
    other_visitors_conversations_are_not_found,
    forged_and_other_site_tokens_are_refused,
    wrong_origins_never_get_a_socket,
    wrong_passwords_do_not_reveal_accounts,
    floods_are_rate_limited_not_closed,
    admin_only_frames_are_forbidden,
);

/// A visitor in a conversation with one stored message, and a bystander
/// visitor in another, to prove bad input affects neither.
struct Scene {
    relay: TestRelay,
    visitor: Client,
    conversation: shared::ConversationId,
    bystander: Client,
    bystander_token: String,
    bystander_conversation: shared::ConversationId,
}

async fn scene(backend: Backend) -> anyhow::Result<Scene> {
    let relay = TestRelay::start(backend).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let conversation = visitor.start().await?.id;
    visitor
        .visitor_say(&conversation, "m1", "stored before the bad input")
        .await?;
    let mut bystander = Client::demo_visitor(relay.addr()).await?;
    let bystander_token = bystander.visitor_hello(None, vec![]).await?.token;
    let bystander_conversation = bystander.start().await?.id;
    Ok(Scene {
        relay,
        visitor,
        conversation,
        bystander,
        bystander_token,
        bystander_conversation,
    })
}

impl Scene {
    /// The visitor (if still connected), the bystander and the store are fine.
    async fn all_still_work(&mut self, visitor_open: bool) -> anyhow::Result<()> {
        if visitor_open {
            let seq = self
                .visitor
                .visitor_say(&self.conversation, "after", "still working")
                .await?;
            assert_eq!(seq, 2, "exactly one message was stored before");
        } else {
            let stored = self
                .relay
                .store()
                .messages_after(&self.conversation, 0, 10)
                .await?;
            assert_eq!(stored.len(), 1, "nothing stored changed");
            assert_eq!(stored[0].text, "stored before the bad input");
        }
        let conversation = self.bystander_conversation.clone();
        self.bystander
            .visitor_say(&conversation, "bystander-ok", "bystander unaffected")
            .await?;
        Ok(())
    }
}

async fn malformed_unknown_and_invalid_frames_get_typed_errors(
    backend: Backend,
) -> anyhow::Result<()> {
    let mut s = scene(backend).await?;
    let cases = [
        ("{\"type\": \"send\", ", ErrorCode::MalformedJson),
        ("not json at all", ErrorCode::MalformedJson),
        ("{\"type\":\"self_destruct\"}", ErrorCode::UnknownType),
        ("{\"no_type\":1}", ErrorCode::UnknownType),
        (
            "{\"type\":\"add_agent\",\"email\":\"x@y.z\"}",
            ErrorCode::UnknownType,
        ),
        (
            "{\"type\":\"send\",\"conversation\":\"c\"}",
            ErrorCode::InvalidFrame,
        ),
        (
            "{\"type\":\"typing\",\"conversation\":5,\"typing\":\"yes\"}",
            ErrorCode::InvalidFrame,
        ),
    ];
    for (text, code) in cases {
        s.visitor.send_raw(text.into()).await?;
        assert_eq!(s.visitor.recv_error().await?, code, "for {text}");
    }
    s.visitor.send_visitor_hello(None, vec![]).await?;
    assert_eq!(s.visitor.recv_error().await?, ErrorCode::AlreadyGreeted);
    let mut fresh = Client::demo_visitor(s.relay.addr()).await?;
    fresh.send(&VisitorFrame::start(None)).await?;
    assert_eq!(fresh.recv_error().await?, ErrorCode::HelloRequired);
    fresh
        .send(&VisitorFrame::Hello {
            protocol: 99,
            site: "demo".into(),
            visitor_token: None,
            resume: vec![],
        })
        .await?;
    assert_eq!(fresh.recv_error().await?, ErrorCode::UnsupportedProtocol);
    fresh.visitor_hello(None, vec![]).await?; // still usable after all that
    s.all_still_work(true).await
}

async fn oversized_frames_close_with_1009(backend: Backend) -> anyhow::Result<()> {
    let mut s = scene(backend).await?;
    let huge = format!(
        "{{\"type\":\"send\",\"conversation\":\"{}\",\"client_msg_id\":\"big\",\"text\":\"{}\"}}",
        s.conversation,
        "x".repeat(shared::limits::MAX_FRAME_BYTES)
    );
    s.visitor.send_raw(huge).await?;
    let close = s.visitor.recv_close().await?;
    assert_eq!(
        close.map(|c| u16::from(c.code)),
        Some(shared::limits::CLOSE_TOO_BIG)
    );
    // Far beyond the limit too (the transport's own cap).
    let mut other = Client::demo_visitor(s.relay.addr()).await?;
    other.visitor_hello(None, vec![]).await?;
    other.send_raw("y".repeat(3 * 1024 * 1024)).await.ok();
    // The relay closes with 1009 or, past the transport cap, drops the socket.
    if let Ok(Some(close)) = other.recv_close().await {
        assert_eq!(u16::from(close.code), shared::limits::CLOSE_TOO_BIG);
    }
    s.all_still_work(false).await
}

async fn long_and_empty_texts_are_refused(backend: Backend) -> anyhow::Result<()> {
    let mut s = scene(backend).await?;
    let long = "ש".repeat(shared::limits::MAX_TEXT_CHARS + 1);
    let refusal = s
        .visitor
        .visitor_say(&s.conversation.clone(), "long", &long)
        .await
        .unwrap_err();
    assert!(refusal.to_string().contains("text_too_long"), "{refusal}");
    let refusal = s
        .visitor
        .visitor_say(&s.conversation.clone(), "blank", " \n\t ")
        .await
        .unwrap_err();
    assert!(refusal.to_string().contains("empty_text"), "{refusal}");
    let exactly = "a".repeat(shared::limits::MAX_TEXT_CHARS);
    let conversation = s.conversation.clone();
    assert_eq!(
        s.visitor
            .visitor_say(&conversation, "max", &exactly)
            .await?,
        2
    );
    let stored = s.relay.store().messages_after(&conversation, 0, 10).await?;
    assert_eq!(stored.len(), 2);
    s.bystander
        .visitor_say(&s.bystander_conversation.clone(), "b", "fine")
        .await?;
    Ok(())
}

async fn other_visitors_conversations_are_not_found(backend: Backend) -> anyhow::Result<()> {
    let mut s = scene(backend).await?;
    let theirs = s.bystander_conversation.clone();
    for target in [
        theirs.clone(),
        shared::ConversationId::from("c_doesnotexist"),
    ] {
        let err = s
            .visitor
            .visitor_say(&target, &format!("x-{target}"), "let me in")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not_found"), "{err}");
        s.visitor
            .send(&VisitorFrame::Resume(shared::ResumePoint {
                conversation: target.clone(),
                after_seq: 0,
            }))
            .await?;
        assert_eq!(s.visitor.recv_error().await?, ErrorCode::NotFound);
        s.visitor
            .send(&VisitorFrame::Close {
                conversation: target.clone(),
            })
            .await?;
        assert_eq!(s.visitor.recv_error().await?, ErrorCode::NotFound);
        s.visitor
            .send(&VisitorFrame::Typing {
                conversation: target.clone(),
                typing: true,
            })
            .await?;
        assert_eq!(s.visitor.recv_error().await?, ErrorCode::NotFound);
    }
    // The bystander's conversation is untouched, and the bystander saw
    // nothing of it. The marker: a message from the bystander's other tab,
    // which reaches it through its conversation's events, after anything
    // the refused frames (all answered by now) could have sent there.
    let theirs_now = s.relay.store().conversation(&theirs).await?.unwrap();
    assert!(theirs_now.is_open());
    assert_eq!(theirs_now.last_seq, 0);
    let mut other_tab = Client::demo_visitor(s.relay.addr()).await?;
    other_tab
        .visitor_hello(Some(&s.bystander_token), vec![])
        .await?;
    other_tab
        .visitor_say(&theirs, "marker", "from the other tab")
        .await?;
    let seen = s
        .bystander
        .until_marker(
            |f| matches!(f, ServerFrame::Message(m) if m.client_msg_id.as_str() == "marker"),
        )
        .await?;
    assert!(
        !seen
            .iter()
            .any(|f| matches!(f, ServerFrame::Message(_) | ServerFrame::Typing { .. })),
        "{seen:?}"
    );
    s.all_still_work(true).await
}

async fn forged_and_other_site_tokens_are_refused(backend: Backend) -> anyhow::Result<()> {
    let mut s = scene(backend).await?;
    let store = s.relay.store();
    let mut other_site = store.site(&"demo".into()).await?.unwrap();
    other_site.id = "other".into();
    store.put_site(&other_site).await?;
    let origin = format!("http://127.0.0.1:{}", s.relay.addr().port());
    let mut elsewhere = Client::visitor(s.relay.addr(), "other", Some(&origin)).await?;
    elsewhere
        .send(&VisitorFrame::Hello {
            protocol: PROTOCOL_VERSION,
            site: "other".into(),
            visitor_token: None,
            resume: vec![],
        })
        .await?;
    let other_token = match elsewhere.recv().await? {
        ServerFrame::Welcome { visitor_token, .. } => visitor_token,
        other => anyhow::bail!("expected welcome, got {other:?}"),
    };
    let forged = "A".repeat(43);
    for token in [forged.as_str(), other_token.as_str(), ""] {
        let mut intruder = Client::demo_visitor(s.relay.addr()).await?;
        intruder
            .send(&VisitorFrame::Hello {
                protocol: PROTOCOL_VERSION,
                site: "demo".into(),
                visitor_token: Some(token.into()),
                resume: vec![],
            })
            .await?;
        assert_eq!(intruder.recv_error().await?, ErrorCode::InvalidToken);
        intruder.send(&VisitorFrame::start(None)).await?;
        assert_eq!(
            intruder.recv_error().await?,
            ErrorCode::HelloRequired,
            "nothing was granted"
        );
        intruder.visitor_hello(None, vec![]).await?; // may start afresh
    }
    // hello naming a different site than the socket's is refused too.
    let mut sneaky = Client::demo_visitor(s.relay.addr()).await?;
    sneaky
        .send(&VisitorFrame::Hello {
            protocol: PROTOCOL_VERSION,
            site: "other".into(),
            visitor_token: Some(other_token),
            resume: vec![],
        })
        .await?;
    assert_eq!(sneaky.recv_error().await?, ErrorCode::UnknownSite);
    s.all_still_work(true).await
}

async fn wrong_origins_never_get_a_socket(backend: Backend) -> anyhow::Result<()> {
    let mut s = scene(backend).await?;
    let port = s.relay.addr().port();
    let suffix = format!("http://127.0.0.1:{port}.evil.example");
    for origin in [
        Some("https://evil.example"),
        Some(suffix.as_str()),
        Some("null"),
        None,
    ] {
        let refused = Client::visitor(s.relay.addr(), "demo", origin)
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("403"), "{origin:?}: {refused}");
    }
    let unknown = Client::visitor(s.relay.addr(), "no-such-site", Some("https://evil.example"))
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("404"), "{unknown}");
    s.all_still_work(true).await
}

async fn sign_in(
    addr: std::net::SocketAddr,
    email: &str,
    password: &str,
) -> anyhow::Result<(ServerFrame, Duration)> {
    let mut agent = Client::agent(addr).await?;
    let started = std::time::Instant::now();
    let frame = agent.try_sign_in(email, password).await?;
    Ok((frame, started.elapsed()))
}

async fn wrong_passwords_do_not_reveal_accounts(backend: Backend) -> anyhow::Result<()> {
    let mut s = scene(backend).await?;
    let addr = s.relay.addr();
    let mut wrong_times = Vec::new();
    let mut unknown_times = Vec::new();
    for _ in 0..3 {
        let (wrong, t1) = sign_in(addr, ADMIN_EMAIL, "not-the-password").await?;
        let (unknown, t2) = sign_in(addr, "nobody@example.com", "not-the-password").await?;
        // Same code, same words: the answer does not say which emails exist.
        assert_eq!(wrong, unknown);
        assert!(matches!(
            wrong,
            ServerFrame::Error {
                code: ErrorCode::AuthFailed,
                ..
            }
        ));
        wrong_times.push(t1);
        unknown_times.push(t2);
    }
    // Both paths run the password hash: an unknown email is not answered
    // quickly. (A loose ratio of medians, not a speed target.)
    wrong_times.sort();
    unknown_times.sort();
    assert!(
        unknown_times[1] * 4 > wrong_times[1],
        "unknown {unknown_times:?} vs wrong {wrong_times:?}"
    );

    // Repeated failures on one socket end it. (Another account than the
    // admin's: five more failures would make the admin's account wait,
    // see sign_in_backoff.rs.)
    let mut guesser = Client::agent(addr).await?;
    for i in 0..5 {
        guesser
            .send(&AgentFrame::Hello {
                protocol: PROTOCOL_VERSION,
                auth: AgentAuth::Password {
                    email: "guessed@example.com".into(),
                    password: format!("guess{i}"),
                },
                resume: vec![],
            })
            .await?;
        assert_eq!(guesser.recv_error().await?, ErrorCode::AuthFailed);
    }
    assert_eq!(
        guesser.recv_close().await?.map(|c| u16::from(c.code)),
        Some(shared::limits::CLOSE_POLICY)
    );
    let (right, _) = sign_in(
        addr,
        &format!("  {}  ", ADMIN_EMAIL.to_uppercase()),
        ADMIN_PASSWORD,
    )
    .await?;
    assert!(
        matches!(right, ServerFrame::AgentWelcome { .. }),
        "{right:?}"
    );
    s.all_still_work(true).await
}

async fn floods_are_rate_limited_not_closed(backend: Backend) -> anyhow::Result<()> {
    let mut s = scene(backend).await?;
    let conversation = s.conversation.clone();
    // One message was already sent; the burst allows nine more.
    for i in 0..15 {
        s.visitor
            .send(&VisitorFrame::Send {
                conversation: conversation.clone(),
                client_msg_id: format!("f{i}").as_str().into(),
                text: format!("flood {i}"),
            })
            .await?;
    }
    let mut acked = 0;
    let mut limited = 0;
    while acked + limited < 15 {
        match s.visitor.recv().await? {
            ServerFrame::Ack { .. } => acked += 1,
            ServerFrame::Error {
                code: ErrorCode::RateLimited,
                retry_after_ms,
                client_msg_id,
                ..
            } => {
                assert!(retry_after_ms.is_some_and(|ms| ms > 0 && ms <= 1_000));
                assert!(client_msg_id.is_some());
                limited += 1;
            }
            _ => {}
        }
    }
    assert_eq!((acked, limited), (9, 6));
    assert_eq!(
        s.relay
            .store()
            .messages_after(&conversation, 0, 100)
            .await?
            .len(),
        10
    );
    // The bystander is not limited by someone else's flood, and after a
    // pause the flooder may write again: resent when the relay says,
    // accepted as soon as the bucket has a token again.
    let bystander_conversation = s.bystander_conversation.clone();
    s.bystander
        .visitor_say(&bystander_conversation, "calm", "I am fine")
        .await?;
    assert_eq!(
        send_when_allowed(&mut s.visitor, &conversation, "later").await?,
        11
    );

    // Any frame type counts toward the flood guard (typing storms too).
    let mut agent = Client::agent(s.relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    for _ in 0..80 {
        agent
            .send(&AgentFrame::SetPresence {
                presence: Presence::Away,
            })
            .await?;
    }
    agent
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Error {
                    code: ErrorCode::RateLimited,
                    ..
                }
            )
        })
        .await?;
    Ok(())
}

/// Sends a visitor message, resending it as each `rate_limited` refusal's
/// `retry_after_ms` says, until it is acked (within [`WAIT`]); returns its seq.
async fn send_when_allowed(
    visitor: &mut Client,
    conversation: &shared::ConversationId,
    id: &str,
) -> anyhow::Result<u64> {
    tokio::time::timeout(WAIT, resend_until_acked(visitor, conversation, id))
        .await
        .with_context(|| format!("{id} still rate limited after {WAIT:?}"))?
}

async fn resend_until_acked(
    visitor: &mut Client,
    conversation: &shared::ConversationId,
    id: &str,
) -> anyhow::Result<u64> {
    loop {
        visitor
            .send(&VisitorFrame::Send {
                conversation: conversation.clone(),
                client_msg_id: id.into(),
                text: "after a pause".into(),
            })
            .await?;
        let answer = visitor
            .recv_until(|f| match f {
                ServerFrame::Ack { client_msg_id, .. } => client_msg_id.as_str() == id,
                ServerFrame::Error {
                    client_msg_id: Some(c),
                    ..
                } => c.as_str() == id,
                _ => false,
            })
            .await?;
        match answer {
            ServerFrame::Ack { seq, .. } => return Ok(seq),
            ServerFrame::Error {
                code: ErrorCode::RateLimited,
                retry_after_ms: Some(ms),
                ..
            } => tokio::time::sleep(Duration::from_millis(ms)).await,
            other => anyhow::bail!("{id} refused: {other:?}"),
        }
    }
}

async fn admin_only_frames_are_forbidden(backend: Backend) -> anyhow::Result<()> {
    let s = scene(backend).await?;
    let mut admin = Client::agent(s.relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    let add = |email: &str, password: &str, max: u32, is_admin: bool| AgentFrame::AddAgent {
        email: email.into(),
        name: "Dana".into(),
        password: password.into(),
        max_concurrent: max,
        admin: is_admin,
    };
    admin
        .send(&add("dana@example.com", "dana-password", 3, false))
        .await?;
    assert!(matches!(
        admin.recv().await?,
        ServerFrame::AgentAdded { .. }
    ));
    admin
        .send(&add("DANA@example.com", "other-password", 3, false))
        .await?;
    assert_eq!(admin.recv_error().await?, ErrorCode::AlreadyExists);
    admin
        .send(&add("eve@example.com", "short", 3, false))
        .await?;
    assert_eq!(admin.recv_error().await?, ErrorCode::InvalidFrame);
    admin
        .send(&add("eve@example.com", "long-enough", 0, false))
        .await?;
    assert_eq!(admin.recv_error().await?, ErrorCode::InvalidFrame);

    let mut dana = Client::agent(s.relay.addr()).await?;
    dana.agent_sign_in("dana@example.com", "dana-password")
        .await?;
    dana.send(&add("mallory@example.com", "mallory-password", 3, true))
        .await?;
    assert_eq!(dana.recv_error().await?, ErrorCode::Forbidden);
    assert!(s
        .relay
        .store()
        .agent_by_email("mallory@example.com")
        .await?
        .is_none());
    dana.send(&AgentFrame::ListAgents).await?;
    match dana.recv().await? {
        ServerFrame::Agents { agents } => assert_eq!(agents.len(), 2),
        other => anyhow::bail!("expected agents, got {other:?}"),
    }
    Ok(())
}
