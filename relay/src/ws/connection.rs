//! The socket loop shared by both roles: reads frames (enforcing the size
//! limit and the flood guard, text and binary alike), decodes them with
//! the codec, hands frames and hub events (several a turn when they queue
//! up) to the role's session, writes what the session queued (in one
//! write a turn, see `socket_write`), goes on with paged
//! replays, pings, closes a socket that sends no hello in time, and says
//! goodbye on shutdown. Roles differ only in their [`RoleSession`].

use std::future::Future;
use std::ops::ControlFlow;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use shared::{limits, ErrorCode, ServerFrame};

use super::codec;
use super::delivery::REPLAY_BUDGET_BYTES;
use super::outbox::Outbox;
use super::socket_write::{flush, write, Sink};
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

    // Each step's future is boxed while it runs: inlined, the largest of
    // them (a frame's handling, down to the store) would size this task's
    // state, held by every idle socket for its whole life.
    loop {
        tokio::select! {
            () = app.shutdown.cancelled() => {
                out.push(ServerFrame::Reconnect { after_ms: 500 });
                out.close(limits::CLOSE_RESTARTING, "relay restarting");
            }
            incoming = stream.next() => {
                let step = Box::pin(read::<S>(incoming, &mut session, &flood, &mut last_pong, &app, &mut out)).await;
                if step.is_break() {
                    break;
                }
            }
            event = events.recv() => match event {
                Some(first) => Box::pin(take_events(first, &mut events, &mut session, &mut out)).await,
                None => out.close(limits::CLOSE_TRY_AGAIN, "left the hub; reconnect and resume"),
            },
            // Only once the previous page was written: a replay never
            // holds more than one page in memory.
            () = std::future::ready(()), if session.replaying() => {
                Box::pin(session.replay_more(&mut out)).await;
            }
            () = &mut hello_deadline, if !session.greeted() => {
                tracing::info!(role = S::ROLE, "no hello in time; closing");
                // A timeout like a missing pong, not a refusal: the console
                // keeps a socket open while an agent retypes a password.
                out.close(limits::CLOSE_TIMEOUT, "no hello in time");
            }
            () = wake_timer(session.wake_at()), if session.wake_at().is_some() => {
                Box::pin(session.wake(&mut out)).await;
            }
            _ = ping.tick() => {
                Box::pin(session.tick(&mut out)).await;
                if last_pong.elapsed() > limits.pong_timeout {
                    tracing::info!(role = S::ROLE, "no pong in time; closing");
                    out.close(limits::CLOSE_TIMEOUT, "no pong");
                } else if write(&mut sink, Message::Ping(Default::default()), &app).await.is_err() {
                    break;
                }
            }
        }
        if Box::pin(finish_turn(&mut sink, &mut out, &app, S::ROLE))
            .await
            .is_break()
        {
            break;
        }
    }
    app.open_sockets.fetch_sub(1, Ordering::Relaxed);
    app.metrics.connections.get_or_create(&role_label).dec();
    Box::pin(session.on_close()).await;
}

/// Events one turn takes at most before its frames are written: a busy
/// console gets them in one write (one syscall) instead of one each, and
/// the socket's reads still get their turn.
const EVENTS_PER_TURN: usize = 32;

/// Hands `first` and whatever else is already queued (up to
/// [`EVENTS_PER_TURN`], within the turn's byte budget) to the session.
async fn take_events<S: RoleSession>(
    first: Delivered,
    events: &mut Mailbox,
    session: &mut S,
    out: &mut Outbox,
) {
    let mut next = Some(first);
    let mut taken = 0;
    while let Some(delivered) = next.take() {
        match delivered {
            Delivered::Event(event) => session.on_event(event, out).await,
            Delivered::Resync => session.resync(out).await,
        }
        taken += 1;
        if taken < EVENTS_PER_TURN && out.bytes() < REPLAY_BUDGET_BYTES {
            next = events.try_recv();
        }
    }
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

/// tungstenite's capacity error, seen through axum's opaque error type.
fn is_too_big(error: &axum::Error) -> bool {
    let text = error.to_string();
    text.contains("Space limit exceeded") || text.contains("Message too long")
}

/// At least 1: a zero `retry_after_ms` would read as "no need to wait".
fn retry_after_ms(d: std::time::Duration) -> u64 {
    limits::duration_ms(d).max(1)
}
