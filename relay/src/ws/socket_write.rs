//! Writing to a client's socket: each turn's frames are fed into the
//! socket's write buffer and flushed once (one write, not one per frame),
//! every write within the write deadline, so a client that stops reading
//! is closed with 1013 (it resumes) instead of holding a task and its
//! queued frames. Also counts refusals and times the delivery of messages.

use std::future::Future;
use std::time::Instant;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::SinkExt;
use shared::{limits, ServerFrame};

use super::codec;
use super::outbox::Outbox;
use crate::app::App;
use crate::metrics::Metrics;

pub(super) type Sink = SplitSink<WebSocket, Message>;

/// Writes queued frames; logs and counts refusals; measures delivery
/// latency and the socket-write stage of messages.
pub(super) async fn flush(
    sink: &mut Sink,
    out: &mut Outbox,
    app: &App,
    role: &'static str,
) -> Result<(), ()> {
    out.bytes = 0;
    if out.frames.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    let mut messages = 0;
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
                messages += 1;
            }
            _ => {}
        }
        let text = codec::encode(&frame);
        if feed(sink, Message::Text(text.into()), app).await.is_err() {
            return too_slow(sink, app, role).await;
        }
    }
    // One flush for the turn: its frames leave in one write, not one each.
    let written = within_deadline(app, sink.flush()).await;
    let seconds = started.elapsed().as_secs_f64();
    for _ in 0..messages {
        app.metrics.stages.socket_write.observe(seconds);
    }
    if written.is_err() {
        return too_slow(sink, app, role).await;
    }
    Ok(())
}

/// One write, within the write deadline: a client that stops reading
/// must not hold a task and its queued frames for ever.
pub(super) async fn write(sink: &mut Sink, message: Message, app: &App) -> Result<(), ()> {
    within_deadline(app, sink.send(message)).await
}

/// Queues a frame in the socket's write buffer (written by the next flush,
/// or sooner once the buffer is full).
async fn feed(sink: &mut Sink, message: Message, app: &App) -> Result<(), ()> {
    within_deadline(app, sink.feed(message)).await
}

async fn within_deadline<E>(app: &App, io: impl Future<Output = Result<(), E>>) -> Result<(), ()> {
    match tokio::time::timeout(app.config.limits.write_timeout, io).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) | Err(_) => Err(()),
    }
}

/// Closes a socket whose reader did not take a write in time.
async fn too_slow(sink: &mut Sink, app: &App, role: &'static str) -> Result<(), ()> {
    tracing::info!(role, "client too slow to read, or gone; closing");
    let frame = CloseFrame {
        code: limits::CLOSE_TRY_AGAIN,
        reason: "too slow to keep up; reconnect and resume".into(),
    };
    let _ = write(sink, Message::Close(Some(frame)), app).await;
    Err(())
}
