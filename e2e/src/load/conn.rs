//! Client sockets for load. Each is bound to one of several 127.0.0.x
//! source addresses (one address pair has only ~28k ephemeral ports, and a
//! reconnect storm leaves many in TIME_WAIT) and uses a small read buffer
//! (tungstenite's default is 128 KiB; tens of thousands of sockets live in
//! this one process). [`Incoming`] decodes only the fields the generator
//! reads, so the generator spends its share of the two cores on sending.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::{bail, Context};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use shared::ServerFrame;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

pub type Ws = WebSocketStream<TcpStream>;
pub type Sink = SplitSink<Ws, Message>;
pub type Stream = SplitStream<Ws>;

/// Source addresses used: 127.0.0.2 ..= 127.0.0.(1 + SOURCE_ADDRS).
pub const SOURCE_ADDRS: usize = 16;
/// How long one setup step (connect, an answer) may take.
pub const STEP_WAIT: Duration = Duration::from_secs(30);

/// The source address of connection number `i`.
pub fn source_ip(i: usize) -> Ipv4Addr {
    let last = u8::try_from(2 + i % SOURCE_ADDRS).unwrap_or(2);
    Ipv4Addr::new(127, 0, 0, last)
}

/// Opens `ws://TARGET{path}` from source address number `i`. Visitor
/// sockets send the relay's own origin, as the widget's iframe does.
pub async fn connect(target: SocketAddr, path: &str, origin: bool, i: usize) -> anyhow::Result<Ws> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source_ip(i).into(), 0))?;
    let stream = tokio::time::timeout(STEP_WAIT, socket.connect(target))
        .await
        .context("connect timed out")??;
    stream.set_nodelay(true)?;
    let mut request = format!("ws://{target}{path}").into_client_request()?;
    if origin {
        request
            .headers_mut()
            .insert("origin", format!("http://{target}").parse()?);
    }
    let config = WebSocketConfig::default().read_buffer_size(4096);
    let (ws, _) = tokio::time::timeout(
        STEP_WAIT,
        tokio_tungstenite::client_async_with_config(request, stream, Some(config)),
    )
    .await
    .context("handshake timed out")??;
    Ok(ws)
}

/// Sends a frame as JSON text.
pub async fn send_json<T: serde::Serialize>(ws: &mut Ws, frame: &T) -> anyhow::Result<()> {
    ws.send(Message::Text(serde_json::to_string(frame)?.into()))
        .await?;
    Ok(())
}

/// Skips frames until `pick` accepts one (bounded by [`STEP_WAIT`]); an
/// `error` frame fails.
pub async fn recv_until<R>(
    ws: &mut Ws,
    mut pick: impl FnMut(ServerFrame) -> Option<R>,
) -> anyhow::Result<R> {
    let deadline = tokio::time::Instant::now() + STEP_WAIT;
    loop {
        let next = tokio::time::timeout_at(deadline, ws.next())
            .await
            .context("timed out waiting for a frame")?;
        let text = match next {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(close))) => bail!("closed by the server: {close:?}"),
            Some(Ok(_)) => continue,
            Some(Err(e)) => bail!("socket error: {e}"),
            None => bail!("socket ended"),
        };
        let frame: ServerFrame = serde_json::from_str(&text)?;
        if let ServerFrame::Error { code, message, .. } = &frame {
            bail!("error frame: {code}: {message}");
        }
        if let Some(found) = pick(frame) {
            return Ok(found);
        }
    }
}

/// The fields of a relay frame (or a forwarded `send` frame) the
/// generator reads while measuring; everything else is skipped unparsed.
#[derive(Debug, Deserialize)]
pub struct Incoming {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub client_msg_id: Option<String>,
    #[serde(default)]
    pub seq: Option<u64>,
    #[serde(default)]
    pub code: Option<String>,
}

/// A measured message's id: `{v|a}{conversation index}.{k}.{intended µs}`
/// (`k` counts that conversation's messages in that direction from 0;
/// the intended send time is in µs after the fleet's epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MsgId {
    pub from_visitor: bool,
    pub conv: u32,
    pub k: u64,
    pub intended_us: u64,
}

impl MsgId {
    pub fn encode(&self) -> String {
        let side = if self.from_visitor { 'v' } else { 'a' };
        format!("{side}{}.{}.{}", self.conv, self.k, self.intended_us)
    }

    pub fn parse(text: &str) -> Option<Self> {
        let from_visitor = match text.as_bytes().first()? {
            b'v' => true,
            b'a' => false,
            _ => return None,
        };
        let mut parts = text[1..].split('.');
        let conv = parts.next()?.parse().ok()?;
        let k = parts.next()?.parse().ok()?;
        let intended_us = parts.next()?.parse().ok()?;
        Some(Self {
            from_visitor,
            conv,
            k,
            intended_us,
        })
    }
}

/// The `send` frame, written by hand: it is on the generator's hot path
/// and its ids never need escaping.
pub fn send_frame(conversation: &str, id: &MsgId) -> String {
    format!(
        r#"{{"type":"send","conversation":"{conversation}","client_msg_id":"{}","text":"hello from the load generator"}}"#,
        id.encode()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_frames_decode() {
        let id = MsgId {
            from_visitor: false,
            conv: 7,
            k: 3,
            intended_us: 123_456,
        };
        assert_eq!(MsgId::parse(&id.encode()), Some(id));
        let frame: shared::VisitorFrame = serde_json::from_str(&send_frame("c-1", &id)).unwrap();
        assert!(matches!(frame, shared::VisitorFrame::Send { .. }));
    }
}
