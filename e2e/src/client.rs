//! A protocol client over a real tokio-tungstenite socket, with the small
//! waits tests need: the next frame, the next frame of a kind, the close.
//! Every wait is bounded so a broken relay fails a test instead of hanging it.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{bail, Context};
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use shared::{
    AgentAuth, AgentFrame, ClientMsgId, ConversationId, ConversationSummary, ServerFrame,
    VisitorFrame, PROTOCOL_VERSION,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for an expected frame.
pub const WAIT: Duration = Duration::from_secs(10);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One protocol connection.
#[derive(Debug)]
pub struct Client {
    socket: Socket,
}

/// What a visitor's `welcome` said.
#[derive(Debug, Clone)]
pub struct VisitorWelcome {
    pub token: String,
    pub conversations: Vec<ConversationSummary>,
}

impl Client {
    /// Opens `/ws/visitor?site=SITE` with the given Origin header.
    pub async fn visitor(
        addr: SocketAddr,
        site: &str,
        origin: Option<&str>,
    ) -> anyhow::Result<Self> {
        let mut request = format!("ws://{addr}/ws/visitor?site={site}").into_client_request()?;
        if let Some(origin) = origin {
            request.headers_mut().insert("origin", origin.parse()?);
        }
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Self { socket })
    }

    /// A visitor socket on the demo site from an allowed origin.
    pub async fn demo_visitor(addr: SocketAddr) -> anyhow::Result<Self> {
        Self::visitor(
            addr,
            "demo",
            Some(&format!("http://127.0.0.1:{}", addr.port())),
        )
        .await
    }

    /// A demo-site visitor socket sending extra request `headers` (e.g. a
    /// forged `X-Forwarded-For`).
    pub async fn demo_visitor_with(
        addr: SocketAddr,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let mut request = format!("ws://{addr}/ws/visitor?site=demo").into_client_request()?;
        let origin = format!("http://127.0.0.1:{}", addr.port());
        request.headers_mut().insert("origin", origin.parse()?);
        for (name, value) in headers {
            let name = http::HeaderName::from_bytes(name.as_bytes())?;
            request.headers_mut().append(name, value.parse()?);
        }
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Self { socket })
    }

    /// Opens `/ws/agent` (no Origin: not a browser).
    pub async fn agent(addr: SocketAddr) -> anyhow::Result<Self> {
        let (socket, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws/agent")).await?;
        Ok(Self { socket })
    }

    /// Opens `/ws/agent` from another loopback address (e.g. 127.0.0.2):
    /// to the relay, a client at another address.
    pub async fn agent_from(addr: SocketAddr, local: std::net::IpAddr) -> anyhow::Result<Self> {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::new(local, 0))?;
        let stream = socket.connect(addr).await?;
        let url = format!("ws://{addr}/ws/agent");
        let (socket, _) =
            tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream)).await?;
        Ok(Self { socket })
    }

    pub async fn send<T: Serialize>(&mut self, frame: &T) -> anyhow::Result<()> {
        self.send_raw(serde_json::to_string(frame)?).await
    }

    pub async fn send_raw(&mut self, text: String) -> anyhow::Result<()> {
        self.socket.send(Message::Text(text.into())).await?;
        Ok(())
    }

    /// A binary frame (not part of the protocol; for refusal tests).
    pub async fn send_binary(&mut self, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.socket.send(Message::Binary(bytes.into())).await?;
        Ok(())
    }

    /// The next protocol frame (pings and pongs skipped); fails on close.
    pub async fn recv(&mut self) -> anyhow::Result<ServerFrame> {
        loop {
            let next = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .context("timed out waiting for a frame")?;
            match next {
                Some(Ok(Message::Text(text))) => {
                    return serde_json::from_str(&text)
                        .with_context(|| format!("undecodable frame {text}"))
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(other)) => bail!("expected a text frame, got {other:?}"),
                Some(Err(e)) => bail!("socket error: {e}"),
                None => bail!("socket ended"),
            }
        }
    }

    /// Skips frames until one matches; returns it.
    pub async fn recv_until(
        &mut self,
        mut wanted: impl FnMut(&ServerFrame) -> bool,
    ) -> anyhow::Result<ServerFrame> {
        // Bounded as a whole too: a relay that keeps talking must not keep
        // a test waiting for a frame that never comes.
        let deadline = tokio::time::Instant::now() + 3 * WAIT;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.recv())
                .await
                .context("timed out waiting for the wanted frame")??;
            if wanted(&frame) {
                return Ok(frame);
            }
        }
    }

    /// Reads up to the first frame that matches `marker` and returns the
    /// frames before it (the marker itself is consumed).
    ///
    /// Negative checks end here instead of after a fixed wait: send
    /// something whose answer is known to come after anything unwanted
    /// would have (a request answered on this connection, which the relay
    /// handles in order, or an event on the same conversation or queue
    /// from another connection, which the bus keeps in order), read up to
    /// that answer, and assert that the unwanted frame is not among the
    /// ones before it.
    pub async fn until_marker(
        &mut self,
        mut marker: impl FnMut(&ServerFrame) -> bool,
    ) -> anyhow::Result<Vec<ServerFrame>> {
        let mut before = Vec::new();
        loop {
            let frame = self
                .recv()
                .await
                .with_context(|| format!("no marker; before it came {before:?}"))?;
            if marker(&frame) {
                return Ok(before);
            }
            before.push(frame);
        }
    }

    /// The next `error` frame's code (skipping other frames).
    pub async fn recv_error(&mut self) -> anyhow::Result<shared::ErrorCode> {
        match self
            .recv_until(|f| matches!(f, ServerFrame::Error { .. }))
            .await?
        {
            ServerFrame::Error { code, .. } => Ok(code),
            _ => unreachable!(),
        }
    }

    /// Frames received within `window`, stopping early on close.
    pub async fn drain(&mut self, window: Duration) -> Vec<ServerFrame> {
        let mut frames = Vec::new();
        let deadline = tokio::time::Instant::now() + window;
        while let Ok(Some(Ok(message))) =
            tokio::time::timeout_at(deadline, self.socket.next()).await
        {
            if let Message::Text(text) = message {
                if let Ok(frame) = serde_json::from_str(&text) {
                    frames.push(frame);
                }
            }
        }
        frames
    }

    /// Waits for the relay to close; returns its close frame.
    pub async fn recv_close(&mut self) -> anyhow::Result<Option<CloseFrame>> {
        loop {
            let next = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .context("timed out waiting for close")?;
            match next {
                Some(Ok(Message::Close(frame))) => return Ok(frame),
                Some(Ok(_)) => continue,
                Some(Err(e)) => bail!("socket error before close: {e}"),
                None => return Ok(None),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }

    // --- visitor conveniences ---

    /// Says hello (with a token and resume points if given); returns the welcome.
    pub async fn visitor_hello(
        &mut self,
        token: Option<&str>,
        resume: Vec<shared::ResumePoint>,
    ) -> anyhow::Result<VisitorWelcome> {
        self.send_visitor_hello(token, resume).await?;
        match self.recv().await? {
            ServerFrame::Welcome {
                visitor_token,
                conversations,
                ..
            } => Ok(VisitorWelcome {
                token: visitor_token,
                conversations,
            }),
            other => bail!("expected welcome, got {other:?}"),
        }
    }

    /// Sends a demo-site hello without waiting for the answer.
    pub async fn send_visitor_hello(
        &mut self,
        token: Option<&str>,
        resume: Vec<shared::ResumePoint>,
    ) -> anyhow::Result<()> {
        self.send(&VisitorFrame::Hello {
            protocol: PROTOCOL_VERSION,
            site: "demo".into(),
            visitor_token: token.map(str::to_owned),
            resume,
        })
        .await
    }

    /// Starts (or gets) the visitor's open conversation.
    pub async fn start(&mut self) -> anyhow::Result<ConversationSummary> {
        self.send(&VisitorFrame::start(None)).await?;
        match self
            .recv_until(|f| matches!(f, ServerFrame::Conversation(_)))
            .await?
        {
            ServerFrame::Conversation(summary) => Ok(summary),
            _ => unreachable!(),
        }
    }

    /// Starts a conversation with the pre-chat form's details (if any)
    /// and returns the acknowledgement that follows the conversation frame.
    pub async fn start_acknowledged(
        &mut self,
        details: Option<shared::card::PrechatDetails>,
    ) -> anyhow::Result<shared::card::Acknowledgement> {
        self.send(&VisitorFrame::start(details)).await?;
        match self
            .recv_until(|f| {
                matches!(
                    f,
                    ServerFrame::Acknowledgement(_) | ServerFrame::Error { .. }
                )
            })
            .await?
        {
            ServerFrame::Acknowledgement(ack) => Ok(ack),
            other => bail!("expected an acknowledgement, got {other:?}"),
        }
    }

    /// Sends a visitor message and waits for its ack; returns the seq.
    pub async fn visitor_say(
        &mut self,
        conversation: &ConversationId,
        id: &str,
        text: &str,
    ) -> anyhow::Result<u64> {
        self.send(&VisitorFrame::Send {
            conversation: conversation.clone(),
            client_msg_id: ClientMsgId::from(id),
            text: text.into(),
        })
        .await?;
        self.ack_for(id).await
    }

    /// Waits for the ack of client message `id`; fails on an error about it.
    pub async fn ack_for(&mut self, id: &str) -> anyhow::Result<u64> {
        loop {
            match self.recv().await? {
                ServerFrame::Ack {
                    client_msg_id, seq, ..
                } if client_msg_id.as_str() == id => return Ok(seq),
                ServerFrame::Error {
                    code,
                    message,
                    client_msg_id: Some(c),
                    ..
                } if c.as_str() == id => {
                    bail!("message {id} refused: {code}: {message}")
                }
                _ => {}
            }
        }
    }

    // --- agent conveniences ---

    /// Sends a password hello and returns the answer, whatever it is.
    pub async fn try_sign_in(
        &mut self,
        email: &str,
        password: &str,
    ) -> anyhow::Result<ServerFrame> {
        self.send(&AgentFrame::Hello {
            protocol: PROTOCOL_VERSION,
            auth: AgentAuth::Password {
                email: email.into(),
                password: password.into(),
            },
            resume: vec![],
        })
        .await?;
        self.recv().await
    }

    /// Sends a session-token hello and returns the answer, whatever it is.
    pub async fn try_session(&mut self, token: &str) -> anyhow::Result<ServerFrame> {
        self.send(&AgentFrame::Hello {
            protocol: PROTOCOL_VERSION,
            auth: AgentAuth::Session {
                token: token.into(),
            },
            resume: vec![],
        })
        .await?;
        self.recv().await
    }

    /// Signs in with a password; returns the session token.
    pub async fn agent_sign_in(&mut self, email: &str, password: &str) -> anyhow::Result<String> {
        match self.try_sign_in(email, password).await? {
            ServerFrame::AgentWelcome { session_token, .. } => Ok(session_token),
            other => bail!("expected agent_welcome, got {other:?}"),
        }
    }

    /// As an admin, adds a non-admin agent with room for two chats.
    pub async fn add_agent(
        &mut self,
        email: &str,
        name: &str,
        password: &str,
    ) -> anyhow::Result<()> {
        self.send(&AgentFrame::AddAgent {
            email: email.into(),
            name: name.into(),
            password: password.into(),
            max_concurrent: 2,
            admin: false,
        })
        .await?;
        match self
            .recv_until(|f| {
                matches!(
                    f,
                    ServerFrame::AgentAdded { .. } | ServerFrame::Error { .. }
                )
            })
            .await?
        {
            ServerFrame::AgentAdded { .. } => Ok(()),
            other => bail!("agent not added: {other:?}"),
        }
    }

    /// Sets presence and waits for the confirmation.
    pub async fn set_presence(&mut self, presence: shared::Presence) -> anyhow::Result<()> {
        self.send(&AgentFrame::SetPresence { presence }).await?;
        self.recv_until(|f| matches!(f, ServerFrame::Presence { .. }))
            .await?;
        Ok(())
    }

    /// Waits until a conversation frame shows `conversation` assigned to someone.
    pub async fn assigned(&mut self) -> anyhow::Result<ConversationSummary> {
        match self
            .recv_until(|f| matches!(f, ServerFrame::Conversation(c) if c.status == shared::ConversationStatus::Assigned))
            .await?
        {
            ServerFrame::Conversation(summary) => Ok(summary),
            _ => unreachable!(),
        }
    }

    /// Sends an agent reply and waits for its ack; returns the seq.
    pub async fn agent_say(
        &mut self,
        conversation: &ConversationId,
        id: &str,
        text: &str,
    ) -> anyhow::Result<u64> {
        self.send(&AgentFrame::Send {
            conversation: conversation.clone(),
            client_msg_id: ClientMsgId::from(id),
            text: text.into(),
        })
        .await?;
        self.ack_for(id).await
    }

    /// Waits for the message with `seq` in `conversation`; returns its text.
    pub async fn message(
        &mut self,
        conversation: &ConversationId,
        seq: u64,
    ) -> anyhow::Result<String> {
        match self
            .recv_until(|f| matches!(f, ServerFrame::Message(m) if &m.conversation == conversation && m.seq == seq))
            .await?
        {
            ServerFrame::Message(m) => Ok(m.text),
            _ => unreachable!(),
        }
    }
}

/// Whether `frame` tells an agent that `conversation` joined the queue
/// (a whole `queue`, or a `queue_delta` that adds it).
pub fn queue_gains(frame: &ServerFrame, conversation: &shared::ConversationId) -> bool {
    match frame {
        ServerFrame::Queue { waiting } => waiting.iter().any(|c| &c.id == conversation),
        ServerFrame::QueueDelta { added, .. } => added.iter().any(|c| &c.id == conversation),
        _ => false,
    }
}
