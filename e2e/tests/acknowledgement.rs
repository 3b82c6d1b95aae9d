//! Starting a conversation over real sockets, on both stores: the case
//! code it gets and the acknowledgement the visitor is sent (queue place,
//! the expected wait once there is a history of waits, the next opening
//! outside hours), and the pre-chat form's details: refused with a typed
//! error when they cannot be real (nothing started, no case number
//! spent), and never a way into someone else's history.

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use relay::opening_hours::is_open;
use shared::card::PrechatDetails;
use shared::hours::{OpenSpan, OpeningHours};
use shared::{ErrorCode, Presence, ResumePoint, ServerFrame, VisitorFrame};

both_backends!(
    a_new_conversation_is_acknowledged_with_its_case_code,
    outside_hours_the_acknowledgement_says_when_the_team_is_back,
    bad_details_are_refused_and_start_nothing,
    typed_details_never_reveal_another_customers_history,
);

fn email(address: &str) -> Option<PrechatDetails> {
    Some(PrechatDetails {
        name: Some("Typed Name".into()),
        email: Some(address.into()),
        phone: None,
    })
}

async fn a_new_conversation_is_acknowledged_with_its_case_code(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut first = Client::demo_visitor(relay.addr()).await?;
    first.visitor_hello(None, vec![]).await?;
    let ack = first.start_acknowledged(None).await?;
    assert_eq!(ack.case_code, "CASE-1001");
    // No agent online: first in the queue, and no wait measured yet.
    assert_eq!(ack.queue_position, Some(1));
    assert_eq!(ack.expected_wait_ms, None);
    assert_eq!(ack.away, None);
    // Asking again returns the open conversation, unacknowledged again.
    let again = first.start().await?;
    assert_eq!(again.id, ack.conversation);
    assert_eq!(again.case_code.as_deref(), Some("CASE-1001"));

    // An agent takes it: now there is a wait to quote.
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    agent.set_presence(Presence::Online).await?;
    let taken = agent.assigned().await?;
    assert_eq!(taken.case_code.as_deref(), Some("CASE-1001"));
    agent.set_presence(Presence::Away).await?;

    let mut second = Client::demo_visitor(relay.addr()).await?;
    second.visitor_hello(None, vec![]).await?;
    let ack = second.start_acknowledged(None).await?;
    assert_eq!(ack.case_code, "CASE-1002");
    assert_eq!(ack.queue_position, Some(1));
    assert!(ack.expected_wait_ms.is_some(), "{ack:?}");
    relay.stop().await;
    Ok(())
}

async fn outside_hours_the_acknowledgement_says_when_the_team_is_back(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let now = relay::now_ms();
    // Open one hour a week, three days from today: closed now, whatever
    // the day the test runs.
    let today = ((now / 86_400_000) + 3) % 7; // 1970-01-01 was a Thursday
    let hours = OpeningHours {
        time_zone: "UTC".into(),
        spans: vec![OpenSpan {
            weekday: u8::try_from((today + 3) % 7)?,
            opens: 9 * 60,
            closes: 10 * 60,
        }],
        ..OpeningHours::default()
    };
    let store = relay.store();
    let mut site = store.site(&"demo".into()).await?.expect("demo site");
    site.hours = Some(hours.clone());
    store.put_site(&site).await?;

    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let ack = visitor.start_acknowledged(None).await?;
    let away = ack.away.expect("started outside hours");
    assert_eq!(away.hours, hours);
    let opens = away
        .opens_at_ms
        .expect("a schedule with a span opens again");
    assert!(opens > now && opens <= now + 7 * 86_400_000, "{opens}");
    assert!(is_open(&hours, opens) && !is_open(&hours, opens - 60_000));
    relay.stop().await;
    Ok(())
}

async fn bad_details_are_refused_and_start_nothing(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let refusals = [
        email("not-an-address"),
        Some(PrechatDetails {
            name: Some("Ada".into()),
            email: None,
            phone: Some("12".into()),
        }),
        Some(PrechatDetails {
            name: Some("Ada".into()),
            email: None,
            phone: None,
        }),
        Some(PrechatDetails {
            name: Some("A".repeat(101)),
            email: Some("ada@example.com".into()),
            phone: None,
        }),
    ];
    for details in refusals {
        visitor.send(&VisitorFrame::start(details)).await?;
        assert_eq!(visitor.recv_error().await?, ErrorCode::InvalidDetails);
    }
    // Nothing was started and no case number was spent; the connection
    // works and good details start the first case.
    let ack = visitor
        .start_acknowledged(Some(PrechatDetails {
            name: Some("Ada".into()),
            email: None,
            phone: Some("+44 20 7946 0958".into()),
        }))
        .await?;
    assert_eq!(ack.case_code, "CASE-1001");
    let contact = relay
        .store()
        .contact_by_identity(
            &"demo".into(),
            shared::contacts::IdentityKind::Phone,
            "+442079460958",
        )
        .await?
        .expect("the phone is on the visitor's contact");
    let record = relay.store().contact(&contact).await?.expect("contact");
    assert_eq!(record.name.as_deref(), Some("Ada"));
    assert!(record
        .identities
        .iter()
        .all(|i| i.kind == shared::contacts::IdentityKind::Visitor || !i.verified));
    relay.stop().await;
    Ok(())
}

async fn typed_details_never_reveal_another_customers_history(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    // Bea chats first and gives her email.
    let mut bea = Client::demo_visitor(relay.addr()).await?;
    bea.visitor_hello(None, vec![]).await?;
    let beas = bea
        .start_acknowledged(email("bea@example.com"))
        .await?
        .conversation;
    bea.visitor_say(&beas, "b1", "my order number is 5521")
        .await?;

    // Someone else types Bea's email in the form.
    let mut mallory = Client::demo_visitor(relay.addr()).await?;
    let welcome = mallory.visitor_hello(None, vec![]).await?;
    assert!(welcome.conversations.is_empty());
    let own = mallory.start_acknowledged(email("BEA@example.com")).await?;
    assert_ne!(own.conversation, beas);
    // Nothing of Bea's comes with it, and asking for it is not_found. The
    // marker: starting again answers with Mallory's own open conversation,
    // after the resume (the relay handles one connection's frames in order).
    mallory
        .send(&VisitorFrame::Resume(ResumePoint {
            conversation: beas.clone(),
            after_seq: 0,
        }))
        .await?;
    mallory.send(&VisitorFrame::start(None)).await?;
    let seen = mallory
        .until_marker(|f| matches!(f, ServerFrame::Conversation(c) if c.id == own.conversation))
        .await?;
    let errors: Vec<ErrorCode> = seen
        .iter()
        .filter_map(|f| match f {
            ServerFrame::Error { code, .. } => Some(*code),
            _ => None,
        })
        .collect();
    assert_eq!(errors, [ErrorCode::NotFound], "{seen:?}");
    assert!(
        !seen
            .iter()
            .any(|f| matches!(f, ServerFrame::Message(m) if m.conversation == beas)),
        "{seen:?}"
    );
    // The email stays Bea's; Mallory's record got a proposal, not a link.
    let store = relay.store();
    let holder = store
        .contact_by_identity(
            &"demo".into(),
            shared::contacts::IdentityKind::Email,
            "bea@example.com",
        )
        .await?
        .expect("bea's email has a holder");
    let proposals = store.merge_proposals(&holder).await?;
    assert_eq!(proposals.len(), 1, "{proposals:?}");
    assert_eq!(proposals[0].into, holder);
    assert!(!proposals[0].matched.verified);
    mallory.close().await;
    relay.stop().await;
    Ok(())
}
