//! What browsers load from the relay: `embed.js` (the snippet a site owner
//! pastes), the widget's iframe page, the agent console page, the demo host
//! page, and the built WebAssembly assets under `/assets/`.
//!
//! The widget page is where the site's origin allowlist meets the browser:
//! its `Content-Security-Policy: frame-ancestors` lists exactly the site's
//! origins, so no other website can frame the widget, and the page is only
//! served for a `parent` origin on that list.

pub mod help;
mod pages;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use shared::origin;
use tower_http::services::ServeDir;

use crate::app::App;

/// The embed loader, shipped inside the binary.
const EMBED_JS: &str = include_str!("../../web/embed.js");
const WIDGET_BOOT: &str = "import init from '/assets/widget/widget.js';\ninit();\n";
const CONSOLE_BOOT: &str = "import init from '/assets/console/console.js';\ninit();\n";

/// Routes for pages and assets.
pub fn routes(app: &App) -> Router<Arc<App>> {
    let assets = ServeDir::new(&app.config.assets);
    Router::new()
        .route("/embed.js", get(|| script(EMBED_JS, "public, max-age=300")))
        .route("/widget", get(widget_page))
        .route("/widget/boot.js", get(|| script(WIDGET_BOOT, "no-cache")))
        .route("/console", get(console_page))
        .route("/console/boot.js", get(|| script(CONSOLE_BOOT, "no-cache")))
        .route("/demo", get(demo_page))
        .merge(help::routes())
        .nest_service("/assets", assets)
}

async fn script(body: &'static str, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body,
    )
        .into_response()
}

/// A language tag safe to put in a page: letters, digits and `-`, short.
fn language(query: &HashMap<String, String>) -> String {
    query
        .get("lang")
        .filter(|l| {
            !l.is_empty()
                && l.len() <= 12
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .cloned()
        .unwrap_or_else(|| "en".into())
}

/// `GET /widget?site=SITE&lang=LANG&parent=ORIGIN`: the iframe page.
async fn widget_page(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(site_id) = query.get("site") else {
        return (StatusCode::BAD_REQUEST, "missing ?site=").into_response();
    };
    let site = match app.conversations.site(&site_id.as_str().into()).await {
        Ok(site) => site,
        Err(e) => return (e.http().0, e.to_string()).into_response(),
    };
    let parent = query.get("parent").map(String::as_str).unwrap_or_default();
    let own = std::iter::once(app.public_url.as_str());
    if !origin::is_allowed(parent, site.origins.iter().map(String::as_str).chain(own)) {
        tracing::warn!(site = %site.id, parent, "widget page refused for a parent origin not on the site's list");
        return (StatusCode::FORBIDDEN, "this site may not be embedded here").into_response();
    }
    let ancestors: Vec<&str> = site
        .origins
        .iter()
        .map(String::as_str)
        .filter(|o| origin::is_origin(o))
        .collect();
    // Images: articles may show pictures from any http(s) host (the
    // relay allows no other scheme in an article).
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         connect-src 'self' ws: wss:; img-src 'self' data: https: http:; frame-ancestors 'self' {}",
        ancestors.join(" ")
    );
    html(pages::widget(&language(&query)), Some(csp))
}

async fn console_page() -> Response {
    // The console talks only to its own relay ('self' covers ws/wss there).
    let csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
               connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
    html(pages::console(), Some(csp.into()))
}

async fn demo_page(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !app.config.demo {
        return (StatusCode::NOT_FOUND, "the demo is switched off").into_response();
    }
    // The demo host page: the loader, the widget's iframe, one inline
    // style attribute; nothing else may load or run.
    let csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
               frame-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
    html(pages::demo(&language(&query)), Some(csp.into()))
}

fn html(body: String, csp: Option<String>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
    if let Some(csp) = csp.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
