//! Taking over a customer's chats by typing her email, over real sockets
//! on both stores. An attacker who types the victim's email in the
//! pre-chat form must never read or write her conversations: not when he
//! typed it before she proved it with the site's signed identity (her
//! proof takes the email away from his record, with a line on both
//! timelines), and not when an admin later accepts the merge his typing
//! proposed (a merge never grants a visitor anything). Only admins settle
//! merges.

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use relay::identity::jwt::sign;
use relay::site_admin::identity_secret;
use serde_json::json;
use shared::card::PrechatDetails;
use shared::contacts::{Channel, IdentityKind, MergeDecision};
use shared::{
    AgentFrame, ConversationId, ErrorCode, ResumePoint, ServerFrame, SiteId, VisitorFrame,
};

both_backends!(
    typing_her_email_first_gives_nothing_once_she_proves_it,
    a_merge_of_his_typed_email_into_her_record_gives_him_nothing,
    only_admins_settle_merges,
);

const VICTIM: &str = "victim@example.com";

fn demo() -> SiteId {
    "demo".into()
}

fn typed(email: &str) -> Option<PrechatDetails> {
    Some(PrechatDetails {
        name: Some("Not Really Her".into()),
        email: Some(email.into()),
        phone: None,
    })
}

/// The victim: a visitor the site's signature proves, with her email,
/// who then chats. Returns her conversation.
async fn victim_proves_herself_and_chats(relay: &TestRelay) -> anyhow::Result<ConversationId> {
    let secret = identity_secret(relay.store().as_ref(), &demo(), false).await?;
    let exp = relay::now_ms() / 1000 + 600;
    let token = sign(
        &json!({"sub": "user-victim", "email": VICTIM, "name": "Vera", "exp": exp}),
        secret.as_bytes(),
    );
    let mut victim = Client::demo_visitor(relay.addr()).await?;
    victim.visitor_hello(None, vec![]).await?;
    victim.send(&VisitorFrame::Identify { token }).await?;
    let answer = victim
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Identified { .. } | ServerFrame::Error { .. }
            )
        })
        .await?;
    anyhow::ensure!(
        matches!(answer, ServerFrame::Identified { .. }),
        "{answer:?}"
    );
    let conversation = victim.start_acknowledged(None).await?.conversation;
    victim
        .visitor_say(&conversation, "v1", "my card ends in 4242")
        .await?;
    victim.close().await;
    Ok(conversation)
}

/// What the attacker sees when he comes back with his token: neither her
/// conversation in the welcome nor its history on resume (`not_found`),
/// and a send into it is refused.
async fn attacker_returns_and_sees_nothing(
    relay: &TestRelay,
    token: String,
    hers: &ConversationId,
) -> anyhow::Result<()> {
    let mut attacker = Client::demo_visitor(relay.addr()).await?;
    let welcome = attacker.visitor_hello(Some(&token), vec![]).await?;
    assert!(
        welcome.conversations.iter().all(|c| &c.id != hers),
        "her conversation is in his welcome: {:?}",
        welcome.conversations
    );
    attacker
        .send(&VisitorFrame::Resume(ResumePoint {
            conversation: hers.clone(),
            after_seq: 0,
        }))
        .await?;
    assert_eq!(attacker.recv_error().await?, ErrorCode::NotFound);
    attacker
        .send(&VisitorFrame::Send {
            conversation: hers.clone(),
            client_msg_id: "a1".into(),
            text: "hijacked".into(),
        })
        .await?;
    assert_eq!(attacker.recv_error().await?, ErrorCode::NotFound);
    let stored = relay.store().messages_after(hers, 0, 10).await?;
    assert_eq!(stored.len(), 1, "nothing of his in her conversation");
    attacker.close().await;
    Ok(())
}

async fn typing_her_email_first_gives_nothing_once_she_proves_it(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut attacker = Client::demo_visitor(relay.addr()).await?;
    let his_token = attacker.visitor_hello(None, vec![]).await?.token;
    attacker.start_acknowledged(typed(VICTIM)).await?;
    attacker.close().await;
    let store = relay.store();
    let his_contact = store
        .contact_by_identity(&demo(), IdentityKind::Email, VICTIM)
        .await?
        .expect("his record holds the typed email");

    let hers = victim_proves_herself_and_chats(&relay).await?;
    let holder = store
        .contact_by_identity(&demo(), IdentityKind::Email, VICTIM)
        .await?
        .expect("the email has a holder");
    assert_ne!(
        holder, his_contact,
        "her proof took the email from his record"
    );
    let his = store
        .contact(&his_contact)
        .await?
        .expect("his record stays");
    assert!(his.identities.iter().all(|i| i.kind != IdentityKind::Email));
    let her = store.contact(&holder).await?.expect("her record");
    assert!(her
        .identities
        .iter()
        .any(|i| i.kind == IdentityKind::Email && i.value == VICTIM && i.verified));
    for contact in [&his_contact, &holder] {
        let lines = store.timeline(contact, None, 50).await?;
        assert!(
            lines
                .iter()
                .any(|i| i.channel == Channel::System && i.text.contains(VICTIM)),
            "the move is on {contact}'s timeline: {lines:?}"
        );
    }
    attacker_returns_and_sees_nothing(&relay, his_token, &hers).await?;
    relay.stop().await;
    Ok(())
}

async fn a_merge_of_his_typed_email_into_her_record_gives_him_nothing(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let hers = victim_proves_herself_and_chats(&relay).await?;
    let mut attacker = Client::demo_visitor(relay.addr()).await?;
    let his_token = attacker.visitor_hello(None, vec![]).await?.token;
    attacker.start_acknowledged(typed(VICTIM)).await?;
    attacker.close().await;

    let store = relay.store();
    let her_contact = store
        .contact_by_identity(&demo(), IdentityKind::Email, VICTIM)
        .await?
        .expect("her proven email");
    let proposals = store.merge_proposals(&her_contact).await?;
    assert_eq!(
        proposals.len(),
        1,
        "his typing raised a proposal: {proposals:?}"
    );
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin
        .send(&AgentFrame::DecideMerge {
            proposal: proposals[0].id.clone(),
            decision: MergeDecision::Accept,
        })
        .await?;
    let answer = admin
        .recv_until(|f| matches!(f, ServerFrame::Card(_) | ServerFrame::Error { .. }))
        .await?;
    let ServerFrame::Card(card) = answer else {
        anyhow::bail!("expected the merged card, got {answer:?}");
    };
    assert!(card.conversations.iter().any(|c| c.id == hers));
    attacker_returns_and_sees_nothing(&relay, his_token, &hers).await?;
    relay.stop().await;
    Ok(())
}

async fn only_admins_settle_merges(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    victim_proves_herself_and_chats(&relay).await?;
    let mut attacker = Client::demo_visitor(relay.addr()).await?;
    attacker.visitor_hello(None, vec![]).await?;
    attacker.start_acknowledged(typed(VICTIM)).await?;
    let store = relay.store();
    let her_contact = store
        .contact_by_identity(&demo(), IdentityKind::Email, VICTIM)
        .await?
        .expect("her proven email");
    let proposal = store.merge_proposals(&her_contact).await?[0].id.clone();

    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin
        .add_agent("agent@example.com", "Agent", "agent-password-1")
        .await?;
    let mut agent = Client::agent(relay.addr()).await?;
    agent
        .agent_sign_in("agent@example.com", "agent-password-1")
        .await?;
    for decision in [MergeDecision::Accept, MergeDecision::Reject] {
        agent
            .send(&AgentFrame::DecideMerge {
                proposal: proposal.clone(),
                decision,
            })
            .await?;
        assert_eq!(agent.recv_error().await?, ErrorCode::Forbidden);
    }
    assert_eq!(
        store.merge_proposals(&her_contact).await?.len(),
        1,
        "the proposal is still open"
    );
    relay.stop().await;
    Ok(())
}
