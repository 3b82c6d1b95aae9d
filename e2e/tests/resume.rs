//! Never lose, never duplicate: resends are stored once, reconnecting
//! clients get exactly what they missed, in order, and a relay restart on
//! the same data loses nothing that was acknowledged.

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::{
    AgentAuth, AgentFrame, ConversationStatus, Presence, ResumePoint, Role, ServerFrame,
    VisitorFrame, PROTOCOL_VERSION,
};

both_backends!(
    resend_is_stored_once_and_acked_with_the_same_seq,
    reconnect_resumes_exactly_the_missed_messages,
    restart_loses_nothing_acknowledged
);

fn seqs(frames: &[ServerFrame]) -> Vec<u64> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerFrame::Message(m) => Some(m.seq),
            _ => None,
        })
        .collect()
}

/// `as_role`'s side of `conversation` starts typing: a marker for the
/// other side (not stored, and sent through the conversation's events
/// like a message).
async fn typing(
    client: &mut Client,
    as_role: Role,
    conversation: &shared::ConversationId,
) -> anyhow::Result<()> {
    let (conversation, typing) = (conversation.clone(), true);
    match as_role {
        Role::Agent => {
            client
                .send(&AgentFrame::Typing {
                    conversation,
                    typing,
                })
                .await
        }
        _ => {
            client
                .send(&VisitorFrame::Typing {
                    conversation,
                    typing,
                })
                .await
        }
    }
}

/// Matches the typing frame [`typing`] causes on the other side.
fn is_typing(from: Role) -> impl FnMut(&ServerFrame) -> bool {
    move |f| matches!(f, ServerFrame::Typing { role, typing: true, .. } if *role == from)
}

async fn chat(
    relay: &TestRelay,
) -> anyhow::Result<(Client, Client, String, shared::ConversationId)> {
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    agent.set_presence(Presence::Online).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    let token = visitor.visitor_hello(None, vec![]).await?.token;
    visitor.start().await?;
    let conversation = agent.assigned().await?.id;
    Ok((agent, visitor, token, conversation))
}

async fn resend_is_stored_once_and_acked_with_the_same_seq(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (mut agent, mut visitor, _, conversation) = chat(&relay).await?;
    assert_eq!(
        visitor
            .visitor_say(&conversation, "same-id", "only once")
            .await?,
        1
    );
    // The ack was "lost": the widget sends the same message again.
    assert_eq!(
        visitor
            .visitor_say(&conversation, "same-id", "only once")
            .await?,
        1
    );
    assert_eq!(
        visitor
            .visitor_say(&conversation, "next-id", "second")
            .await?,
        2
    );
    assert_eq!(agent.message(&conversation, 1).await?, "only once");
    assert_eq!(agent.message(&conversation, 2).await?, "second");
    // The marker: the visitor's typing reaches the agent through the
    // conversation's events, after anything the resend could have sent.
    typing(&mut visitor, Role::Visitor, &conversation).await?;
    let later = agent.until_marker(is_typing(Role::Visitor)).await?;
    assert!(seqs(&later).is_empty(), "no duplicate delivered: {later:?}");
    assert_eq!(
        relay
            .store()
            .messages_after(&conversation, 0, 10)
            .await?
            .len(),
        2
    );
    relay.stop().await;
    Ok(())
}

async fn reconnect_resumes_exactly_the_missed_messages(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (mut agent, mut visitor, token, conversation) = chat(&relay).await?;
    visitor.visitor_say(&conversation, "v1", "one").await?;
    visitor.visitor_say(&conversation, "v2", "two").await?;
    visitor.close().await;
    for (i, text) in ["three", "four", "five"].iter().enumerate() {
        agent
            .agent_say(&conversation, &format!("a{i}"), text)
            .await?;
    }
    // The visitor comes back having seen up to seq 2.
    let mut back = Client::demo_visitor(relay.addr()).await?;
    let welcome = back
        .visitor_hello(
            Some(&token),
            vec![ResumePoint {
                conversation: conversation.clone(),
                after_seq: 2,
            }],
        )
        .await?;
    assert_eq!(welcome.conversations.len(), 1);
    assert_eq!(welcome.conversations[0].last_seq, 5);
    // The marker: the agent's typing, which follows the replay.
    typing(&mut agent, Role::Agent, &conversation).await?;
    let frames = back.until_marker(is_typing(Role::Agent)).await?;
    assert_eq!(seqs(&frames), vec![3, 4, 5]);

    // The agent reconnects with its session token, having seen up to seq 4.
    let token_frame = {
        agent.send(&AgentFrame::SignOut).await.ok();
        agent.recv_close().await?;
        let mut fresh = Client::agent(relay.addr()).await?;
        fresh.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?
    };
    let mut again = Client::agent(relay.addr()).await?;
    again
        .send(&AgentFrame::Hello {
            protocol: PROTOCOL_VERSION,
            auth: AgentAuth::Session { token: token_frame },
            resume: vec![ResumePoint {
                conversation: conversation.clone(),
                after_seq: 4,
            }],
        })
        .await?;
    let first = again.recv().await?;
    assert!(
        matches!(first, ServerFrame::AgentWelcome { .. }),
        "{first:?}"
    );
    // The marker: the visitor's typing, which follows the replay.
    typing(&mut back, Role::Visitor, &conversation).await?;
    let frames = again.until_marker(is_typing(Role::Visitor)).await?;
    assert_eq!(seqs(&frames), vec![5]);

    // A live message after resuming arrives once.
    back.visitor_say(&conversation, "v6", "six").await?;
    assert_eq!(again.message(&conversation, 6).await?, "six");
    relay.stop().await;
    Ok(())
}

async fn restart_loses_nothing_acknowledged(backend: Backend) -> anyhow::Result<()> {
    let mut relay = TestRelay::start(backend).await?;
    let (mut agent, mut visitor, token, conversation) = chat(&relay).await?;
    let session = {
        let mut other = Client::agent(relay.addr()).await?;
        other.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?
    };
    let mut acked = Vec::new();
    for i in 0..20 {
        let text = format!("message {i}");
        let seq = if i % 2 == 0 {
            visitor
                .visitor_say(&conversation, &format!("v{i}"), &text)
                .await?
        } else {
            agent
                .agent_say(&conversation, &format!("a{i}"), &text)
                .await?
        };
        acked.push((seq, text));
    }
    // Graceful restart: connected clients are told to reconnect.
    let restart = relay.restart();
    let (restarted, reconnect) = tokio::join!(
        restart,
        visitor.recv_until(|f| matches!(f, ServerFrame::Reconnect { .. }))
    );
    restarted?;
    reconnect?;
    let close = visitor.recv_close().await?;
    assert_eq!(
        close.map(|c| u16::from(c.code)),
        Some(shared::limits::CLOSE_RESTARTING)
    );

    // Same visitor token, same session token, same transcript.
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    let welcome = visitor
        .visitor_hello(
            Some(&token),
            vec![ResumePoint {
                conversation: conversation.clone(),
                after_seq: 0,
            }],
        )
        .await?;
    assert_eq!(
        welcome.conversations[0].status,
        ConversationStatus::Assigned
    );
    // The marker: starting again answers with the open conversation,
    // after the replay (one connection's frames are handled in order).
    visitor.send(&VisitorFrame::start(None)).await?;
    let frames = visitor
        .until_marker(|f| matches!(f, ServerFrame::Conversation(c) if c.id == conversation))
        .await?;
    let replayed: Vec<(u64, String)> = frames
        .into_iter()
        .filter_map(|f| match f {
            ServerFrame::Message(m) => Some((m.seq, m.text)),
            _ => None,
        })
        .collect();
    assert_eq!(replayed, acked);

    let mut agent = Client::agent(relay.addr()).await?;
    agent
        .send(&AgentFrame::Hello {
            protocol: PROTOCOL_VERSION,
            auth: AgentAuth::Session { token: session },
            resume: vec![],
        })
        .await?;
    match agent.recv().await? {
        ServerFrame::AgentWelcome { conversations, .. } => {
            assert_eq!(conversations[0].id, conversation)
        }
        other => anyhow::bail!("expected agent_welcome, got {other:?}"),
    }
    // A resend of an acknowledged message after the restart is still a duplicate.
    assert_eq!(
        visitor
            .visitor_say(&conversation, "v0", "message 0")
            .await?,
        1
    );
    visitor
        .send(&VisitorFrame::Resume(ResumePoint {
            conversation: conversation.clone(),
            after_seq: 19,
        }))
        .await?;
    assert_eq!(visitor.message(&conversation, 20).await?, "message 19");
    relay.stop().await;
    Ok(())
}
