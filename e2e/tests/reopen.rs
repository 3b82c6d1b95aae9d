//! Reopening a closed conversation over real sockets, on both stores: the
//! agent who had it reopens it and gets it back with its history, the
//! visitor's widget sees it open again and can write in it, reports count
//! the reopening; an open conversation, another agent's, and one whose
//! visitor has since started another are refused with their typed codes
//! and change nothing.

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::report_period::ReportPeriod;
use shared::{
    AgentFrame, ConversationId, ConversationStatus, ErrorCode, Presence, ServerFrame, SiteId,
};

both_backends!(a_closed_conversation_is_reopened_by_its_agent_and_counted);

fn reopen(conversation: &ConversationId) -> AgentFrame {
    AgentFrame::Reopen {
        conversation: conversation.clone(),
    }
}

/// Sends `frame` and returns the refusal's code.
async fn refused(agent: &mut Client, frame: AgentFrame) -> anyhow::Result<ErrorCode> {
    agent.send(&frame).await?;
    agent.recv_error().await
}

/// Waits for `conversation` in `status`; returns its summary.
async fn seen_as(
    client: &mut Client,
    conversation: &ConversationId,
    status: ConversationStatus,
) -> anyhow::Result<shared::ConversationSummary> {
    match client
        .recv_until(
            |f| matches!(f, ServerFrame::Conversation(c) if c.id == *conversation && c.status == status),
        )
        .await?
    {
        ServerFrame::Conversation(summary) => Ok(summary),
        _ => unreachable!(),
    }
}

async fn close(agent: &mut Client, conversation: &ConversationId) -> anyhow::Result<()> {
    agent
        .send(&AgentFrame::Close {
            conversation: conversation.clone(),
        })
        .await?;
    seen_as(agent, conversation, ConversationStatus::Closed).await?;
    Ok(())
}

async fn reopenings(admin: &mut Client) -> anyhow::Result<Option<f64>> {
    admin
        .send(&AgentFrame::Report {
            site: SiteId::from("demo"),
            period: ReportPeriod::Today,
            business_hours: false,
        })
        .await?;
    match admin
        .recv_until(|f| matches!(f, ServerFrame::Report { .. }))
        .await?
    {
        ServerFrame::Report { report, .. } => Ok(report.overview.reopenings.value),
        _ => unreachable!(),
    }
}

async fn a_closed_conversation_is_reopened_by_its_agent_and_counted(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let store = relay.store();
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin.set_presence(Presence::Online).await?;
    admin
        .add_agent("bob@example.test", "Bob", "bob-password-1234")
        .await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    visitor.start().await?;
    let conversation = visitor.assigned().await?.id;
    let had_it = admin.assigned().await?.agent;
    assert!(had_it.is_some());
    visitor
        .visitor_say(&conversation, "v1", "My order never came")
        .await?;

    let open = refused(&mut admin, reopen(&conversation)).await?;
    assert_eq!(open, ErrorCode::NotClosed, "an open conversation");
    close(&mut admin, &conversation).await?;
    seen_as(&mut visitor, &conversation, ConversationStatus::Closed).await?;
    assert_eq!(reopenings(&mut admin).await?, Some(0.0));

    // Bob never had it and is no admin.
    let mut bob = Client::agent(relay.addr()).await?;
    bob.agent_sign_in("bob@example.test", "bob-password-1234")
        .await?;
    let code = refused(&mut bob, reopen(&conversation)).await?;
    assert_eq!(code, ErrorCode::NotFound, "someone else's conversation");
    let unknown = refused(&mut admin, reopen(&ConversationId::from("c_nope"))).await?;
    assert_eq!(unknown, ErrorCode::NotFound);
    let stored = store.conversation(&conversation).await?.expect("stored");
    assert_eq!(
        stored.status,
        ConversationStatus::Closed,
        "refusals change nothing"
    );

    // The agent reopens it: back to them, open for the visitor again.
    admin.send(&reopen(&conversation)).await?;
    let back = seen_as(&mut admin, &conversation, ConversationStatus::Assigned).await?;
    assert_eq!(back.agent, had_it, "back to the agent who reopened it");
    seen_as(&mut visitor, &conversation, ConversationStatus::Assigned).await?;
    visitor
        .visitor_say(&conversation, "v2", "Still nothing, sorry to ask again")
        .await?;
    let history = store.messages_after(&conversation, 0, 10).await?;
    let texts: Vec<&str> = history.iter().map(|m| m.text.as_str()).collect();
    assert!(
        texts.contains(&"My order never came")
            && texts.contains(&"Still nothing, sorry to ask again"),
        "{texts:?}"
    );
    assert_eq!(reopenings(&mut admin).await?, Some(1.0));

    // Closed again, then the visitor starts a new conversation: the old
    // one cannot be reopened while the new one is open.
    close(&mut admin, &conversation).await?;
    visitor.start().await?;
    let newer = visitor.assigned().await?.id;
    assert_ne!(newer, conversation);
    let busy = refused(&mut admin, reopen(&conversation)).await?;
    assert_eq!(busy, ErrorCode::VisitorBusy);
    let stored = store.conversation(&conversation).await?.expect("stored");
    assert_eq!(stored.status, ConversationStatus::Closed);
    assert_eq!(reopenings(&mut admin).await?, Some(1.0));
    relay.stop().await;
    Ok(())
}
