//! The main chat flows over real sockets: a visitor and an agent talking,
//! the queue and its positions, assignment as capacity frees, transfer,
//! and the queue's messages reaching the agents who read them.

use anyhow::Context;
use e2e::both_backends;
use e2e::client::{queue_gains, Client};
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use relay::conversations::{AgentGrants, ServiceError};
use relay::store::AgentRecord;
use shared::{AgentFrame, ConversationStatus, Presence, Role, ServerFrame, VisitorFrame};

both_backends!(
    visitor_and_agent_chat_both_ways,
    queue_then_assignment_as_capacity_frees,
    transfer_hands_over_the_whole_transcript,
    a_grant_held_across_a_transfer_is_refused_by_the_store,
    waiting_conversations_an_agent_read_arrive_live
);

/// Adds an agent through the admin's socket; returns its id.
async fn add_agent(admin: &mut Client, email: &str, max: u32) -> anyhow::Result<shared::AgentId> {
    admin
        .send(&AgentFrame::AddAgent {
            email: email.into(),
            name: email.split('@').next().unwrap_or("agent").into(),
            password: "agent-password".into(),
            max_concurrent: max,
            admin: false,
        })
        .await?;
    match admin
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::AgentAdded { .. } | ServerFrame::Error { .. }
            )
        })
        .await?
    {
        ServerFrame::AgentAdded { agent } => Ok(agent.id),
        other => anyhow::bail!("adding an agent failed: {other:?}"),
    }
}

async fn visitor_and_agent_chat_both_ways(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    agent.set_presence(Presence::Online).await?;

    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    let welcome = visitor.visitor_hello(None, vec![]).await?;
    assert!(welcome.token.len() >= 40, "a long random token");
    assert!(welcome.conversations.is_empty());
    visitor.start().await?;
    let assigned = visitor.assigned().await?;
    assert_eq!(assigned.agent_name.as_deref(), Some("Admin"));
    let conversation = assigned.id.clone();
    assert_eq!(agent.assigned().await?.id, conversation);

    assert_eq!(
        visitor
            .visitor_say(&conversation, "v1", "Hello, is anyone there?")
            .await?,
        1
    );
    assert_eq!(
        agent.message(&conversation, 1).await?,
        "Hello, is anyone there?"
    );

    visitor
        .send(&VisitorFrame::Typing {
            conversation: conversation.clone(),
            typing: true,
        })
        .await?;
    let typing = agent
        .recv_until(|f| matches!(f, ServerFrame::Typing { .. }))
        .await?;
    assert_eq!(
        typing,
        ServerFrame::Typing {
            conversation: conversation.clone(),
            role: Role::Visitor,
            typing: true
        }
    );

    agent
        .send(&AgentFrame::Typing {
            conversation: conversation.clone(),
            typing: true,
        })
        .await?;
    let typing = visitor
        .recv_until(|f| matches!(f, ServerFrame::Typing { .. }))
        .await?;
    assert_eq!(
        typing,
        ServerFrame::Typing {
            conversation: conversation.clone(),
            role: Role::Agent,
            typing: true
        }
    );

    assert_eq!(
        agent
            .agent_say(&conversation, "a1", "Yes! How can I help?")
            .await?,
        2
    );
    match visitor
        .recv_until(|f| matches!(f, ServerFrame::Message(m) if m.seq == 2))
        .await?
    {
        ServerFrame::Message(m) => {
            assert_eq!(m.text, "Yes! How can I help?");
            assert_eq!(m.author.role, Role::Agent);
            assert_eq!(m.author.name.as_deref(), Some("Admin"));
        }
        _ => unreachable!(),
    }

    visitor
        .send(&VisitorFrame::Close {
            conversation: conversation.clone(),
        })
        .await?;
    let closed = agent
        .recv_until(
            |f| matches!(f, ServerFrame::Conversation(c) if c.status == ConversationStatus::Closed),
        )
        .await?;
    assert!(matches!(closed, ServerFrame::Conversation(c) if c.id == conversation));
    let stored = relay.store().messages_after(&conversation, 0, 10).await?;
    assert_eq!(
        stored.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        ["Hello, is anyone there?", "Yes! How can I help?"]
    );
    relay.stop().await;
    Ok(())
}

fn position_of(frame: &ServerFrame) -> Option<u32> {
    match frame {
        ServerFrame::QueuePosition { position, .. } => Some(*position),
        _ => None,
    }
}

async fn queue_then_assignment_as_capacity_frees(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    add_agent(&mut admin, "solo@example.com", 1).await?;
    admin.close().await;

    let mut first = Client::demo_visitor(relay.addr()).await?;
    first.visitor_hello(None, vec![]).await?;
    let c1 = first.start().await?;
    assert_eq!(c1.status, ConversationStatus::Waiting);
    assert_eq!(
        position_of(&first.recv_until(|f| position_of(f).is_some()).await?),
        Some(1)
    );

    let mut second = Client::demo_visitor(relay.addr()).await?;
    second.visitor_hello(None, vec![]).await?;
    let c2 = second.start().await?;
    assert_eq!(
        position_of(&second.recv_until(|f| position_of(f).is_some()).await?),
        Some(2)
    );
    // Waiting visitors can already write; the agent gets it with the history.
    assert_eq!(
        second
            .visitor_say(&c2.id, "early", "I am second in line")
            .await?,
        1
    );

    // The only agent comes online with capacity 1: the oldest conversation goes first.
    let mut solo = Client::agent(relay.addr()).await?;
    solo.agent_sign_in("solo@example.com", "agent-password")
        .await?;
    solo.set_presence(Presence::Online).await?;
    assert_eq!(solo.assigned().await?.id, c1.id);
    assert_eq!(first.assigned().await?.id, c1.id);
    assert_eq!(
        position_of(&second.recv_until(|f| position_of(f).is_some()).await?),
        Some(1)
    );

    // Closing the first frees capacity: the second is assigned at once.
    solo.send(&AgentFrame::Close {
        conversation: c1.id.clone(),
    })
    .await?;
    assert_eq!(second.assigned().await?.id, c2.id);
    assert_eq!(solo.assigned().await?.id, c2.id);
    assert_eq!(solo.message(&c2.id, 1).await?, "I am second in line");
    relay.stop().await;
    Ok(())
}

/// The admin online with a visitor's conversation, and Bob, offline.
struct Transfer {
    relay: TestRelay,
    admin: Client,
    bob_id: shared::AgentId,
    visitor: Client,
    conversation: shared::ConversationId,
}

impl Transfer {
    async fn set_up(backend: Backend) -> anyhow::Result<Self> {
        let relay = TestRelay::start(backend).await?;
        let mut admin = Client::agent(relay.addr()).await?;
        admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        let bob_id = add_agent(&mut admin, "bob@example.com", 2).await?;
        admin.set_presence(Presence::Online).await?;

        let mut visitor = Client::demo_visitor(relay.addr()).await?;
        visitor.visitor_hello(None, vec![]).await?;
        visitor.start().await?;
        let conversation = admin.assigned().await?.id;
        Ok(Self {
            relay,
            admin,
            bob_id,
            visitor,
            conversation,
        })
    }
}

async fn transfer_hands_over_the_whole_transcript(backend: Backend) -> anyhow::Result<()> {
    let Transfer {
        relay,
        mut admin,
        bob_id,
        mut visitor,
        conversation,
    } = Transfer::set_up(backend).await?;
    visitor
        .visitor_say(&conversation, "v1", "My order is late")
        .await?;
    admin
        .agent_say(&conversation, "a1", "Let me get Bob, he handles orders")
        .await?;

    // Bob is offline: the transfer is refused and nothing moves.
    admin
        .send(&AgentFrame::Transfer {
            conversation: conversation.clone(),
            to_agent: bob_id.clone(),
        })
        .await?;
    assert_eq!(
        admin.recv_error().await?,
        shared::ErrorCode::AgentUnavailable
    );
    admin
        .send(&AgentFrame::Transfer {
            conversation: conversation.clone(),
            to_agent: "a_nobody".into(),
        })
        .await?;
    assert_eq!(admin.recv_error().await?, shared::ErrorCode::UnknownAgent);

    let mut bob = Client::agent(relay.addr()).await?;
    bob.agent_sign_in("bob@example.com", "agent-password")
        .await?;
    bob.set_presence(Presence::Online).await?;
    admin
        .send(&AgentFrame::Transfer {
            conversation: conversation.clone(),
            to_agent: bob_id.clone(),
        })
        .await?;
    assert_eq!(bob.assigned().await?.id, conversation);
    assert_eq!(bob.message(&conversation, 1).await?, "My order is late");
    assert_eq!(
        bob.message(&conversation, 2).await?,
        "Let me get Bob, he handles orders"
    );
    let handed = admin
        .recv_until(
            |f| matches!(f, ServerFrame::Conversation(c) if c.agent.as_ref() == Some(&bob_id)),
        )
        .await?;
    assert!(matches!(handed, ServerFrame::Conversation(_)));
    let seen = visitor
        .recv_until(
            |f| matches!(f, ServerFrame::Conversation(c) if c.agent_name.as_deref() == Some("bob")),
        )
        .await?;
    assert!(matches!(seen, ServerFrame::Conversation(_)));

    assert_eq!(
        bob.agent_say(&conversation, "b1", "Bob here: it ships today")
            .await?,
        3
    );
    assert_eq!(
        visitor.message(&conversation, 3).await?,
        "Bob here: it ships today"
    );
    // The previous agent can no longer write into it.
    admin
        .send(&AgentFrame::Send {
            conversation: conversation.clone(),
            client_msg_id: "a2".into(),
            text: "me too".into(),
        })
        .await?;
    assert_eq!(admin.recv_error().await?, shared::ErrorCode::NotFound);
    assert_eq!(
        relay
            .store()
            .conversation(&conversation)
            .await?
            .map(|c| c.last_seq),
        Some(3)
    );
    relay.stop().await;
    Ok(())
}

/// An agent's session keeps its grant between replies; the store checks
/// the assignment with each append, so a reply racing a transfer (sent
/// before the session heard of it) is refused and stores nothing, while a
/// resend of what was stored before is still acked.
async fn a_grant_held_across_a_transfer_is_refused_by_the_store(
    backend: Backend,
) -> anyhow::Result<()> {
    let Transfer {
        relay,
        bob_id,
        mut visitor,
        conversation,
        ..
    } = Transfer::set_up(backend).await?;
    visitor.visitor_say(&conversation, "v1", "Hello?").await?;
    let store = relay.store();
    let admin = store.agent_by_email(ADMIN_EMAIL).await?.context("admin")?;
    let bob = store.agent(&bob_id).await?.context("bob")?;
    let c = &conversation;

    let mut held = AgentGrants::default();
    assert_eq!(reply(&relay, &mut held, &admin, c, "g1").await?, (2, false));
    store
        .set_presence(&bob_id, Presence::Online, relay::now_ms())
        .await?;
    relay
        .app()
        .conversations
        .transfer(&admin, c, &bob_id)
        .await?;
    // A resend of what was stored before the transfer is acked as stored.
    assert_eq!(reply(&relay, &mut held, &admin, c, "g1").await?, (2, true));
    let refused = Err(ServiceError::NotFound(
        "no such conversation assigned to you",
    ));
    assert_eq!(reply(&relay, &mut held, &admin, c, "g2").await, refused);
    // The refusal dropped the grant: the next try reads the store afresh.
    assert_eq!(reply(&relay, &mut held, &admin, c, "g3").await, refused);
    let mut bobs = AgentGrants::default();
    assert_eq!(reply(&relay, &mut bobs, &bob, c, "b1").await?, (3, false));
    assert_eq!(visitor.message(c, 3).await?, "reply b1");
    let stored = store.conversation(c).await?.context("kept")?;
    assert_eq!(stored.last_seq, 3);
    relay.stop().await;
    Ok(())
}

/// `agent` replies "reply {id}" through the service, as its socket would:
/// the stored seq and whether it was a resend.
async fn reply(
    relay: &TestRelay,
    grants: &mut AgentGrants,
    agent: &AgentRecord,
    conversation: &shared::ConversationId,
    id: &str,
) -> Result<(u64, bool), ServiceError> {
    let posted = relay
        .app()
        .conversations
        .agent_post(
            grants,
            agent,
            conversation,
            id.into(),
            format!("reply {id}"),
        )
        .await?;
    Ok((posted.message.seq, posted.duplicate))
}

async fn waiting_conversations_an_agent_read_arrive_live(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    // Signed in but not online: the conversation stays in the queue.
    let mut watcher = Client::agent(relay.addr()).await?;
    watcher.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    add_agent(&mut watcher, "taker@example.com", 1).await?;

    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let conversation = visitor.start().await?.id;
    watcher
        .recv_until(|f| queue_gains(f, &conversation))
        .await?;
    watcher
        .send(&AgentFrame::Resume(shared::ResumePoint {
            conversation: conversation.clone(),
            after_seq: 0,
        }))
        .await?;

    // Pushed without asking again: the message and the visitor's typing.
    visitor
        .visitor_say(&conversation, "q1", "anyone there?")
        .await?;
    assert_eq!(watcher.message(&conversation, 1).await?, "anyone there?");
    visitor
        .send(&VisitorFrame::Typing {
            conversation: conversation.clone(),
            typing: true,
        })
        .await?;
    let typing = watcher
        .recv_until(|f| matches!(f, ServerFrame::Typing { .. }))
        .await?;
    assert!(matches!(
        typing,
        ServerFrame::Typing {
            role: Role::Visitor,
            typing: true,
            ..
        }
    ));

    // Another agent takes it: the watcher stops getting its messages.
    let mut taker = Client::agent(relay.addr()).await?;
    taker
        .agent_sign_in("taker@example.com", "agent-password")
        .await?;
    taker.set_presence(Presence::Online).await?;
    assert_eq!(taker.assigned().await?.id, conversation);
    visitor.assigned().await?;
    visitor.visitor_say(&conversation, "q2", "thanks").await?;
    assert_eq!(taker.message(&conversation, 2).await?, "thanks");
    // The marker: a conversation started now reaches the watcher's queue
    // after any event published before it.
    let mut next = Client::demo_visitor(relay.addr()).await?;
    next.visitor_hello(None, vec![]).await?;
    let queued = next.start().await?.id;
    let after = watcher.until_marker(|f| queue_gains(f, &queued)).await?;
    assert!(
        !after
            .iter()
            .any(|f| matches!(f, ServerFrame::Message(m) if m.seq == 2)),
        "an agent no longer sees a conversation another agent took: {after:?}"
    );
    relay.stop().await;
    Ok(())
}
