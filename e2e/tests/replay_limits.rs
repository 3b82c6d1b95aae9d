//! Replays cannot be made to amplify, over real sockets on both stores: a
//! hello naming one conversation many times replays it once, a hello
//! naming more conversations than the limit is refused with a typed error
//! (and the connection goes on), and a history longer than a page (and
//! than a turn's byte budget) still arrives whole, in order, exactly once,
//! page by page.

use e2e::both_backends;
use e2e::client::Client;
use e2e::records::visitor_message;
use e2e::relay_harness::{Backend, TestRelay};
use shared::limits::{MAX_REPLAY, MAX_RESUME_POINTS};
use shared::{ConversationId, ErrorCode, ResumePoint, ServerFrame, VisitorFrame};

both_backends!(
    one_conversation_named_many_times_replays_once,
    too_many_resume_points_are_refused_and_the_socket_goes_on,
    a_long_history_arrives_whole_page_by_page,
);

/// A visitor (its token) with a conversation holding `count` messages of
/// `chars` characters each, stored directly.
async fn history(
    relay: &TestRelay,
    count: u64,
    chars: usize,
) -> anyhow::Result<(String, ConversationId)> {
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    let token = visitor.visitor_hello(None, vec![]).await?.token;
    let conversation = visitor.start().await?.id;
    visitor.close().await;
    let body = "x".repeat(chars);
    for n in 1..=count {
        relay
            .store()
            .append_message(&visitor_message(
                &conversation,
                &format!("m{n}"),
                format!("{n} {body}"),
            ))
            .await?;
    }
    Ok((token, conversation))
}

fn from_start(conversation: &ConversationId) -> ResumePoint {
    ResumePoint {
        conversation: conversation.clone(),
        after_seq: 0,
    }
}

/// Reads until seq `last` of `conversation` arrived, then until a marker
/// (the answer to a `start`, sent only then), and returns every seq of
/// the conversation received: a duplicate would show.
async fn seqs_until(
    visitor: &mut Client,
    conversation: &ConversationId,
    last: u64,
) -> anyhow::Result<Vec<u64>> {
    let mut seqs = Vec::new();
    loop {
        match visitor.recv().await? {
            ServerFrame::Message(m) if &m.conversation == conversation => {
                seqs.push(m.seq);
                if m.seq == last {
                    break;
                }
            }
            ServerFrame::Error { code, message, .. } => anyhow::bail!("{code}: {message}"),
            _ => {}
        }
    }
    visitor.send(&VisitorFrame::start(None)).await?;
    for frame in visitor
        .until_marker(|f| matches!(f, ServerFrame::Conversation(c) if &c.id == conversation))
        .await?
    {
        if let ServerFrame::Message(m) = frame {
            seqs.push(m.seq);
        }
    }
    Ok(seqs)
}

async fn one_conversation_named_many_times_replays_once(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (token, conversation) = history(&relay, 30, 10).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    let points = vec![from_start(&conversation); 5 * MAX_RESUME_POINTS];
    visitor.visitor_hello(Some(&token), points).await?;
    let seqs = seqs_until(&mut visitor, &conversation, 30).await?;
    assert_eq!(seqs, (1..=30).collect::<Vec<u64>>());
    relay.stop().await;
    Ok(())
}

async fn too_many_resume_points_are_refused_and_the_socket_goes_on(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (token, conversation) = history(&relay, 3, 10).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    let mut points: Vec<ResumePoint> = (0..MAX_RESUME_POINTS)
        .map(|i| from_start(&format!("c_unknown_{i}").as_str().into()))
        .collect();
    points.push(from_start(&conversation));
    visitor
        .send(&VisitorFrame::Hello {
            protocol: shared::PROTOCOL_VERSION,
            site: "demo".into(),
            visitor_token: Some(token.clone()),
            resume: points,
        })
        .await?;
    match visitor.recv().await? {
        ServerFrame::Error { code, .. } => assert_eq!(code, ErrorCode::InvalidFrame),
        other => anyhow::bail!("expected invalid_frame, got {other:?}"),
    }
    // Not greeted: a hello within the limit works on the same socket.
    let welcome = visitor
        .visitor_hello(Some(&token), vec![from_start(&conversation)])
        .await?;
    assert_eq!(welcome.conversations.len(), 1);
    assert_eq!(
        seqs_until(&mut visitor, &conversation, 3).await?,
        vec![1, 2, 3]
    );
    relay.stop().await;
    Ok(())
}

async fn a_long_history_arrives_whole_page_by_page(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    // Over two pages, and over the 1 MiB a turn may queue.
    let count = 2 * MAX_REPLAY as u64 + 300;
    let (token, conversation) = history(&relay, count, 1_000).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor
        .visitor_hello(Some(&token), vec![from_start(&conversation)])
        .await?;
    let seqs = seqs_until(&mut visitor, &conversation, count).await?;
    assert_eq!(seqs, (1..=count).collect::<Vec<u64>>());
    relay.stop().await;
    Ok(())
}
