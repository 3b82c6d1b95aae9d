//! The `switchboard` binary: runs the relay, or creates an admin.

use std::io::IsTerminal;

use clap::Parser;
use relay::agents::{create_agent, NewAgent};
use relay::config::{Cli, Command};
use relay::{Config, Relay};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::CreateAdmin {
            email,
            password,
            name,
        } => {
            let store = relay::backend::open_store(&cli.config).await?;
            let request = NewAgent {
                email,
                name,
                password,
                max_concurrent: 5,
                admin: true,
            };
            let agent = create_agent(store.as_ref(), request)
                .await
                .map_err(|(code, message)| anyhow::anyhow!("{code}: {message}"))?;
            println!("admin {} created ({})", agent.email, agent.id);
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let relay = Relay::start(config).await?;
    let url = relay.app.public_url.clone();
    let ws = url.replacen("http", "ws", 1);
    println!();
    println!(
        "  Switchboard relay is running on {url}  (store: {})",
        relay.backend
    );
    println!(
        "  Visitor socket:  {ws}/ws/visitor?site={}",
        relay::bootstrap::DEMO_SITE
    );
    println!("  Agent socket:    {ws}/ws/agent");
    println!("  Health:          {url}/healthz   Readiness: {url}/readyz   Metrics: {url}/metrics");
    match &relay.first_admin {
        Some(admin) => match &admin.generated_password {
            Some(password) => println!(
                "  First admin:     {}  password {}  (generated, shown only now; \
                 set SWITCHBOARD_ADMIN_EMAIL/SWITCHBOARD_ADMIN_PASSWORD on first start to choose)",
                admin.email, password
            ),
            None => println!("  First admin:     {} (password from SWITCHBOARD_ADMIN_PASSWORD)", admin.email),
        },
        None => println!(
            "  Agents exist already: sign in with your login, or add an admin with `switchboard create-admin`."
        ),
    }
    println!("  Stop with Ctrl-C.");
    println!();
    wait_for_signal().await;
    relay.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C only");
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
