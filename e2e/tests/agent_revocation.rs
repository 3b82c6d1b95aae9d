//! Taking an agent's access back, over real sockets on both stores (and
//! across two nodes on one Redis): signing out everywhere, changing the
//! password and an admin disabling an agent each end the sessions in the
//! store and close the agent's other sockets at once, wherever they are;
//! the old session tokens and password no longer work.

use e2e::both_backends;
use e2e::client::Client;
use e2e::cluster::Cluster;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::limits::CLOSE_NORMAL;
use shared::{AgentFrame, AgentId, ErrorCode, ServerFrame};

both_backends!(
    signing_out_everywhere_closes_every_socket,
    a_changed_password_ends_the_other_sessions,
    a_disabled_agent_is_locked_out_until_enabled,
);

const BEA: &str = "bea@example.com";
const BEA_PASSWORD: &str = "bea-password-1";

async fn signed_in(
    addr: std::net::SocketAddr,
    email: &str,
    password: &str,
) -> anyhow::Result<(Client, String)> {
    let mut agent = Client::agent(addr).await?;
    let token = agent.agent_sign_in(email, password).await?;
    Ok((agent, token))
}

/// A sign-in with a session token: the answer.
async fn with_token(addr: std::net::SocketAddr, token: &str) -> anyhow::Result<ServerFrame> {
    Client::agent(addr).await?.try_session(token).await
}

async fn closed_normally(agent: &mut Client) -> anyhow::Result<()> {
    let close = agent.recv_close().await?.expect("a close frame");
    anyhow::ensure!(u16::from(close.code) == CLOSE_NORMAL, "{close:?}");
    Ok(())
}

fn refused(frame: &ServerFrame, code: ErrorCode) -> bool {
    matches!(frame, ServerFrame::Error { code: c, .. } if *c == code)
}

async fn with_bea(relay: &TestRelay) -> anyhow::Result<Client> {
    let (mut admin, _) = signed_in(relay.addr(), ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin.add_agent(BEA, "Bea", BEA_PASSWORD).await?;
    Ok(admin)
}

async fn signing_out_everywhere_closes_every_socket(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let addr = relay.addr();
    let (mut here, _) = signed_in(addr, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    let (mut there, there_token) = signed_in(addr, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    here.send(&AgentFrame::SignOutEverywhere).await?;
    closed_normally(&mut here).await?;
    closed_normally(&mut there).await?;
    let answer = with_token(addr, &there_token).await?;
    assert!(refused(&answer, ErrorCode::AuthFailed), "{answer:?}");
    relay.stop().await;
    Ok(())
}

async fn a_changed_password_ends_the_other_sessions(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let addr = relay.addr();
    with_bea(&relay).await?;
    let (mut here, here_token) = signed_in(addr, BEA, BEA_PASSWORD).await?;
    let (mut there, there_token) = signed_in(addr, BEA, BEA_PASSWORD).await?;
    for (current, new, code) in [
        ("wrong-password", "new-password-2", ErrorCode::AuthFailed),
        (BEA_PASSWORD, "short", ErrorCode::InvalidFrame),
    ] {
        here.send(&AgentFrame::ChangePassword {
            current: current.into(),
            new: new.into(),
        })
        .await?;
        assert_eq!(here.recv_error().await?, code);
    }
    here.send(&AgentFrame::ChangePassword {
        current: BEA_PASSWORD.into(),
        new: "new-password-2".into(),
    })
    .await?;
    here.recv_until(|f| matches!(f, ServerFrame::PasswordChanged))
        .await?;
    closed_normally(&mut there).await?;
    // This socket and its session go on; the other session and the old
    // password are gone.
    here.send(&AgentFrame::ListAgents).await?;
    here.recv_until(|f| matches!(f, ServerFrame::Agents { .. }))
        .await?;
    assert!(matches!(
        with_token(addr, &here_token).await?,
        ServerFrame::AgentWelcome { .. }
    ));
    assert!(refused(
        &with_token(addr, &there_token).await?,
        ErrorCode::AuthFailed
    ));
    let old = Client::agent(addr)
        .await?
        .try_sign_in(BEA, BEA_PASSWORD)
        .await?;
    assert!(refused(&old, ErrorCode::AuthFailed), "{old:?}");
    signed_in(addr, BEA, "new-password-2").await?;
    relay.stop().await;
    Ok(())
}

async fn a_disabled_agent_is_locked_out_until_enabled(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let addr = relay.addr();
    let mut admin = with_bea(&relay).await?;
    let (mut bea, bea_token) = signed_in(addr, BEA, BEA_PASSWORD).await?;
    let bea_id: AgentId = relay
        .store()
        .agent_by_email(BEA)
        .await?
        .expect("bea exists")
        .id;
    let admin_id = relay
        .store()
        .agent_by_email(ADMIN_EMAIL)
        .await?
        .expect("admin")
        .id;
    // Only admins, and not themselves.
    bea.send(&AgentFrame::SetAgentDisabled {
        agent: admin_id.clone(),
        disabled: true,
    })
    .await?;
    assert_eq!(bea.recv_error().await?, ErrorCode::Forbidden);
    admin
        .send(&AgentFrame::SetAgentDisabled {
            agent: admin_id,
            disabled: true,
        })
        .await?;
    assert_eq!(admin.recv_error().await?, ErrorCode::Forbidden);

    let set = |disabled| AgentFrame::SetAgentDisabled {
        agent: bea_id.clone(),
        disabled,
    };
    admin.send(&set(true)).await?;
    let listed = admin
        .recv_until(|f| matches!(f, ServerFrame::Agents { .. }))
        .await?;
    let ServerFrame::Agents { agents } = listed else {
        unreachable!()
    };
    assert!(agents.iter().any(|a| a.id == bea_id && a.disabled));
    closed_normally(&mut bea).await?;
    assert!(refused(
        &with_token(addr, &bea_token).await?,
        ErrorCode::AuthFailed
    ));
    let locked = Client::agent(addr)
        .await?
        .try_sign_in(BEA, BEA_PASSWORD)
        .await?;
    assert!(refused(&locked, ErrorCode::AuthFailed), "{locked:?}");

    admin.send(&set(false)).await?;
    admin
        .recv_until(|f| matches!(f, ServerFrame::Agents { .. }))
        .await?;
    signed_in(addr, BEA, BEA_PASSWORD).await?;
    relay.stop().await;
    Ok(())
}

/// On Redis, the sockets of the agent on the other node close too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_everywhere_reaches_the_other_node() -> anyhow::Result<()> {
    use e2e::cluster::{ADMIN_EMAIL as EMAIL, ADMIN_PASSWORD as PASSWORD};
    let cluster = Cluster::start("agent-revocation", 2, false).await?;
    let (mut here, _) = signed_in(cluster.addr(0), EMAIL, PASSWORD).await?;
    let (mut there, _) = signed_in(cluster.addr(1), EMAIL, PASSWORD).await?;
    here.send(&AgentFrame::SignOutEverywhere).await?;
    closed_normally(&mut here).await?;
    closed_normally(&mut there).await?;
    Ok(())
}
