//! Routing over real sockets on both stores: a visitor goes to an agent
//! who speaks their language, and only after the site's widening delay to
//! anyone else (which the conversation then says); away agents get
//! nothing; an unanswered conversation, or one whose agent went offline,
//! goes back to the front of the queue and to another agent; priority
//! customers go first, and agents see why.

use std::time::Duration;

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::routing_setup::{agent_of, set_routing, speaker, until, visitor_in};
use relay::store::NewMessage;
use shared::routing::{AttributeRule, Match, Priority};
use shared::{Author, ClientMsgId, ConversationStatus, Presence, Role, ServerFrame, VisitorFrame};

both_backends!(
    language_first_then_widened_after_the_delay,
    away_agents_get_no_new_conversations,
    unanswered_goes_back_to_the_front_and_to_another_agent,
    an_offline_agents_conversations_go_back_after_the_grace,
    priority_customers_go_first_and_agents_see_why,
);

const LONG: Duration = Duration::from_secs(15);

async fn relay(backend: Backend) -> anyhow::Result<TestRelay> {
    TestRelay::start_with(backend, |config| {
        config.limits.routing_sweep = Duration::from_millis(200);
    })
    .await
}

async fn language_first_then_widened_after_the_delay(backend: Backend) -> anyhow::Result<()> {
    let relay = relay(backend).await?;
    let store = relay.store();
    set_routing(store.as_ref(), |r| r.widen_after_secs = 2).await?;
    // The English speaker has more room: v1 would have picked them.
    speaker(store.as_ref(), "english", 5, &["en"]).await?;
    speaker(store.as_ref(), "persian", 1, &["fa"]).await?;

    let (_first, first) = visitor_in(relay.addr(), Some("fa-IR"), None).await?;
    let assigned = until(store.as_ref(), &first, LONG, |c| c.agent.is_some()).await?;
    assert_eq!(agent_of(&assigned), Some("persian"));
    assert_eq!(assigned.route.language.as_deref(), Some("fa"));
    assert_eq!(assigned.route.matched, Some(Match::Exact));

    // The Persian speaker is full: the next Persian visitor waits for the
    // widening delay, then goes to the English speaker, and says so.
    let (_second, second) = visitor_in(relay.addr(), Some("fa"), None).await?;
    let widened = until(store.as_ref(), &second, LONG, |c| c.agent.is_some()).await?;
    assert_eq!(agent_of(&widened), Some("english"));
    assert_eq!(widened.route.matched, Some(Match::Team));
    let waited = widened.assigned_at_ms.unwrap_or(0) - widened.route.queued_at_ms;
    assert!(
        waited >= 2_000,
        "widened after {waited} ms, before the delay"
    );

    // An English visitor goes straight to the English speaker.
    let (_third, third) = visitor_in(relay.addr(), Some("en"), None).await?;
    let direct = until(store.as_ref(), &third, LONG, |c| c.agent.is_some()).await?;
    assert_eq!(agent_of(&direct), Some("english"));
    assert_eq!(direct.route.matched, Some(Match::Exact));

    // The widened one carries routing's note for the agent.
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin
        .send(&shared::AgentFrame::Notes {
            conversation: second.clone(),
        })
        .await?;
    let notes = match admin
        .recv_until(|f| matches!(f, ServerFrame::Notes { .. }))
        .await?
    {
        ServerFrame::Notes { notes, .. } => notes,
        _ => unreachable!(),
    };
    assert!(
        notes.iter().any(|n| n.text.contains("speaking fa")),
        "{notes:?}"
    );
    relay.stop().await;
    Ok(())
}

async fn away_agents_get_no_new_conversations(backend: Backend) -> anyhow::Result<()> {
    let relay = relay(backend).await?;
    let store = relay.store();
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin.set_presence(Presence::Away).await?;
    let (_visitor, conversation) = visitor_in(relay.addr(), None, None).await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let still = store.conversation(&conversation).await?.expect("stored");
    assert_eq!(still.status, ConversationStatus::Waiting, "{still:?}");
    admin.set_presence(Presence::Online).await?;
    let taken = admin.assigned().await?;
    assert_eq!(taken.id, conversation);
    relay.stop().await;
    Ok(())
}

/// Long enough for a loaded CI machine to answer in time, short enough to
/// wait out twice.
const ANSWER_WITHIN_SECS: u32 = 2;

async fn unanswered_goes_back_to_the_front_and_to_another_agent(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = relay(backend).await?;
    let store = relay.store();
    set_routing(store.as_ref(), |r| {
        r.answer_within_secs = ANSWER_WITHIN_SECS
    })
    .await?;
    speaker(store.as_ref(), "slow", 1, &[]).await?;

    let (visitor, conversation) = visitor_in(relay.addr(), None, None).await?;
    let first = until(store.as_ref(), &conversation, LONG, |c| c.agent.is_some()).await?;
    assert_eq!(agent_of(&first), Some("slow"));
    // Someone else comes online; the slow agent never answers.
    speaker(store.as_ref(), "quick", 1, &[]).await?;
    let moved = until(store.as_ref(), &conversation, LONG, |c| {
        agent_of(c) == Some("quick")
    })
    .await?;
    assert_eq!(moved.route.returned, 1);
    // Answered in time (at once: the deadline runs), it stays.
    store
        .append_message(&NewMessage {
            conversation: conversation.clone(),
            client_msg_id: ClientMsgId::from("quick-1"),
            author: Author {
                role: Role::Agent,
                agent: Some("quick".into()),
                name: Some("quick".into()),
            },
            text: "Hello! Looking now.".into(),
            at_ms: relay::now_ms(),
            assignee: None,
            report: None,
        })
        .await?;
    // (The visitor is told its place again only if the queue is read
    // before routing hands the conversation on; both can happen in one
    // sweep, so that frame is not waited for here.)
    drop(visitor);

    // Past the deadline it would have had.
    tokio::time::sleep(Duration::from_millis(
        u64::from(ANSWER_WITHIN_SECS) * 1_000 + 600,
    ))
    .await;
    let kept = store.conversation(&conversation).await?.expect("stored");
    assert_eq!((agent_of(&kept), kept.route.returned), (Some("quick"), 1));
    // Capacity held throughout: nobody has more than their one place.
    for open in store.assigned_conversations().await? {
        assert_eq!(open.id, conversation, "{open:?}");
    }
    relay.stop().await;
    Ok(())
}

async fn an_offline_agents_conversations_go_back_after_the_grace(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = relay(backend).await?;
    let store = relay.store();
    set_routing(store.as_ref(), |r| r.offline_grace_secs = 1).await?;
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin.set_presence(Presence::Online).await?;
    let (_visitor, conversation) = visitor_in(relay.addr(), None, None).await?;
    let taken = admin.assigned().await?;
    assert_eq!(taken.id, conversation);

    speaker(store.as_ref(), "backup", 2, &[]).await?;
    admin.close().await;
    let moved = until(store.as_ref(), &conversation, LONG, |c| {
        agent_of(c) == Some("backup")
    })
    .await?;
    assert_eq!(moved.route.returned, 1);
    relay.stop().await;
    Ok(())
}

async fn priority_customers_go_first_and_agents_see_why(backend: Backend) -> anyhow::Result<()> {
    let relay = relay(backend).await?;
    let store = relay.store();
    set_routing(store.as_ref(), |r| {
        r.priority.attribute = Some(AttributeRule {
            key: "plan".into(),
            value: "vip".into(),
        });
    })
    .await?;
    let (_plain, plain) = visitor_in(relay.addr(), None, None).await?;

    // The VIP's contact carries the attribute before they start.
    let mut vip = Client::demo_visitor(relay.addr()).await?;
    vip.visitor_hello(None, vec![]).await?;
    let details = shared::card::PrechatDetails {
        name: Some("Vera".into()),
        email: Some("vera@example.com".into()),
        phone: None,
    };
    let first = vip.start_acknowledged(Some(details)).await?;
    vip.send(&VisitorFrame::Close {
        conversation: first.conversation.clone(),
    })
    .await?;
    until(store.as_ref(), &first.conversation, LONG, |c| {
        c.status == ConversationStatus::Closed
    })
    .await?;
    let visitor_id = store
        .conversation(&first.conversation)
        .await?
        .expect("stored")
        .visitor;
    let contact = store.visitor_contact(&visitor_id).await?.expect("contact");
    store
        .update_contact(
            &contact,
            None,
            &[("plan".to_owned(), "vip".to_owned())]
                .into_iter()
                .collect(),
        )
        .await?;
    let again = vip.start_acknowledged(None).await?;
    assert_eq!(again.queue_position, Some(1), "{again:?}");

    // Agents see the queue in routing order, with the reason.
    let mut admin = Client::agent(relay.addr()).await?;
    let waiting = match admin.try_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await? {
        ServerFrame::AgentWelcome { waiting, .. } => waiting,
        other => anyhow::bail!("expected agent_welcome, got {other:?}"),
    };
    let order: Vec<_> = waiting.iter().map(|c| c.id.clone()).collect();
    assert_eq!(order, vec![again.conversation.clone(), plain.clone()]);
    assert_eq!(waiting[0].route.priority, Priority::Attribute);
    assert_eq!(waiting[1].route.priority, Priority::Normal);
    let vip_now = store
        .conversation(&again.conversation)
        .await?
        .expect("stored");
    assert_eq!(vip_now.route.priority, Priority::Attribute);
    relay.stop().await;
    Ok(())
}
