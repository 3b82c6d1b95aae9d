//! The agent's customer card over real sockets, on both stores: a chat
//! lands on the visitor's card with its case code, an email pushed through
//! the ingest API shows beside it, search finds contacts by case code,
//! email and name, agents accept and reject merge proposals (a proposal
//! settles once), the timeline pages without skipping items that share a
//! millisecond, a visitor's anonymous chats follow it into the record it
//! proves to be, and visitors cannot ask for cards at all.

use e2e::both_backends;
use e2e::client::Client;
use e2e::records::timeline_item;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use relay::identity::jwt::sign;
use relay::site_admin::identity_secret;
use serde_json::json;
use shared::card::{ContactHit, CustomerCard, PrechatDetails};
use shared::contacts::{Channel, IdentityKind, MergeDecision, TimelineItem};
use shared::{AgentFrame, ConversationId, ErrorCode, ServerFrame, VisitorFrame};

both_backends!(
    the_card_shows_chats_and_ingested_items_and_search_finds_them,
    agents_accept_and_reject_merge_proposals,
    the_timeline_pages_through_items_sharing_a_millisecond,
    identifying_brings_the_anonymous_chat_into_the_users_record,
    visitors_cannot_ask_for_cards,
);

async fn agent(relay: &TestRelay) -> anyhow::Result<Client> {
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    Ok(agent)
}

/// Sends an agent frame and returns the answer (a card, page, results or error).
async fn ask(agent: &mut Client, frame: AgentFrame) -> anyhow::Result<ServerFrame> {
    agent.send(&frame).await?;
    agent
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Card(_)
                    | ServerFrame::TimelinePage { .. }
                    | ServerFrame::ContactResults { .. }
                    | ServerFrame::Error { .. }
            )
        })
        .await
}

async fn card(agent: &mut Client, frame: AgentFrame) -> anyhow::Result<CustomerCard> {
    match ask(agent, frame).await? {
        ServerFrame::Card(card) => Ok(card),
        other => anyhow::bail!("expected a card, got {other:?}"),
    }
}

async fn search(agent: &mut Client, query: &str) -> anyhow::Result<Vec<ContactHit>> {
    let frame = AgentFrame::SearchContacts {
        query: query.into(),
    };
    match ask(agent, frame).await? {
        ServerFrame::ContactResults { hits, .. } => Ok(hits),
        other => anyhow::bail!("expected results, got {other:?}"),
    }
}

/// A visitor who started a conversation, with pre-chat details if given.
async fn chatting(
    relay: &TestRelay,
    email: Option<&str>,
) -> anyhow::Result<(Client, ConversationId)> {
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let details = email.map(|e| PrechatDetails {
        name: Some(format!("Owner of {e}")),
        email: Some(e.into()),
        phone: None,
    });
    visitor.send(&VisitorFrame::start(details)).await?;
    let conversation = match visitor
        .recv_until(|f| matches!(f, ServerFrame::Acknowledgement(_)))
        .await?
    {
        ServerFrame::Acknowledgement(ack) => ack.conversation,
        _ => unreachable!(),
    };
    Ok((visitor, conversation))
}

async fn the_card_shows_chats_and_ingested_items_and_search_finds_them(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (_ada, conversation) = chatting(&relay, Some("ada@example.com")).await?;
    let mut agent = agent(&relay).await?;
    let first = card(
        &mut agent,
        AgentFrame::Card {
            conversation: conversation.clone(),
        },
    )
    .await?;
    assert_eq!(
        first.contact.name.as_deref(),
        Some("Owner of ada@example.com")
    );
    let email = first
        .contact
        .identities
        .iter()
        .find(|i| i.kind == IdentityKind::Email)
        .expect("the typed email");
    assert!(!email.verified);
    assert_eq!(first.timeline.len(), 1);
    let chat = &first.timeline[0];
    assert_eq!(chat.channel, Channel::Chat);
    assert_eq!(chat.case_code.as_deref(), Some("CASE-1001"));
    assert_eq!(chat.conversation.as_ref(), Some(&conversation));
    assert_eq!(first.conversations.len(), 1);

    // An email arrives through another channel for the same contact.
    let later = chat.at_ms + 1;
    relay
        .store()
        .record(
            &"demo".into(),
            &first.contact.id,
            &timeline_item("ti_mail", Channel::Email, later, "Re: my order"),
        )
        .await?;
    let again = card(
        &mut agent,
        AgentFrame::Contact {
            contact: first.contact.id.clone(),
        },
    )
    .await?;
    let channels: Vec<Channel> = again.timeline.iter().map(|i| i.channel).collect();
    assert_eq!(channels, [Channel::Email, Channel::Chat], "newest first");

    for query in ["CASE-1001", "case 1001", "ADA@example.com", "owner of ada"] {
        let hits = search(&mut agent, query).await?;
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        assert_eq!(hits[0].contact.id, first.contact.id, "{query}");
    }
    assert_eq!(
        search(&mut agent, "CASE-1001").await?[0]
            .case_code
            .as_deref(),
        Some("CASE-1001")
    );
    assert!(search(&mut agent, "nobody@example.com").await?.is_empty());
    let long = AgentFrame::SearchContacts {
        query: "x".repeat(201),
    };
    agent.send(&long).await?;
    assert_eq!(agent.recv_error().await?, ErrorCode::InvalidFrame);
    // Unknown ids answer not_found and the connection goes on.
    for frame in [
        AgentFrame::Card {
            conversation: "c_nope".into(),
        },
        AgentFrame::Contact {
            contact: "ct_nope".into(),
        },
    ] {
        agent.send(&frame).await?;
        assert_eq!(agent.recv_error().await?, ErrorCode::NotFound);
    }
    assert_eq!(search(&mut agent, "CASE-1001").await?.len(), 1);
    relay.stop().await;
    Ok(())
}

async fn agents_accept_and_reject_merge_proposals(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (_bea, beas) = chatting(&relay, Some("bea@example.com")).await?;
    let (_other, others) = chatting(&relay, Some("bea@example.com")).await?;
    let (_third, thirds) = chatting(&relay, Some("bea@example.com")).await?;
    let mut agent = agent(&relay).await?;
    let claimant = card(
        &mut agent,
        AgentFrame::Card {
            conversation: others.clone(),
        },
    )
    .await?;
    assert_eq!(claimant.proposals.len(), 1);
    let proposal = &claimant.proposals[0];
    assert_eq!(proposal.proposal.matched.value, "bea@example.com");
    let beas_contact = proposal.proposal.into.clone();
    assert_eq!(proposal.other.id, beas_contact);
    // The claimant's card shows only its own chat, not Bea's.
    assert!(claimant.conversations.iter().all(|c| c.id == others));

    let rejected = card(
        &mut agent,
        AgentFrame::DecideMerge {
            proposal: proposal.proposal.id.clone(),
            decision: MergeDecision::Reject,
        },
    )
    .await?;
    // The answer is the kept side's card (Bea's): only the third
    // claimant's proposal is still open on it.
    assert_eq!(rejected.contact.id, beas_contact);
    assert_eq!(rejected.proposals.len(), 1);
    assert_ne!(rejected.proposals[0].other.id, claimant.contact.id);
    let still_apart = card(
        &mut agent,
        AgentFrame::Card {
            conversation: others.clone(),
        },
    )
    .await?;
    assert!(still_apart.proposals.is_empty());
    assert_eq!(still_apart.conversations.len(), 1);

    // The third claimant's proposal is accepted: one record, both chats,
    // the merge on the timeline with the agent's name.
    let third = card(
        &mut agent,
        AgentFrame::Card {
            conversation: thirds.clone(),
        },
    )
    .await?;
    let accept = third.proposals[0].proposal.id.clone();
    assert_eq!(merged_into(&third), &beas_contact);
    let merged = card(
        &mut agent,
        AgentFrame::DecideMerge {
            proposal: accept.clone(),
            decision: MergeDecision::Accept,
        },
    )
    .await?;
    let mut ids: Vec<&ConversationId> = merged.conversations.iter().map(|c| &c.id).collect();
    ids.sort();
    let mut expected = vec![&beas, &thirds];
    expected.sort();
    assert_eq!(ids, expected);
    let system: Vec<&TimelineItem> = merged
        .timeline
        .iter()
        .filter(|i| i.channel == Channel::System)
        .collect();
    assert_eq!(system.len(), 1);
    assert_eq!(system[0].agent.as_deref(), Some("Admin"));
    // Settled once: a second decision is not_found.
    agent
        .send(&AgentFrame::DecideMerge {
            proposal: accept,
            decision: MergeDecision::Reject,
        })
        .await?;
    assert_eq!(agent.recv_error().await?, ErrorCode::NotFound);
    relay.stop().await;
    Ok(())
}

fn merged_into(card: &CustomerCard) -> &shared::ContactId {
    &card.proposals[0].proposal.into
}

async fn the_timeline_pages_through_items_sharing_a_millisecond(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (_v, conversation) = chatting(&relay, None).await?;
    let mut agent = agent(&relay).await?;
    let contact = card(&mut agent, AgentFrame::Card { conversation })
        .await?
        .contact
        .id;
    let store = relay.store();
    // 30 calls in three runs of ten sharing one millisecond each.
    for n in 0..30u64 {
        let at = 1_000 + (n / 10);
        let id = format!("ti_call_{n:02}");
        store
            .record(
                &"demo".into(),
                &contact,
                &timeline_item(&id, Channel::Phone, at, &id),
            )
            .await?;
    }
    let first = card(
        &mut agent,
        AgentFrame::Contact {
            contact: contact.clone(),
        },
    )
    .await?;
    assert_eq!(first.timeline.len(), 20);
    let mut seen: Vec<String> = first.timeline.iter().map(|i| i.id.to_string()).collect();
    let mut next = first.next;
    while let Some(cursor) = next {
        match ask(
            &mut agent,
            AgentFrame::Timeline {
                contact: contact.clone(),
                before: cursor,
            },
        )
        .await?
        {
            ServerFrame::TimelinePage { items, next: n, .. } => {
                seen.extend(items.iter().map(|i| i.id.to_string()));
                next = n;
            }
            other => anyhow::bail!("expected a page, got {other:?}"),
        }
    }
    // Everything once, newest first: the chat, then calls 29 down to 0.
    assert_eq!(seen.len(), 31, "{seen:?}");
    let calls: Vec<String> = (0..30).rev().map(|n| format!("ti_call_{n:02}")).collect();
    assert_eq!(seen[1..], calls[..]);
    relay.stop().await;
    Ok(())
}

async fn identifying_brings_the_anonymous_chat_into_the_users_record(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let secret = identity_secret(relay.store().as_ref(), &"demo".into(), false).await?;
    let token = sign(
        &json!({"sub": "user-7", "name": "Cy", "exp": relay::now_ms() / 1000 + 600}),
        secret.as_bytes(),
    );
    // Cy chatted signed in on the laptop yesterday...
    let mut laptop = Client::demo_visitor(relay.addr()).await?;
    laptop.visitor_hello(None, vec![]).await?;
    laptop
        .send(&VisitorFrame::Identify {
            token: token.clone(),
        })
        .await?;
    laptop
        .recv_until(|f| matches!(f, ServerFrame::Identified { .. }))
        .await?;
    let on_laptop = laptop.start().await?.id;
    // ...and today starts on the phone before the site signs them in.
    let (mut phone, on_phone) = chatting(&relay, None).await?;
    phone.send(&VisitorFrame::Identify { token }).await?;
    phone
        .recv_until(|f| matches!(f, ServerFrame::Identified { .. }))
        .await?;

    let mut agent = agent(&relay).await?;
    let record = card(
        &mut agent,
        AgentFrame::Card {
            conversation: on_phone.clone(),
        },
    )
    .await?;
    assert!(record
        .contact
        .identities
        .iter()
        .any(|i| i.kind == IdentityKind::External && i.value == "user-7" && i.verified));
    let chats: Vec<Option<&ConversationId>> = record
        .timeline
        .iter()
        .filter(|i| i.channel == Channel::Chat)
        .map(|i| i.conversation.as_ref())
        .collect();
    assert_eq!(chats, [Some(&on_phone), Some(&on_laptop)]);
    let merge = record
        .timeline
        .iter()
        .find(|i| i.channel == Channel::System)
        .expect("the merge is on the timeline");
    assert_eq!(merge.agent.as_deref(), Some("signed identity"));
    relay.stop().await;
    Ok(())
}

async fn visitors_cannot_ask_for_cards(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (mut visitor, conversation) = chatting(&relay, Some("eve@example.com")).await?;
    for frame in [
        json!({"type": "card", "conversation": conversation}),
        json!({"type": "search_contacts", "query": "eve"}),
        json!({"type": "contact", "contact": "ct_1"}),
    ] {
        visitor.send_raw(frame.to_string()).await?;
        assert_eq!(visitor.recv_error().await?, ErrorCode::UnknownType);
    }
    // The connection still works.
    assert_eq!(
        visitor
            .visitor_say(&conversation, "m1", "still here")
            .await?,
        1
    );
    relay.stop().await;
    Ok(())
}
