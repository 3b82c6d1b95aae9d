//! Canned replies through the relay's sockets, on both stores: shared
//! replies are admins' to write and every agent's to use; a personal reply
//! is its owner's alone (another agent neither sees nor changes it); bad
//! shortcuts, empty texts and a shortcut taken in the same scope are
//! refused with typed errors.

use e2e::both_backends;
use e2e::client::Client;
use e2e::kb;
use e2e::relay_harness::{Backend, TestRelay};
use shared::canned::CannedReply;
use shared::{AgentFrame, CannedReplyId, ErrorCode, ServerFrame};

both_backends!(shared_replies_are_admins_and_personal_ones_their_owners);

async fn agent(relay: &TestRelay, admin: &mut Client, email: &str) -> anyhow::Result<Client> {
    admin.add_agent(email, email, "agent-password-1").await?;
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(email, "agent-password-1").await?;
    Ok(agent)
}

fn save(id: Option<&CannedReplyId>, shortcut: &str, text: &str, shared: bool) -> AgentFrame {
    AgentFrame::SaveCannedReply {
        site: "demo".into(),
        id: id.cloned(),
        shortcut: shortcut.into(),
        text: text.into(),
        shared,
    }
}

async fn replies(agent: &mut Client, frame: AgentFrame) -> anyhow::Result<Vec<CannedReply>> {
    agent.send(&frame).await?;
    match agent
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::CannedReplies { .. } | ServerFrame::Error { .. }
            )
        })
        .await?
    {
        ServerFrame::CannedReplies { replies, .. } => Ok(replies),
        other => anyhow::bail!("refused: {other:?}"),
    }
}

fn shortcuts(replies: &[CannedReply]) -> Vec<&str> {
    replies.iter().map(|r| r.shortcut.as_str()).collect()
}

async fn shared_replies_are_admins_and_personal_ones_their_owners(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut admin = kb::admin(relay.addr()).await?;
    kb::canned(
        &mut admin,
        "demo",
        "thanks",
        "Thanks {{visitor.name}}!",
        true,
    )
    .await?;
    let mut kim = agent(&relay, &mut admin, "kim@example.com").await?;
    let mut lee = agent(&relay, &mut admin, "lee@example.com").await?;

    // Kim may not write shared replies, only her own.
    kim.send(&save(None, "mine", "x", true)).await?;
    assert_eq!(kim.recv_error().await?, ErrorCode::Forbidden);
    let after = replies(&mut kim, save(None, "/mine", "Kim's own words", false)).await?;
    assert_eq!(shortcuts(&after), ["mine", "thanks"]);
    let own = after
        .iter()
        .find(|r| r.shortcut == "mine")
        .expect("hers")
        .clone();

    // Lee sees the shared reply, not Kim's, and cannot change or delete hers.
    let seen = replies(
        &mut lee,
        AgentFrame::CannedReplies {
            site: "demo".into(),
        },
    )
    .await?;
    assert_eq!(shortcuts(&seen), ["thanks"]);
    lee.send(&save(Some(&own.id), "mine", "stolen", false))
        .await?;
    assert_eq!(lee.recv_error().await?, ErrorCode::NotFound);
    lee.send(&AgentFrame::DeleteCannedReply {
        site: "demo".into(),
        id: own.id.clone(),
    })
    .await?;
    assert_eq!(lee.recv_error().await?, ErrorCode::NotFound);
    // ...nor the shared one.
    let shared = seen[0].id.clone();
    lee.send(&save(Some(&shared), "thanks", "changed", true))
        .await?;
    assert_eq!(lee.recv_error().await?, ErrorCode::Forbidden);
    // The same shortcut in Lee's own scope is fine; twice in it is not.
    replies(&mut lee, save(None, "MINE", "Lee's", false)).await?;
    lee.send(&save(None, "mine", "again", false)).await?;
    assert_eq!(lee.recv_error().await?, ErrorCode::AlreadyExists);

    // Bad input, each with its own code; nothing changes.
    for (frame, code) in [
        (save(None, "two words", "x", false), ErrorCode::InvalidFrame),
        (save(None, "", "x", false), ErrorCode::InvalidFrame),
        (
            save(None, &"a".repeat(33), "x", false),
            ErrorCode::InvalidFrame,
        ),
        (save(None, "blank", "   ", false), ErrorCode::EmptyText),
        (
            save(None, "long", &"a".repeat(4_001), false),
            ErrorCode::TextTooLong,
        ),
    ] {
        kim.send(&frame).await?;
        assert_eq!(kim.recv_error().await?, code);
    }
    let kims = replies(
        &mut kim,
        AgentFrame::CannedReplies {
            site: "demo".into(),
        },
    )
    .await?;
    assert_eq!(
        kims.iter()
            .find(|r| r.id == own.id)
            .map(|r| r.text.as_str()),
        Some("Kim's own words")
    );

    // Kim deletes her own; the shared one stays.
    let left = replies(
        &mut kim,
        AgentFrame::DeleteCannedReply {
            site: "demo".into(),
            id: own.id,
        },
    )
    .await?;
    assert_eq!(shortcuts(&left), ["thanks"]);
    Ok(())
}
