//! The WebSocket endpoints. `/ws/visitor?site=ID` checks the browser's
//! Origin against the site's allowlist *before* upgrading (a wrong origin
//! gets 403 and no socket); `/ws/agent` accepts only same-origin browsers
//! (agents authenticate in their first frame, not with cookies).
//!
//! - [`codec`]: the one place frames are decoded and encoded.
//! - [`connection`]: the socket loop both roles share.
//! - [`visitor`], [`agent`]: each role's translation of frames into the
//!   conversation service's steps ([`crate::conversations`]), which own
//!   every domain rule.
//! - [`delivery`]: exactly-once, in-order delivery by seq, and the echo
//!   and ack of a posted message.
//! - [`outbox`]: frames a session queues for the loop to write, and the
//!   one translation of a refused step into an error frame.

pub mod agent;
pub mod codec;
pub mod connection;
pub mod delivery;
pub mod origin;
pub mod outbox;
mod socket_write;
pub mod visitor;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use shared::SiteId;

use crate::app::App;
use crate::client_addr::ClientAddr;

/// Bytes read from the socket at a time. tungstenite zero-fills its whole
/// read buffer before every read, so axum's default (128 KiB) is resident
/// for every socket (an idle connection cost ~140 KiB, BENCHMARKS.md) and
/// costs a 128 KiB memset per read. Chat frames are mostly a few hundred
/// bytes; a larger one only takes more reads (the buffer grows to fit a
/// frame being read).
const READ_BUFFER: usize = 1024;

/// The documented frame cap is the transport's: tungstenite stops reading
/// a larger message, and the loop closes with
/// [`shared::limits::CLOSE_TOO_BIG`].
fn limited(ws: WebSocketUpgrade, app: &App) -> WebSocketUpgrade {
    let max = app.config.limits.max_frame_bytes;
    ws.max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(READ_BUFFER)
}

/// `503` when this node holds as many sockets as it may.
fn at_capacity(app: &App) -> Option<Response> {
    let open = app.open_sockets.load(std::sync::atomic::Ordering::Relaxed);
    if open < app.config.limits.max_connections {
        return None;
    }
    tracing::warn!(open, "socket refused: this node is at its connection cap");
    Some(
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "this relay is full; try again",
        )
            .into_response(),
    )
}

/// `GET /ws/visitor?site=ID`.
pub async fn visitor_upgrade(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if let Some(full) = at_capacity(&app) {
        return full;
    }
    let Some(site_id) = query.get("site").map(|s| SiteId::from(s.as_str())) else {
        return (StatusCode::BAD_REQUEST, "missing ?site=").into_response();
    };
    let site = match app.conversations.site(&site_id).await {
        Ok(site) => site,
        Err(e) => {
            tracing::warn!(site = %site_id, error = %e, "visitor socket refused");
            return (e.http().0, e.to_string()).into_response();
        }
    };
    if let Err(reason) = origin::check_visitor(&headers, &site) {
        tracing::warn!(site = %site.id, %reason, "visitor socket refused");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    let app2 = Arc::clone(&app);
    limited(ws, &app).on_upgrade(move |socket| {
        let (sub, events) = app2.hub.register();
        let session = visitor::VisitorSession::new(Arc::clone(&app2), sub, site, client);
        let tracker = app2.sessions.clone();
        tracker.track_future(connection::serve(socket, session, events, app2))
    })
}

/// `GET /ws/agent`.
pub async fn agent_upgrade(
    State(app): State<Arc<App>>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if let Some(full) = at_capacity(&app) {
        return full;
    }
    if let Err(reason) = origin::check_same_origin(&headers) {
        tracing::warn!(%reason, "agent socket refused");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    let app2 = Arc::clone(&app);
    limited(ws, &app).on_upgrade(move |socket| {
        let (sub, events) = app2.hub.register();
        let session = agent::AgentSession::new(Arc::clone(&app2), sub, client);
        let tracker = app2.sessions.clone();
        tracker.track_future(connection::serve(socket, session, events, app2))
    })
}
