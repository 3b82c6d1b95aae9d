//! The console's account panel in a real browser, on both backends: an
//! agent changes their password there (a repetition that differs is caught
//! before anything is sent) and can then sign in with the new one only;
//! an admin then disables that agent from the team list, and the agent's
//! open console, in another browser, is signed out at once. One scenario,
//! so both checks share one stage.

use e2e::browser::with_screenshots;
use e2e::browser_tests;
use e2e::client::Client;
use e2e::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use e2e::stage::Stage;
use e2e::ui;
use shared::{ErrorCode, ServerFrame};

browser_tests!(an_agent_changes_their_password_then_an_admin_disables_them);

const BEA: &str = "bea@example.com";
const OLD_PASSWORD: &str = "bea-password-1";
const NEW_PASSWORD: &str = "bea-password-2";

async fn an_agent_changes_their_password_then_an_admin_disables_them(
    stage: &Stage,
) -> anyhow::Result<()> {
    let addr = stage.relay.addr();
    let mut setup = Client::agent(addr).await?;
    setup.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    setup.add_agent(BEA, "Bea", OLD_PASSWORD).await?;
    setup.close().await;

    let bea_session = stage.chrome.session("bea", 1200, 800).await?;
    let outcome = async {
        let bea = &bea_session.client;
        let base = stage.base();
        ui::agent_signs_in(bea, &base, BEA, OLD_PASSWORD).await?;
        ui::click(bea, "Account").await?;
        ui::type_into(bea, "Current password", OLD_PASSWORD).await?;
        ui::type_into(bea, "New password", NEW_PASSWORD).await?;
        ui::type_into(bea, "Repeat new password", "bea-password-3").await?;
        ui::click(bea, "Change password").await?;
        ui::wait_text(bea, ".change-password .note", |t| {
            t.contains("do not match")
        })
        .await?;
        let repeat = ui::control(bea, "Repeat new password").await?;
        repeat.clear().await?;
        repeat.send_keys(NEW_PASSWORD).await?;
        ui::click(bea, "Change password").await?;
        ui::wait_text(bea, ".change-password .note", |t| {
            t.contains("Password changed")
        })
        .await?;
        Client::agent(addr)
            .await?
            .agent_sign_in(BEA, NEW_PASSWORD)
            .await?;
        let old = Client::agent(addr)
            .await?
            .try_sign_in(BEA, OLD_PASSWORD)
            .await?;
        anyhow::ensure!(
            matches!(
                old,
                ServerFrame::Error {
                    code: ErrorCode::AuthFailed,
                    ..
                }
            ),
            "the old password still works: {old:?}"
        );

        let admin = &stage.agent.client;
        ui::agent_signs_in(admin, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        ui::click(admin, "Account").await?;
        ui::click(admin, "Disable Bea").await?;
        // The relay's answer is the team list, which now offers "Enable".
        ui::control(admin, "Enable Bea").await?;
        ui::wait_text(admin, ".team", |t| t.contains("Disabled Bea")).await?;
        ui::wait_text(bea, ".sign-in", |t| t.contains("Your session has ended")).await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = with_screenshots("account-bea", &[&bea_session], outcome).await;
    bea_session.close().await;
    outcome
}
