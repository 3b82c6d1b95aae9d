//! The `switchboard` binary: runs the relay, creates an admin, makes a
//! site's API key and identity secret, or changes a site's or an agent's
//! settings.

use clap::Parser;
use relay::agents::{create_agent, NewAgent};
use relay::config::{Cli, Command};
use relay::{Config, Relay};

/// mimalloc, not glibc's malloc: glibc gives each busy thread its own
/// arena and keeps what it freed there, so under load (the store's
/// blocking threads, the runtime's workers) the relay held ~260 MiB for
/// 2,050 sockets, ~160 MiB of it in arenas (96 MiB with
/// `MALLOC_ARENA_MAX=2`), and kept it after the load. mimalloc shares
/// freed pages across threads and returns them to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    relay::logging::init(cli.config.log_format);
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
                .map_err(|e| anyhow::anyhow!("{}: {e}", e.wire().0))?;
            println!("admin {} created ({})", agent.email, agent.id);
            Ok(())
        }
        Command::ApiKey { site, list, revoke } => api_keys(&cli.config, &site, list, revoke).await,
        Command::IdentitySecret {
            site,
            rotate,
            grace_secs,
        } => {
            let store = relay::backend::open_store(&cli.config).await?;
            let grace_ms = grace_secs.saturating_mul(1000);
            let secret = relay::site_admin::rotate_identity_secret(
                store.as_ref(),
                &site.as_str().into(),
                rotate,
                grace_ms,
            )
            .await
            .map_err(|e| site_error(&site, e))?;
            println!("{secret}");
            Ok(())
        }
        Command::Backup { dest } => {
            relay::store::sqlite::backup::backup(&cli.config.data, &dest)?;
            println!(
                "backed up {} to {}",
                cli.config.data.display(),
                dest.display()
            );
            Ok(())
        }
        Command::Restore { src } => {
            relay::store::sqlite::backup::restore(&src, &cli.config.data)?;
            println!(
                "restored {} into {}",
                src.display(),
                cli.config.data.display()
            );
            Ok(())
        }
        Command::Site(args) => change_site(&cli.config, &args).await,
        Command::Agent(args) => change_agent(&cli.config, &args).await,
    }
}

/// `switchboard api-key`: make one, list them, or revoke one.
async fn api_keys(
    config: &relay::Config,
    site: &str,
    list: bool,
    revoke: Option<String>,
) -> anyhow::Result<()> {
    use relay::site_admin::{api_key_fingerprints, new_api_key, revoke_api_key};
    let store = relay::backend::open_store(config).await?;
    let id = site.into();
    if list {
        for fingerprint in api_key_fingerprints(store.as_ref(), &id)
            .await
            .map_err(|e| site_error(site, e))?
        {
            println!("{fingerprint}");
        }
        return Ok(());
    }
    if let Some(key) = revoke {
        let removed = revoke_api_key(store.as_ref(), &id, &key)
            .await
            .map_err(|e| site_error(site, e))?;
        anyhow::ensure!(removed > 0, "site {site} has no such API key");
        eprintln!("revoked {removed} API key(s) of site {site}");
        return Ok(());
    }
    let key = new_api_key(store.as_ref(), &id)
        .await
        .map_err(|e| site_error(site, e))?;
    println!("{key}");
    eprintln!("API key for site {site} (shown only now; keep it secret)");
    Ok(())
}

/// `switchboard site`: reads every flag before opening the store, so a
/// typo changes nothing; prints the settings as stored.
async fn change_site(config: &Config, args: &relay::config::SiteArgs) -> anyhow::Result<()> {
    use relay::site_settings::{change_site, SiteChanges};
    let changes = SiteChanges::from_args(args)?;
    let store = relay::backend::open_store(config).await?;
    let record = change_site(store.as_ref(), &args.site.as_str().into(), changes).await?;
    println!(
        "site {}: pre-chat form {}",
        record.id,
        if record.prechat_form { "on" } else { "off" }
    );
    match &record.hours {
        Some(hours) => println!("hours: {}", serde_json::to_string(hours)?),
        None => println!("hours: always staffed"),
    }
    println!("routing: {}", serde_json::to_string(&record.routing)?);
    Ok(())
}

/// `switchboard agent`: an agent's languages, skills and capacity.
async fn change_agent(config: &Config, args: &relay::config::AgentArgs) -> anyhow::Result<()> {
    let store = relay::backend::open_store(config).await?;
    let agent = relay::site_settings::change_agent(store.as_ref(), args).await?;
    let or = |list: &[String], none: &str| {
        if list.is_empty() {
            none.to_owned()
        } else {
            list.join(",")
        }
    };
    println!(
        "agent {}: languages {}; skills {}; capacity {}",
        agent.email,
        or(&agent.languages, "any"),
        or(&agent.skills, "none"),
        agent.max_concurrent
    );
    Ok(())
}

fn site_error(site: &str, e: relay::store::StoreError) -> anyhow::Error {
    match e {
        relay::store::StoreError::NotFound => {
            anyhow::anyhow!("no site {site:?} (the demo site exists after the first start)")
        }
        other => other.into(),
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let relay = Relay::start(config).await?;
    // Listen before announcing, so a signal sent right after the banner
    // already gets the graceful path.
    let stop = shutdown_signal()?;
    print_banner(&relay);
    stop.await;
    relay.shutdown().await;
    Ok(())
}

fn print_banner(relay: &relay::RelayHandle) {
    use std::fmt::Write as _;
    let url = &relay.app.public_url;
    let ws = url.replacen("http", "ws", 1);
    let mut banner = String::new();
    let _ = writeln!(
        banner,
        "\n  Switchboard relay is running on {url}  (store: {})",
        relay.backend
    );
    if relay.app.config.demo {
        let _ = writeln!(
            banner,
            "  Demo page:       {url}/demo   (Hebrew: {url}/demo?lang=he)"
        );
    }
    let _ = writeln!(banner, "  Agent console:   {url}/console");
    let _ = writeln!(
        banner,
        "  Embed snippet:   <script src=\"{url}/embed.js\" data-site=\"{}\" async></script>",
        relay::bootstrap::DEMO_SITE
    );
    let _ = writeln!(
        banner,
        "  Visitor socket:  {ws}/ws/visitor?site={}",
        relay::bootstrap::DEMO_SITE
    );
    let _ = writeln!(banner, "  Agent socket:    {ws}/ws/agent");
    let _ = writeln!(
        banner,
        "  Health:          {url}/healthz   Readiness: {url}/readyz   Metrics: {url}/metrics"
    );
    let _ = match &relay.first_admin {
        Some(admin) => match &admin.generated_password {
            Some(password) => writeln!(
                banner,
                "  First admin:     {}  password {}  (generated, shown only now; \
                 set SWITCHBOARD_ADMIN_EMAIL/SWITCHBOARD_ADMIN_PASSWORD on first start to choose)",
                admin.email, password
            ),
            None => writeln!(banner, "  First admin:     {} (password from SWITCHBOARD_ADMIN_PASSWORD)", admin.email),
        },
        None => writeln!(
            banner,
            "  Agents exist already: sign in with your login, or add an admin with `switchboard create-admin`."
        ),
    };
    let _ = writeln!(banner, "  Stop with Ctrl-C.\n");
    // A closed stdout (a supervisor that stopped reading) must not stop the relay.
    let mut stdout = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut stdout, banner.as_bytes());
    let _ = std::io::Write::flush(&mut stdout);
}

/// Resolves on Ctrl-C or SIGTERM. Registers the handlers immediately.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
