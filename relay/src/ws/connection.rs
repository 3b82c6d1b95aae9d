//! The socket loop shared by both roles: reads frames (enforcing the size
//! limit and the flood guard, text and binary alike), decodes them with
//! the codec, hands frames and hub events to the role's session, writes
//! what the session queued (each write within a deadline: a reader too
//! slow to take it is closed with 1013 and resumes), goes on with paged
//! replays, pings, closes a socket that sends no hello in time, and says
//! goodbye on shutdown. Roles differ only in their [`RoleSession`].

use std::future::Future;
use std::ops::ControlFlow;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use shared::{limits, ErrorCode, ServerFrame};

use super::codec;
use super::outbox::Outbox;
use crate::app::App;
use crate::bus::Event;
use crate::hub::mailbox::{Delivered, Mailbox};
use crate::metrics::Metrics;
use crate::ratelimit::Allowance;

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
    /// The hub dropped events while this connection's queue was full: read
    /// again from the store what the client shows (see `hub::mailbox`).
    fn resync(&mut self, out: &mut Outbox) -> impl Future<Output = ()> + Send;
    /// Whether the client has said a good hello (signed in, for agents).
    fn greeted(&self) -> bool;
    /// Whether a replay was cut at a page and waits for the next turn.
    fn replaying(&self) -> bool;
    /// Goes on with a replay, one page (see `ws::delivery`).
    fn replay_more(&mut self, out: &mut Outbox) -> impl Future<Output = ()> + Send;
    /// Runs once after the socket is done.
    fn on_close(self) -> impl Future<Output = ()> + Send;
    /// Runs on every ping tick: time-driven duties (an idle agent going away).
    fn tick(&mut self, _out: &mut Outbox) -> impl Future<Output = ()> + Send {
        async {}
    }
    /// When the session wants [`RoleSession::wake`] called next (an
    /// admin's watched live view), if at all.
    fn wake_at(&self) -> Option<tokio::time::Instant> {
        None
    }
    /// Runs at [`RoleSession::wake_at`].
    fn wake(&mut self, _out: &mut Outbox) -> impl Future<Output = ()> + Send {
        async {}
    }
}

type Sink = SplitSink<WebSocket, Message>;

/// Drives one socket until it closes.
pub async fn serve<S: RoleSession>(
    socket: WebSocket,
    mut session: S,
    mut events: Mailbox,
    app: Arc<App>,
) {
    let limits = &app.config.limits;
    let role_label = Metrics::role(S::ROLE);
    app.metrics.connections.get_or_create(&role_label).inc();
    app.open_sockets.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval(limits.ping_interval);
    ping.tick().await; // the first tick is immediate
    let hello_deadline = tokio::time::sleep(limits.hello_timeout);
    tokio::pin!(hello_deadline);
    let mut last_pong = Instant::now();
    let flood = Allowance::new(limits.frame_burst, limits.frame_per_sec);
    let mut out = Outbox::default();

    loop {
        tokio::select! {
            () = app.shutdown.cancelled() => {
                out.push(ServerFrame::Reconnect { after_ms: 500 });
                out.close(limits::CLOSE_RESTARTING, "relay restarting");
            }
            incoming = stream.next() => {
                let step = read::<S>(incoming, &mut session, &flood, &mut last_pong, &app, &mut out).await;
                if step.is_break() {
                    break;
                }
            }
            event = events.recv() => match event {
                Some(Delivered::Event(event)) => session.on_event(event, &mut out).await,
                Some(Delivered::Resync) => session.resync(&mut out).await,
                None => out.close(limits::CLOSE_TRY_AGAIN, "left the hub; reconnect and resume"),
            },
            // Only once the previous page was written: a replay never
            // holds more than one page in memory.
            () = std::future::ready(()), if session.replaying() => {
                session.replay_more(&mut out).await;
            }
            () = &mut hello_deadline, if !session.greeted() => {
                tracing::info!(role = S::ROLE, "no hello in time; closing");
                // A timeout like a missing pong, not a refusal: the console
                // keeps a socket open while an agent retypes a password.
                out.close(limits::CLOSE_TIMEOUT, "no hello in time");
            }
            () = wake_timer(session.wake_at()), if session.wake_at().is_some() => {
                session.wake(&mut out).await;
            }
            _ = ping.tick() => {
                session.tick(&mut out).await;
                if last_pong.elapsed() > limits.pong_timeout {
                    tracing::info!(role = S::ROLE, "no pong in time; closing");
                    out.close(limits::CLOSE_TIMEOUT, "no pong");
                } else if write(&mut sink, Message::Ping(Default::default()), &app).await.is_err() {
                    break;
                }
            }
        }
        if finish_turn(&mut sink, &mut out, &app, S::ROLE)
            .await
            .is_break()
        {
            break;
        }
    }
    app.open_sockets.fetch_sub(1, Ordering::Relaxed);
    app.metrics.connections.get_or_create(&role_label).dec();
    session.on_close().await;
}

/// Sleeps until `at`; never wakes without one (that branch is disabled).
fn wake_timer(at: Option<tokio::time::Instant>) -> tokio::time::Sleep {
    let never = || tokio::time::Instant::now() + std::time::Duration::from_secs(86_400);
    tokio::time::sleep_until(at.unwrap_or_else(never))
}

/// Writes what the turn queued, then the close it asked for, if any;
/// `Break` ends the connection.
async fn finish_turn(
    sink: &mut Sink,
    out: &mut Outbox,
    app: &App,
    role: &'static str,
) -> ControlFlow<()> {
    if flush(sink, out, app, role).await.is_err() {
        return ControlFlow::Break(());
    }
    let Some((code, reason)) = out.close.take() else {
        return ControlFlow::Continue(());
    };
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = write(sink, Message::Close(Some(frame)), app).await;
    ControlFlow::Break(())
}

/// One thing read from the socket; `Break` ends the connection at once.
async fn read<S: RoleSession>(
    incoming: Option<Result<Message, axum::Error>>,
    session: &mut S,
    flood: &Allowance,
    last_pong: &mut Instant,
    app: &App,
    out: &mut Outbox,
) -> ControlFlow<()> {
    let limits = &app.config.limits;
    let message = match incoming {
        None | Some(Ok(Message::Close(_))) => return ControlFlow::Break(()),
        Some(Err(e)) => {
            tracing::info!(role = S::ROLE, error = %e, "socket read failed");
            if !is_too_big(&e) {
                return ControlFlow::Break(());
            }
            out.close(limits::CLOSE_TOO_BIG, "frame too large");
            return ControlFlow::Continue(());
        }
        Some(Ok(Message::Pong(_))) => {
            *last_pong = Instant::now();
            return ControlFlow::Continue(());
        }
        // Answered by the WebSocket layer.
        Some(Ok(Message::Ping(_))) => return ControlFlow::Continue(()),
        Some(Ok(message)) => message,
    };
    // Every data frame costs a token, binary ones too: a flood of frames
    // the protocol refuses is still a flood.
    if let Err(wait) = flood.try_take() {
        out.push(ServerFrame::Error {
            code: ErrorCode::RateLimited,
            message: "too many frames; slow down".into(),
            client_msg_id: None,
            retry_after_ms: Some(retry_after_ms(wait)),
        });
        return ControlFlow::Continue(());
    }
    match message {
        Message::Text(text) if text.len() > limits.max_frame_bytes => {
            tracing::warn!(
                role = S::ROLE,
                bytes = text.len(),
                "frame over the size limit"
            );
            out.close(limits::CLOSE_TOO_BIG, "frame too large");
        }
        Message::Text(text) => {
            let decoding = Instant::now();
            let decoded = codec::decode::<S::Frame>(&text, S::TYPES);
            app.metrics
                .stages
                .decode
                .observe(decoding.elapsed().as_secs_f64());
            match decoded {
                Ok(frame) => session.on_frame(frame, out).await,
                Err(refusal) => out.error(refusal.code, refusal.message),
            }
        }
        _ => out.error(
            ErrorCode::InvalidFrame,
            "binary frames are not part of the protocol",
        ),
    }
    ControlFlow::Continue(())
}

/// Writes queued frames; logs and counts refusals; measures delivery
/// latency and the socket-write stage of messages.
async fn flush(sink: &mut Sink, out: &mut Outbox, app: &App, role: &'static str) -> Result<(), ()> {
    out.bytes = 0;
    for frame in out.frames.drain(..) {
        match &frame {
            ServerFrame::Error { code, message, .. } => {
                // `detail`, not `message`: that name is the log line's own
                // (a JSON log line would carry two `message` keys).
                tracing::info!(role, code = %code, detail = %message, "frame refused");
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
        let is_message = matches!(frame, ServerFrame::Message(_));
        let text = codec::encode(&frame);
        let started = Instant::now();
        let written = write(sink, Message::Text(text.into()), app).await;
        if is_message {
            let seconds = started.elapsed().as_secs_f64();
            app.metrics.stages.socket_write.observe(seconds);
        }
        if written.is_err() {
            tracing::info!(role, "client too slow to read, or gone; closing");
            let frame = CloseFrame {
                code: limits::CLOSE_TRY_AGAIN,
                reason: "too slow to keep up; reconnect and resume".into(),
            };
            let _ = write(sink, Message::Close(Some(frame)), app).await;
            return Err(());
        }
    }
    Ok(())
}

/// One write, within the write deadline: a client that stops reading
/// must not hold a task and its queued frames for ever.
async fn write(sink: &mut Sink, message: Message, app: &App) -> Result<(), ()> {
    match tokio::time::timeout(app.config.limits.write_timeout, sink.send(message)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) | Err(_) => Err(()),
    }
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
