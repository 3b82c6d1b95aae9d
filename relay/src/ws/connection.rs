//! The socket loop shared by both roles: reads frames (enforcing the size
//! limit and the flood guard), decodes them with the codec, hands frames and
//! hub events to the role's session, writes what the session queued, pings,
//! and says goodbye on shutdown. Roles differ only in their [`RoleSession`].

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use shared::{limits, ErrorCode, ServerFrame};
use tokio::sync::mpsc;

use super::codec;
use super::outbox::Outbox;
use crate::app::App;
use crate::bus::Event;
use crate::metrics::Metrics;
use crate::ratelimit::TokenBucket;

/// One role's behaviour on a connection.
pub trait RoleSession: Send {
    type Frame: DeserializeOwned + Send;
    /// For logs and metrics labels.
    const ROLE: &'static str;
    /// The frame types this role may send (see `shared::VisitorFrame::TYPES`).
    const TYPES: &'static [&'static str];

    fn on_frame(&mut self, frame: Self::Frame, out: &mut Outbox)
        -> impl Future<Output = ()> + Send;
    fn on_event(&mut self, event: Arc<Event>, out: &mut Outbox) -> impl Future<Output = ()> + Send;
    /// Whether a replay was cut at a page and waits for the next turn.
    fn replaying(&self) -> bool;
    /// Goes on with a replay, one page (see `ws::delivery`).
    fn replay_more(&mut self, out: &mut Outbox) -> impl Future<Output = ()> + Send;
    /// Runs once after the socket is done.
    fn on_close(self) -> impl Future<Output = ()> + Send;
}

/// Drives one socket until it closes.
pub async fn serve<S: RoleSession>(
    socket: WebSocket,
    mut session: S,
    mut events: mpsc::Receiver<Arc<Event>>,
    app: Arc<App>,
) {
    let limits = &app.config.limits;
    let role_label = Metrics::role(S::ROLE);
    app.metrics.connections.get_or_create(&role_label).inc();
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval(limits.ping_interval);
    ping.tick().await; // the first tick is immediate
    let mut last_pong = Instant::now();
    let mut flood = TokenBucket::new(limits.frame_burst, limits.frame_per_sec, Instant::now());
    let mut out = Outbox::default();

    loop {
        tokio::select! {
            () = app.shutdown.cancelled() => {
                out.push(ServerFrame::Reconnect { after_ms: 500 });
                out.close(limits::CLOSE_RESTARTING, "relay restarting");
            }
            incoming = stream.next() => match incoming {
                None | Some(Ok(Message::Close(_))) => break,
                Some(Err(e)) => {
                    tracing::info!(role = S::ROLE, error = %e, "socket read failed");
                    if is_too_big(&e) {
                        out.close(limits::CLOSE_TOO_BIG, "frame too large");
                    } else {
                        break;
                    }
                }
                Some(Ok(Message::Text(text))) => {
                    if text.len() > limits.max_frame_bytes {
                        tracing::warn!(role = S::ROLE, bytes = text.len(), "frame over the size limit");
                        out.close(limits::CLOSE_TOO_BIG, "frame too large");
                    } else if let Err(wait) = flood.try_take(Instant::now()) {
                        out.push(ServerFrame::Error {
                            code: ErrorCode::RateLimited,
                            message: "too many frames; slow down".into(),
                            client_msg_id: None,
                            retry_after_ms: Some(retry_after_ms(wait)),
                        });
                    } else {
                        match codec::decode::<S::Frame>(&text, S::TYPES) {
                            Ok(frame) => session.on_frame(frame, &mut out).await,
                            Err(refusal) => out.error(refusal.code, refusal.message),
                        }
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    out.error(ErrorCode::InvalidFrame, "binary frames are not part of the protocol");
                }
                Some(Ok(Message::Pong(_))) => last_pong = Instant::now(),
                Some(Ok(Message::Ping(_))) => {} // answered by the WebSocket layer
            },
            event = events.recv() => match event {
                Some(event) => session.on_event(event, &mut out).await,
                None => out.close(limits::CLOSE_TRY_AGAIN, "too slow to keep up; reconnect and resume"),
            },
            // Only once the previous page was written: a replay never
            // holds more than one page in memory.
            () = std::future::ready(()), if session.replaying() => {
                session.replay_more(&mut out).await;
            }
            _ = ping.tick() => {
                if last_pong.elapsed() > limits.pong_timeout {
                    tracing::info!(role = S::ROLE, "no pong in time; closing");
                    out.close(limits::CLOSE_TIMEOUT, "no pong");
                } else if sink.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
        if flush(&mut sink, &mut out, &app, S::ROLE).await.is_err() {
            break;
        }
        if let Some((code, reason)) = out.close.take() {
            let frame = CloseFrame {
                code,
                reason: reason.into(),
            };
            let _ = sink.send(Message::Close(Some(frame))).await;
            break;
        }
    }
    app.metrics.connections.get_or_create(&role_label).dec();
    session.on_close().await;
}

/// Writes queued frames; logs and counts refusals; measures delivery latency.
async fn flush<S>(sink: &mut S, out: &mut Outbox, app: &App, role: &'static str) -> Result<(), ()>
where
    S: SinkExt<Message> + Unpin,
{
    out.bytes = 0;
    for frame in out.frames.drain(..) {
        match &frame {
            ServerFrame::Error { code, message, .. } => {
                tracing::info!(role, code = %code, message = %message, "frame refused");
                app.metrics
                    .rejected_frames
                    .get_or_create(&Metrics::code(*code))
                    .inc();
            }
            ServerFrame::Message(message) => {
                let age_ms = crate::now_ms().saturating_sub(message.sent_at_ms);
                // u64 -> f64 loses nothing for any realistic latency.
                #[allow(clippy::cast_precision_loss)]
                app.metrics.delivery_latency.observe(age_ms as f64 / 1000.0);
            }
            _ => {}
        }
        let text = codec::encode(&frame);
        if sink.send(Message::Text(text.into())).await.is_err() {
            return Err(());
        }
    }
    Ok(())
}

/// tungstenite's capacity error, seen through axum's opaque error type.
fn is_too_big(error: &axum::Error) -> bool {
    let text = error.to_string();
    text.contains("Space limit exceeded") || text.contains("Message too long")
}

/// At least 1: a zero `retry_after_ms` would read as "no need to wait".
fn retry_after_ms(d: std::time::Duration) -> u64 {
    limits::duration_ms(d).max(1)
}
