//! The HTTP face of the relay: the socket endpoints, health (`/healthz`:
//! the process is up), readiness (`/readyz`: the store answers), and
//! Prometheus metrics (`/metrics`, behind a bearer token when
//! `SWITCHBOARD_METRICS_TOKEN` is set).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::app::App;
use crate::secrets::token_hash;
use crate::ws;

/// The relay's routes; `oneshot`-testable without a server.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/ws/visitor", get(ws::visitor_upgrade))
        .route("/ws/agent", get(ws::agent_upgrade))
        .merge(crate::web::routes(&app))
        .merge(crate::api::routes())
        .with_state(app)
}

async fn index(State(app): State<Arc<App>>) -> impl IntoResponse {
    let ws_url = app.public_url.replacen("http", "ws", 1);
    format!(
        "Switchboard relay\n\n\
         demo page:      {url}/demo\n\
         agent console:  {url}/console\n\
         embed snippet:  <script src=\"{url}/embed.js\" data-site=\"SITE_ID\" async></script>\n\
         visitor socket: {ws_url}/ws/visitor?site=SITE_ID\n\
         agent socket:   {ws_url}/ws/agent\n\
         health:         {url}/healthz\n\
         readiness:      {url}/readyz\n\
         metrics:        {url}/metrics\n",
        url = app.public_url
    )
}

async fn readyz(State(app): State<Arc<App>>) -> impl IntoResponse {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: store unreachable");
            app.metrics.store_errors.inc();
            (StatusCode::SERVICE_UNAVAILABLE, "store unreachable\n")
        }
    }
}

async fn metrics(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(token) = &app.config.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        // Both sides hashed: equal-length digests, compared in full.
        if given.map(token_hash) != Some(token_hash(token)) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "metrics need the metrics token\n",
            )
                .into_response();
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        app.metrics.render(),
    )
        .into_response()
}
