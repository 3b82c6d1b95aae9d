//! First-start setup: the demo site, so a fresh relay has somewhere to chat,
//! and the first admin, so someone can sign in. Both are idempotent: later
//! starts change nothing an operator set up.

use std::net::SocketAddr;

use crate::agents::{create_agent, NewAgent};
use crate::secrets::random_token;
use crate::store::{Site, Store};
use crate::Config;

/// The site id of the demo site.
pub const DEMO_SITE: &str = "demo";

/// Default email of a generated first admin.
pub const DEFAULT_ADMIN_EMAIL: &str = "admin@localhost";

/// Creates the demo site, or adds this relay's origins to it.
pub async fn ensure_demo_site(
    store: &dyn Store,
    public_url: &str,
    bound: SocketAddr,
) -> anyhow::Result<()> {
    let mut wanted = vec![public_url.to_owned()];
    let port = bound.port();
    wanted.push(format!("http://localhost:{port}"));
    wanted.push(format!("http://127.0.0.1:{port}"));
    let mut site = store
        .site(&DEMO_SITE.into())
        .await?
        .unwrap_or_else(|| Site {
            id: DEMO_SITE.into(),
            name: "Demo site".into(),
            origins: Vec::new(),
            languages: vec!["en".into(), "he".into()],
            identity_secret: None,
            previous_identity_secret: None,
            previous_secret_until_ms: None,
            api_key_hashes: Vec::new(),
            prechat_form: false,
            hours: None,
            routing: Default::default(),
        });
    let before = site.origins.len();
    for origin in wanted {
        if !site.origins.contains(&origin) {
            site.origins.push(origin);
        }
    }
    if site.origins.len() != before {
        store.put_site(&site).await?;
        tracing::info!(origins = ?site.origins, "demo site ready");
    }
    Ok(())
}

/// The first admin's login, when this start created one.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    pub email: String,
    /// Set when the password was generated: shown once, then only its hash exists.
    pub generated_password: Option<String>,
}

/// Creates the first admin when no agent exists yet.
pub async fn ensure_first_admin(
    store: &dyn Store,
    config: &Config,
) -> anyhow::Result<Option<FirstAdmin>> {
    if !store.agents().await?.is_empty() {
        if config.admin_email.is_some() {
            tracing::info!("agents exist already; SWITCHBOARD_ADMIN_EMAIL/PASSWORD are only used on first start");
        }
        return Ok(None);
    }
    let email = config
        .admin_email
        .clone()
        .unwrap_or_else(|| DEFAULT_ADMIN_EMAIL.into());
    let (password, generated) = match &config.admin_password {
        Some(p) => (p.clone(), false),
        None => (random_token(12), true),
    };
    let request = NewAgent {
        email: email.clone(),
        name: "Admin".into(),
        password: password.clone(),
        max_concurrent: 5,
        admin: true,
    };
    create_agent(store, request)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the first admin ({}): {e}", e.wire().0))?;
    tracing::info!(
        %email,
        "first admin created (set SWITCHBOARD_ADMIN_EMAIL and SWITCHBOARD_ADMIN_PASSWORD before the first start, \
         or run `switchboard create-admin`, to choose the login)"
    );
    Ok(Some(FirstAdmin {
        email,
        generated_password: generated.then_some(password),
    }))
}
