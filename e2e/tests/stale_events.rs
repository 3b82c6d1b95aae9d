//! Events are snapshots and may arrive after a newer change: a publisher
//! stores a change, then publishes what it stored, and another task's
//! change can be published in between. A session must not act on a stale
//! snapshot: here a conversation's "waiting" summary arrives after its
//! assignment (what a visitor's `start` racing a routing pass used to
//! publish), and the agent must go on receiving the conversation.

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use relay::bus::Event;
use shared::{AgentFrame, ClientMsgId, ConversationStatus, Presence, ServerFrame, VisitorFrame};

both_backends!(stale_waiting_summary_after_assignment_keeps_the_agent_delivering);

async fn stale_waiting_summary_after_assignment_keeps_the_agent_delivering(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    agent.set_presence(Presence::Online).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    visitor.start().await?;
    let conversation = agent.assigned().await?.id;

    // The conversation as it was stored before routing took it.
    let current = relay
        .store()
        .conversation(&conversation)
        .await?
        .expect("the conversation is stored");
    let mut stale = current.summary();
    stale.status = ConversationStatus::Waiting;
    stale.agent = None;
    stale.agent_name = None;
    let service = &relay.app().conversations;
    service
        .publisher()
        .publish(Event::ConversationChanged {
            conversation: Box::new(stale),
            previous_agent: None,
            version: current.version - 1,
        })
        .await;
    // The visitor's typing goes out on the same bus after the stale
    // snapshot, so the agent has handled the snapshot by the time the
    // typing reaches it: a marker, not a clock.
    visitor
        .send(&VisitorFrame::Typing {
            conversation: conversation.clone(),
            typing: true,
        })
        .await?;
    loop {
        match agent.recv().await? {
            ServerFrame::Typing { .. } => break,
            ServerFrame::Conversation(c) if c.id == conversation => {
                assert_eq!(
                    c.status,
                    ConversationStatus::Assigned,
                    "a stale snapshot reached the agent"
                );
            }
            _ => {}
        }
    }

    assert_eq!(visitor.visitor_say(&conversation, "v1", "Hello?").await?, 1);
    // The agent's reply is echoed only to a connection that follows the
    // conversation, and the echo of seq 2 comes after seq 1 (delivered live
    // or filled from the store), both before the ack: so the frames up to
    // the ack show whether the agent still follows it, without waiting on
    // a clock.
    agent
        .send(&AgentFrame::Send {
            conversation: conversation.clone(),
            client_msg_id: ClientMsgId::from("a1"),
            text: "Hi, how can I help?".into(),
        })
        .await?;
    let mut seqs = Vec::new();
    loop {
        match agent.recv().await? {
            ServerFrame::Message(m) if m.conversation == conversation => seqs.push(m.seq),
            ServerFrame::Ack { client_msg_id, .. } if client_msg_id.as_str() == "a1" => break,
            ServerFrame::Error { code, message, .. } => {
                anyhow::bail!("agent reply refused: {code}: {message}")
            }
            _ => {}
        }
    }
    assert_eq!(
        seqs,
        vec![1, 2],
        "the agent still receives the conversation it is assigned"
    );
    relay.stop().await;
    Ok(())
}
