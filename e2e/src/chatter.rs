//! One side of a conversation that behaves like a good client through
//! faults: it keeps every unacknowledged message in an outbox and sends it
//! again (same client message id) after a refusal or a reconnect; when its
//! socket drops it goes to the next node (as a load balancer without
//! sticky sessions would send it) and resumes from the last seq it showed;
//! a gap on a live socket makes it ask for a resume. It records what a
//! screen would show, so a test can compare both sides and the store, and
//! how long each reconnect took.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::bail;
use shared::{
    AgentAuth, AgentFrame, ChatMessage, ClientMsgId, ConversationId, ErrorCode, ResumePoint,
    ServerFrame, VisitorFrame, PROTOCOL_VERSION,
};
use tokio::time::Instant;

use crate::client::Client;

/// Who the chatter is, and how it proves it on reconnect.
#[derive(Debug, Clone)]
pub enum Who {
    Visitor { token: String },
    Agent { session: String },
}

/// A participant in one conversation.
#[derive(Debug)]
pub struct Chatter {
    pub name: String,
    who: Who,
    nodes: Vec<SocketAddr>,
    origin: String,
    node: usize,
    conversation: ConversationId,
    client: Option<Client>,
    /// Messages as a screen shows them: each once, in seq order.
    pub transcript: Vec<ChatMessage>,
    /// Frames repeating a seq already shown (must stay 0).
    pub duplicates: usize,
    /// Frames that skipped seqs; each made the chatter ask for a resume.
    pub gaps: usize,
    /// The seq a gap resume was last asked after: asked once per seq, as
    /// the widget does, since each resume replays from that point.
    gap_asked: Option<u64>,
    /// Sent, not yet acknowledged, oldest first.
    outbox: VecDeque<(String, String)>,
    /// How many of the outbox went out on the current socket.
    on_socket: usize,
    resend_at: Option<Instant>,
    /// Client message id -> acknowledged seq.
    pub acks: HashMap<String, u64>,
    /// When each first ack arrived.
    pub acked_at: Vec<Instant>,
    /// Acks of one id with two different seqs (must stay 0).
    pub ack_conflicts: usize,
    /// Messages this chatter wrote.
    pub sent: usize,
    /// `unavailable` refusals received (Redis down: nothing stored).
    pub refusals: usize,
    /// From losing a socket to being welcomed on a new one.
    pub reconnects: Vec<Duration>,
    /// When each of those welcomes came.
    pub welcomed_at: Vec<Instant>,
}

impl Chatter {
    /// Takes over a greeted `client` on `nodes[node]`, showing nothing yet
    /// of `conversation` (it resumes from seq 0).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: &str,
        who: Who,
        client: Client,
        nodes: Vec<SocketAddr>,
        node: usize,
        origin: String,
        conversation: ConversationId,
    ) -> Self {
        Self {
            name: name.into(),
            who,
            nodes,
            origin,
            node,
            conversation,
            client: Some(client),
            transcript: Vec::new(),
            duplicates: 0,
            gaps: 0,
            gap_asked: None,
            outbox: VecDeque::new(),
            on_socket: 0,
            resend_at: None,
            acks: HashMap::new(),
            acked_at: Vec::new(),
            ack_conflicts: 0,
            sent: 0,
            refusals: 0,
            reconnects: Vec::new(),
            welcomed_at: Vec::new(),
        }
    }

    pub fn conversation(&self) -> &ConversationId {
        &self.conversation
    }

    /// Shows what arrives until the socket is lost (or `deadline`).
    pub async fn until_lost(&mut self, deadline: Instant) {
        while let Some(client) = self.client.as_mut() {
            tokio::select! {
                frame = client.recv() => match frame {
                    Ok(frame) => self.on_frame(frame).await,
                    Err(_) => self.lost(),
                },
                () = tokio::time::sleep_until(deadline) => return,
            }
        }
    }

    fn last_seq(&self) -> u64 {
        self.transcript.last().map_or(0, |m| m.seq)
    }

    /// Writes `count` messages, one every `every`, while showing what
    /// arrives; returns once it wrote them all, all are acknowledged and
    /// the transcript holds `expect` messages, or at `deadline`.
    pub async fn chat(&mut self, count: usize, every: Duration, expect: usize, deadline: Instant) {
        if self.transcript.is_empty() {
            // Show the conversation from its start.
            self.ask_resume().await;
        }
        let mut tick = tokio::time::interval(every);
        while Instant::now() < deadline {
            if self.sent >= count && self.outbox.is_empty() && self.transcript.len() >= expect {
                return;
            }
            if self.client.is_none() {
                self.reconnect(deadline).await;
                continue;
            }
            self.flush().await;
            let resend = self.resend_at.unwrap_or(deadline);
            let client = self.client.as_mut().expect("connected");
            tokio::select! {
                frame = client.recv() => match frame {
                    Ok(frame) => self.on_frame(frame).await,
                    Err(_) => self.lost(),
                },
                _ = tick.tick(), if self.sent < count => {
                    let id = format!("{}-{}", self.name, self.sent + 1);
                    let text = format!("{} says {}", self.name, self.sent + 1);
                    self.outbox.push_back((id, text));
                    self.sent += 1;
                }
                () = tokio::time::sleep_until(resend), if self.resend_at.is_some() => {
                    self.resend_at = None;
                }
                () = tokio::time::sleep_until(deadline) => return,
            }
        }
    }

    /// Sends what the outbox holds beyond what went out on this socket.
    async fn flush(&mut self) {
        if self.resend_at.is_some() {
            return;
        }
        while self.on_socket < self.outbox.len() {
            let (id, text) = self.outbox[self.on_socket].clone();
            let conversation = self.conversation.clone();
            let client_msg_id = ClientMsgId::from(id.as_str());
            let result = match (&self.who, self.client.as_mut()) {
                (Who::Visitor { .. }, Some(c)) => {
                    c.send(&VisitorFrame::Send {
                        conversation,
                        client_msg_id,
                        text,
                    })
                    .await
                }
                (Who::Agent { .. }, Some(c)) => {
                    c.send(&AgentFrame::Send {
                        conversation,
                        client_msg_id,
                        text,
                    })
                    .await
                }
                (_, None) => return,
            };
            if result.is_err() {
                return self.lost();
            }
            self.on_socket += 1;
        }
    }

    async fn on_frame(&mut self, frame: ServerFrame) {
        match frame {
            ServerFrame::Message(m) if m.conversation == self.conversation => {
                let last = self.last_seq();
                if m.seq <= last {
                    self.duplicates += 1;
                } else if m.seq == last + 1 {
                    self.transcript.push(m);
                } else {
                    self.gaps += 1;
                    if self.gap_asked != Some(last) {
                        self.gap_asked = Some(last);
                        self.ask_resume().await;
                    }
                }
            }
            ServerFrame::Ack {
                client_msg_id, seq, ..
            } => {
                let id = client_msg_id.as_str().to_owned();
                match self.acks.insert(id.clone(), seq) {
                    Some(earlier) if earlier != seq => self.ack_conflicts += 1,
                    Some(_) => {}
                    None => self.acked_at.push(Instant::now()),
                }
                if let Some(at) = self.outbox.iter().position(|(i, _)| *i == id) {
                    self.outbox.remove(at);
                    if at < self.on_socket {
                        self.on_socket -= 1;
                    }
                }
            }
            ServerFrame::Error {
                code: code @ (ErrorCode::Unavailable | ErrorCode::RateLimited),
                retry_after_ms,
                client_msg_id: Some(_),
                ..
            } => {
                // Nothing was stored: everything not yet acked goes out again.
                if code == ErrorCode::Unavailable {
                    self.refusals += 1;
                }
                self.on_socket = 0;
                let wait = Duration::from_millis(retry_after_ms.unwrap_or(500).min(1_000));
                self.resend_at = Some(Instant::now() + wait);
            }
            ServerFrame::Reconnect { .. } => self.lost(),
            _ => {}
        }
    }

    async fn ask_resume(&mut self) {
        let point = ResumePoint {
            conversation: self.conversation.clone(),
            after_seq: self.last_seq(),
        };
        let result = match (&self.who, self.client.as_mut()) {
            (Who::Visitor { .. }, Some(c)) => c.send(&VisitorFrame::Resume(point)).await,
            (Who::Agent { .. }, Some(c)) => c.send(&AgentFrame::Resume(point)).await,
            (_, None) => return,
        };
        if result.is_err() {
            self.lost();
        }
    }

    fn lost(&mut self) {
        self.client = None;
        self.on_socket = 0;
    }

    /// Tries the next nodes in turn until one welcomes it.
    async fn reconnect(&mut self, deadline: Instant) {
        let since = Instant::now();
        while Instant::now() < deadline {
            self.node = (self.node + 1) % self.nodes.len();
            match self.greet(self.nodes[self.node]).await {
                Ok(client) => {
                    self.client = Some(client);
                    self.reconnects.push(since.elapsed());
                    self.welcomed_at.push(Instant::now());
                    return;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    async fn greet(&self, addr: SocketAddr) -> anyhow::Result<Client> {
        let resume = vec![ResumePoint {
            conversation: self.conversation.clone(),
            after_seq: self.last_seq(),
        }];
        match &self.who {
            Who::Visitor { token } => {
                let mut client = Client::visitor(addr, "demo", Some(&self.origin)).await?;
                client.visitor_hello(Some(token), resume).await?;
                Ok(client)
            }
            Who::Agent { session } => {
                let mut client = Client::agent(addr).await?;
                client
                    .send(&AgentFrame::Hello {
                        protocol: PROTOCOL_VERSION,
                        auth: AgentAuth::Session {
                            token: session.clone(),
                        },
                        resume,
                    })
                    .await?;
                match client.recv().await? {
                    ServerFrame::AgentWelcome { .. } => Ok(client),
                    other => bail!("expected agent_welcome, got {other:?}"),
                }
            }
        }
    }
}
