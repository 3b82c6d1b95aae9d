//! The physical limit: a bare WebSocket forwarder on tokio-tungstenite with
//! no store, no routing, no protocol. Driven by the same generator with the
//! same pairs and rates, it shows what the machine, the kernel's loopback
//! and the WebSocket layer cost on their own, so the relay's figures can be
//! given as ratios to it.
//!
//! Sockets name their pairing in the path: `/fwd/agent/A` for agent A, and
//! `/fwd/visitor/CONV/A` for the visitor of conversation CONV, handled by
//! agent A. A visitor's frames go to its agent's socket as they are; an
//! agent's frames go to the visitor named by the frame's `conversation`
//! field (one agent socket carries many conversations, as on the relay), so
//! the forwarder parses that one field and nothing else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

/// Frames queued for one socket before its senders wait (backpressure).
const QUEUE: usize = 4096;

type Tx = mpsc::Sender<Message>;

#[derive(Debug, Default)]
struct Routes {
    agents: HashMap<String, Tx>,
    visitors: HashMap<String, Tx>,
}

/// Serves until the process ends.
pub async fn serve(listener: TcpListener) -> anyhow::Result<()> {
    let routes = Arc::new(Mutex::new(Routes::default()));
    loop {
        let (stream, _) = listener.accept().await?;
        let routes = Arc::clone(&routes);
        tokio::spawn(async move {
            if let Err(e) = connection(stream, routes).await {
                eprintln!("forwarder: connection ended: {e}");
            }
        });
    }
}

#[derive(Deserialize)]
struct Addressed<'a> {
    #[serde(borrow)]
    conversation: &'a str,
}

async fn connection(stream: TcpStream, routes: Arc<Mutex<Routes>>) -> anyhow::Result<()> {
    stream.set_nodelay(true)?;
    let mut path = String::new();
    let config = WebSocketConfig::default().read_buffer_size(4096);
    // tungstenite's callback signature, not ours, fixes the error type.
    #[allow(clippy::result_large_err)]
    let ws = tokio_tungstenite::accept_hdr_async_with_config(
        stream,
        |req: &Request, res: Response| {
            path = req.uri().path().to_owned();
            Ok(res)
        },
        Some(config),
    )
    .await?;
    let parts: Vec<String> = path.split('/').map(str::to_owned).collect();
    let (tx, mut rx) = mpsc::channel::<Message>(QUEUE);
    // ["", "fwd", "agent", A] or ["", "fwd", "visitor", CONV, A]
    // A visitor's agent is looked up until found: the agent's client can
    // see its handshake done before this server registered it.
    let (is_agent, agent_name) = match parts.as_slice() {
        [_, _, role, a] if role == "agent" => {
            lock(&routes).agents.insert(a.clone(), tx);
            (true, String::new())
        }
        [_, _, role, conv, a] if role == "visitor" => {
            lock(&routes).visitors.insert(conv.clone(), tx);
            (false, a.clone())
        }
        _ => anyhow::bail!("unknown path {path}"),
    };
    let mut peer: Option<Tx> = None;
    let (mut sink, mut stream) = ws.split();
    let writer = tokio::spawn(async move {
        while let Some(message) = rx.recv().await {
            if sink.send(message).await.is_err() {
                break;
            }
        }
    });
    while let Some(message) = stream.next().await {
        let Message::Text(text) = message? else {
            continue;
        };
        let target = if is_agent {
            let to: Addressed<'_> = serde_json::from_str(&text)?;
            lock(&routes).visitors.get(to.conversation).cloned()
        } else {
            if peer.is_none() {
                peer = lock(&routes).agents.get(&agent_name).cloned();
            }
            peer.clone()
        };
        if let Some(target) = target {
            let _ = target.send(Message::Text(text)).await;
        }
    }
    writer.abort();
    Ok(())
}

fn lock(routes: &Mutex<Routes>) -> std::sync::MutexGuard<'_, Routes> {
    routes.lock().unwrap_or_else(|e| e.into_inner())
}
