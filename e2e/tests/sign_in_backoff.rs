//! Password guessing slows down for good, over real sockets: failures are
//! counted per account and per address in the store, so a new socket (or,
//! on Redis, another node) does not start afresh; past the allowance the
//! next try must wait (`rate_limited` with `retry_after_ms`, even with the
//! right password, and before any password is hashed), and after the wait
//! the right password works again. Other accounts are not held up.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use e2e::both_backends;
use e2e::client::Client;
use e2e::cluster::Cluster;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::{ErrorCode, ServerFrame};

both_backends!(
    an_account_waits_after_failures_on_any_socket,
    an_address_waits_after_many_failures,
    real_sign_ins_get_through_a_flood_from_elsewhere,
    a_stolen_session_guesses_the_password_no_faster,
);

/// One sign-in on a fresh socket: the welcome or the error frame.
async fn sign_in(
    addr: std::net::SocketAddr,
    email: &str,
    password: &str,
) -> anyhow::Result<ServerFrame> {
    Client::agent(addr)
        .await?
        .try_sign_in(email, password)
        .await
}

/// The wait a refusal asks for, if it is `rate_limited`.
fn must_wait(frame: &ServerFrame) -> Option<u64> {
    match frame {
        ServerFrame::Error {
            code: ErrorCode::RateLimited,
            retry_after_ms,
            ..
        } => *retry_after_ms,
        _ => None,
    }
}

fn refused_with(frame: &ServerFrame, wanted: ErrorCode) -> bool {
    matches!(frame, ServerFrame::Error { code, .. } if *code == wanted)
}

async fn an_account_waits_after_failures_on_any_socket(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |c| {
        c.limits.sign_in_backoff = Duration::from_millis(300);
    })
    .await?;
    let addr = relay.addr();
    let mut admin = Client::agent(addr).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin
        .add_agent("bea@example.com", "Bea", "bea-password-1")
        .await?;
    for i in 0..5 {
        let answer = sign_in(addr, "BEA@example.com", &format!("guess-{i}")).await?;
        assert!(
            refused_with(&answer, ErrorCode::AuthFailed),
            "{i}: {answer:?}"
        );
    }
    // A new socket, the right password: still has to wait.
    let locked = sign_in(addr, "bea@example.com", "bea-password-1").await?;
    let wait = must_wait(&locked).expect("held after five failures");
    assert!(wait > 0 && wait <= 300, "{wait}");
    // Another account is not held up.
    let other = sign_in(addr, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    assert!(
        matches!(other, ServerFrame::AgentWelcome { .. }),
        "{other:?}"
    );
    tokio::time::sleep(Duration::from_millis(wait)).await;
    let after = sign_in(addr, "bea@example.com", "bea-password-1").await?;
    assert!(
        matches!(after, ServerFrame::AgentWelcome { .. }),
        "{after:?}"
    );
    // The good sign-in forgave the account: one more failure is a plain one.
    let again = sign_in(addr, "bea@example.com", "wrong").await?;
    assert!(refused_with(&again, ErrorCode::AuthFailed), "{again:?}");
    relay.stop().await;
    Ok(())
}

/// `change_password` checks the current password: with a stolen session
/// it would be a way to guess it, so it counts and waits like sign-ins.
async fn a_stolen_session_guesses_the_password_no_faster(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let addr = relay.addr();
    let mut admin = Client::agent(addr).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin
        .add_agent("bea@example.com", "Bea", "bea-password-1")
        .await?;
    let mut thief = Client::agent(addr).await?;
    thief
        .agent_sign_in("bea@example.com", "bea-password-1")
        .await?;
    for i in 0..5 {
        thief
            .send(&shared::AgentFrame::ChangePassword {
                current: format!("guess-{i}"),
                new: "thief-password-1".into(),
            })
            .await?;
        assert_eq!(thief.recv_error().await?, ErrorCode::AuthFailed, "{i}");
    }
    thief
        .send(&shared::AgentFrame::ChangePassword {
            current: "bea-password-1".into(),
            new: "thief-password-1".into(),
        })
        .await?;
    assert_eq!(thief.recv_error().await?, ErrorCode::RateLimited);
    // And a sign-in is held for the same account.
    let locked = sign_in(addr, "bea@example.com", "bea-password-1").await?;
    assert!(must_wait(&locked).is_some(), "{locked:?}");
    relay.stop().await;
    Ok(())
}

async fn an_address_waits_after_many_failures(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let addr = relay.addr();
    for i in 0..20 {
        let answer = sign_in(addr, &format!("nobody-{i}@example.com"), "guess").await?;
        assert!(
            refused_with(&answer, ErrorCode::AuthFailed),
            "{i}: {answer:?}"
        );
    }
    let locked = sign_in(addr, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    assert!(must_wait(&locked).is_some(), "{locked:?}");
    relay.stop().await;
    Ok(())
}

/// A guesser at another address floods sign-ins for many accounts at
/// once; past its allowance it is refused before any password is hashed,
/// so an agent signing in meanwhile gets the hashing time it needs.
async fn real_sign_ins_get_through_a_flood_from_elsewhere(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let addr = relay.addr();
    let elsewhere: std::net::IpAddr = "127.0.0.2".parse()?;
    let flood = (0..60).map(|i| async move {
        let mut guesser = Client::agent_from(addr, elsewhere).await?;
        guesser
            .try_sign_in(&format!("nobody-{i}@example.com"), "guess")
            .await
    });
    let real = async {
        let answer = sign_in(addr, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        anyhow::ensure!(
            matches!(answer, ServerFrame::AgentWelcome { .. }),
            "{answer:?}"
        );
        anyhow::Ok(())
    };
    let (answers, signed_in) = tokio::join!(futures_util::future::join_all(flood), real);
    signed_in?;
    let mut held = 0;
    for answer in answers {
        let answer = answer?;
        if must_wait(&answer).is_some() {
            held += 1;
        } else {
            assert!(refused_with(&answer, ErrorCode::AuthFailed), "{answer:?}");
        }
    }
    assert!(held > 0, "the flood was never held back");
    relay.stop().await;
    Ok(())
}

/// On Redis the counts are shared: failures on one node hold the account
/// on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_on_one_node_count_on_another() -> anyhow::Result<()> {
    use e2e::cluster::{ADMIN_EMAIL as EMAIL, ADMIN_PASSWORD as PASSWORD};
    let cluster = Cluster::start("sign-in-backoff", 2, false).await?;
    for i in 0..5 {
        let answer = sign_in(cluster.addr(0), EMAIL, &format!("guess-{i}")).await?;
        assert!(
            refused_with(&answer, ErrorCode::AuthFailed),
            "{i}: {answer:?}"
        );
    }
    let elsewhere = sign_in(cluster.addr(1), EMAIL, PASSWORD).await?;
    assert!(must_wait(&elsewhere).is_some(), "{elsewhere:?}");
    Ok(())
}
