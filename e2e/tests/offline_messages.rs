//! Offline messages on both stores: with nobody online the widget is
//! offered the form; a message left through it opens a case (code,
//! acknowledgement, first message) that routing leaves alone and agents
//! find among the waiting, marked offline; an agent takes it and answers;
//! the answer arrives by email at a local SMTP server the test runs, and
//! in the widget when the visitor comes back. Bad forms are refused with
//! typed errors and open nothing.

use std::time::Duration;

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::smtp_sink::SmtpSink;
use relay::mail::SmtpTls;
use shared::card::PrechatDetails;
use shared::{
    AgentFrame, ConversationStatus, ErrorCode, Presence, ResumePoint, ServerFrame, VisitorFrame,
};

both_backends!(an_offline_message_is_answered_by_email_and_in_the_widget);

const QUESTION: &str = "سلام، سفارش من کی می‌رسد؟";
const ANSWER: &str = "پاسخ ما به پیام شما: فردا می‌رسد.";

fn offline(details: PrechatDetails, text: &str) -> VisitorFrame {
    VisitorFrame::OfflineMessage {
        details,
        text: text.into(),
        topic: None,
        language: Some("fa".into()),
        page_url: None,
    }
}

fn from(email: Option<&str>) -> PrechatDetails {
    PrechatDetails {
        name: Some("Sara".into()),
        email: email.map(str::to_owned),
        phone: None,
    }
}

async fn an_offline_message_is_answered_by_email_and_in_the_widget(
    backend: Backend,
) -> anyhow::Result<()> {
    let sink = SmtpSink::start().await;
    let relay = TestRelay::start_with(backend, |config| {
        config.limits.routing_sweep = Duration::from_millis(200);
        config.smtp.host = Some("127.0.0.1".into());
        config.smtp.port = Some(sink.addr().port());
        config.smtp.from = Some("Support <support@example.test>".into());
        config.smtp.tls = SmtpTls::None;
    })
    .await?;
    let store = relay.store();

    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.send_visitor_hello(None, vec![]).await?;
    let (token, availability) = match visitor.recv().await? {
        ServerFrame::Welcome {
            visitor_token,
            availability,
            ..
        } => (visitor_token, availability),
        other => anyhow::bail!("expected welcome, got {other:?}"),
    };
    assert!(availability.open && !availability.agents_available);
    assert!(availability.offline_form, "{availability:?}");

    // Refused, typed, and nothing opened.
    visitor.send(&offline(from(None), QUESTION)).await?;
    assert_eq!(visitor.recv_error().await?, ErrorCode::InvalidFrame);
    visitor
        .send(&offline(from(Some("not-an-address")), QUESTION))
        .await?;
    assert_eq!(visitor.recv_error().await?, ErrorCode::InvalidDetails);
    visitor
        .send(&offline(from(Some("sara@example.com")), "  "))
        .await?;
    assert_eq!(visitor.recv_error().await?, ErrorCode::EmptyText);
    assert!(store.waiting().await?.is_empty());

    visitor
        .send(&offline(from(Some("sara@example.com")), QUESTION))
        .await?;
    let ack = match visitor
        .recv_until(|f| matches!(f, ServerFrame::Acknowledgement(_)))
        .await?
    {
        ServerFrame::Acknowledgement(ack) => ack,
        _ => unreachable!(),
    };
    assert!(ack.offline && ack.queue_position.is_none(), "{ack:?}");
    assert_eq!(ack.case_code, "CASE-1001");
    let case = ack.conversation.clone();
    visitor.close().await;

    // An agent online does not get it routed; it waits, marked offline.
    let mut agent = Client::agent(relay.addr()).await?;
    let waiting = match agent.try_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await? {
        ServerFrame::AgentWelcome { waiting, .. } => waiting,
        other => anyhow::bail!("expected agent_welcome, got {other:?}"),
    };
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].route.offline && waiting[0].id == case);
    agent.set_presence(Presence::Online).await?;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let still = store.conversation(&case).await?.expect("stored");
    assert_eq!(still.status, ConversationStatus::Waiting);

    agent
        .send(&AgentFrame::Take {
            conversation: case.clone(),
        })
        .await?;
    let taken = agent.assigned().await?;
    assert_eq!(taken.id, case);
    agent.agent_say(&case, "answer-1", ANSWER).await?;

    let mail = sink.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(mail.len(), 1, "one email");
    assert_eq!(mail[0].to, vec!["sara@example.com".to_owned()]);
    let subject = mail[0].header("Subject").unwrap_or_default();
    assert!(subject.contains("CASE-1001"), "{subject}");
    assert!(mail[0].body.contains(ANSWER), "{}", mail[0].body);

    // The visitor comes back and reads the answer in the widget.
    let mut back = Client::demo_visitor(relay.addr()).await?;
    let welcome = back.visitor_hello(Some(&token), vec![]).await?;
    assert!(welcome.conversations.iter().any(|c| c.id == case));
    back.send(&VisitorFrame::Resume(ResumePoint {
        conversation: case.clone(),
        after_seq: 0,
    }))
    .await?;
    back.recv_until(|f| matches!(f, ServerFrame::Message(m) if m.text == ANSWER))
        .await?;
    relay.stop().await;
    Ok(())
}
