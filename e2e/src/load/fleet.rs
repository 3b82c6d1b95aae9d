//! Opening the fleet: N visitors and M agents, each with its receive loop
//! running, and the pairing of every conversation with its agent. On the
//! relay this is the real protocol (an admin adds the agents, they sign in
//! and go online, visitors say hello and start, routing assigns); on the
//! bare forwarder the pairing is the same shape, named in the paths.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use futures_util::StreamExt;
use shared::{AgentAuth, AgentFrame, Presence, ServerFrame, VisitorFrame, PROTOCOL_VERSION};
use tokio::sync::{mpsc, Semaphore};
use tokio_util::task::AbortOnDropHandle;

use super::conn::{self, Sink, STEP_WAIT};
use super::reader::{self, Assignments, ReaderShared};

/// The password every load agent gets.
const AGENT_PASSWORD: &str = "load-agent-password";
/// Sockets opened at once during setup.
const SETUP_CONCURRENCY: usize = 256;

/// Where the fleet connects.
#[derive(Debug, Clone)]
pub enum Target {
    Relay {
        /// Visitors connect here, agents to `agents` (two nodes for the
        /// cross-node scenario, or the same address).
        visitors: SocketAddr,
        agents: SocketAddr,
        admin_email: String,
        admin_password: String,
    },
    Forwarder(SocketAddr),
}

/// One conversation as a sender sees it.
#[derive(Debug, Clone)]
pub struct ConvSlot {
    pub id: String,
    /// The conversation's index (the visitor's index).
    pub index: u32,
    /// The next message number in this sender's direction.
    pub next_k: u64,
}

/// One open socket: its sending half (taken while a run sends) and its
/// receive loop.
#[derive(Debug)]
pub struct Peer {
    pub sink: Option<Sink>,
    pub reader: Arc<ReaderShared>,
    pub slots: Vec<ConvSlot>,
    /// A visitor's token, for reconnecting.
    pub token: String,
    _task: AbortOnDropHandle<()>,
}

/// Every socket of a run; dropping it aborts the receive loops and closes
/// the sockets.
#[derive(Debug)]
pub struct Fleet {
    /// Time zero of every message's intended send time.
    pub epoch: Instant,
    pub visitors: Vec<Peer>,
    pub agents: Vec<Peer>,
}

/// Runs `make(i)` for `i in 0..n`, at most `limit` at once; results in order.
pub async fn bounded<T, F, Fut>(n: usize, limit: usize, make: F) -> anyhow::Result<Vec<T>>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let permit = Arc::clone(&permits).acquire_owned().await?;
        let fut = make(i);
        tasks.push(tokio::spawn(async move {
            let result = fut.await;
            drop(permit);
            result
        }));
    }
    let mut out = Vec::with_capacity(n);
    for (i, task) in tasks.into_iter().enumerate() {
        out.push(task.await?.with_context(|| format!("connection {i}"))?);
    }
    Ok(out)
}

impl Fleet {
    /// Opens `visitors` visitors and `agents` agents (each agent taking up
    /// to `capacity` conversations) and pairs them.
    pub async fn open(
        target: &Target,
        visitors: usize,
        agents: usize,
        capacity: u32,
    ) -> anyhow::Result<Self> {
        let epoch = Instant::now();
        match target {
            Target::Relay {
                visitors: vaddr,
                agents: aaddr,
                admin_email,
                admin_password,
            } => {
                add_agents(*aaddr, admin_email, admin_password, agents, capacity).await?;
                let (tx, mut rx) = mpsc::unbounded_channel();
                // One sign-in at a time: each hashes a password with
                // argon2 (19 MiB), and concurrent ones leave the relay's
                // RSS inflated for good (BENCHMARKS.md), which would
                // swamp what the messaging path itself costs.
                let mut agent_peers =
                    bounded(agents, 1, |i| relay_agent(*aaddr, i, epoch, tx.clone())).await?;
                let visitor_peers = bounded(visitors, SETUP_CONCURRENCY, |i| {
                    relay_visitor(*vaddr, i, agents + i, epoch)
                })
                .await?;
                let index: HashMap<&str, usize> = visitor_peers
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v.slots[0].id.as_str(), i))
                    .collect();
                let deadline = tokio::time::Instant::now() + STEP_WAIT * 2;
                let mut paired = 0;
                while paired < visitors {
                    let (a, id) = tokio::time::timeout_at(deadline, rx.recv())
                        .await
                        .with_context(|| {
                            format!("only {paired} of {visitors} conversations were routed")
                        })?
                        .context("assignment channel closed")?;
                    if let Some(&v) = index.get(id.as_str()) {
                        let mut slot = visitor_peers[v].slots[0].clone();
                        slot.next_k = 0;
                        agent_peers[a].slots.push(slot);
                        paired += 1;
                    }
                }
                Ok(Self {
                    epoch,
                    visitors: visitor_peers,
                    agents: agent_peers,
                })
            }
            Target::Forwarder(addr) => {
                let addr = *addr;
                let mut agent_peers = bounded(agents, agents, |i| async move {
                    let ws = conn::connect(addr, &format!("/fwd/agent/{i}"), false, i).await?;
                    Ok(peer(ws, epoch, true, None, Vec::new(), String::new()))
                })
                .await?;
                let visitor_peers = bounded(visitors, SETUP_CONCURRENCY, |i| async move {
                    let path = format!("/fwd/visitor/c{i}/{}", i % agents);
                    let ws = conn::connect(addr, &path, false, agents + i).await?;
                    let slot = slot(format!("c{i}"), i);
                    Ok(peer(ws, epoch, false, None, vec![slot], String::new()))
                })
                .await?;
                for (i, v) in visitor_peers.iter().enumerate() {
                    agent_peers[i % agents].slots.push(v.slots[0].clone());
                }
                Ok(Self {
                    epoch,
                    visitors: visitor_peers,
                    agents: agent_peers,
                })
            }
        }
    }
}

fn slot(id: String, index: usize) -> ConvSlot {
    ConvSlot {
        id,
        index: u32::try_from(index).unwrap_or(u32::MAX),
        next_k: 0,
    }
}

/// Splits a set-up socket into its sending half and a running receive loop.
pub fn peer(
    ws: conn::Ws,
    epoch: Instant,
    is_agent: bool,
    assignments: Option<Assignments>,
    slots: Vec<ConvSlot>,
    token: String,
) -> Peer {
    let (sink, stream) = ws.split();
    let (reader, task) = reader::spawn(stream, epoch, is_agent, assignments);
    Peer {
        sink: Some(sink),
        reader,
        slots,
        token,
        _task: AbortOnDropHandle::new(task),
    }
}

pub fn agent_email(i: usize) -> String {
    format!("agent{i}@load.test")
}

async fn sign_in(
    addr: SocketAddr,
    email: &str,
    password: &str,
    i: usize,
) -> anyhow::Result<(conn::Ws, String)> {
    let mut ws = conn::connect(addr, "/ws/agent", false, i).await?;
    let hello = AgentFrame::Hello {
        protocol: PROTOCOL_VERSION,
        auth: AgentAuth::Password {
            email: email.into(),
            password: password.into(),
        },
        resume: vec![],
    };
    conn::send_json(&mut ws, &hello).await?;
    let id = conn::recv_until(&mut ws, |f| match f {
        ServerFrame::AgentWelcome { agent, .. } => Some(agent.id.as_str().to_owned()),
        _ => None,
    })
    .await?;
    Ok((ws, id))
}

/// The first admin adds the load agents (one at a time: each hashes a password).
async fn add_agents(
    addr: SocketAddr,
    email: &str,
    password: &str,
    agents: usize,
    capacity: u32,
) -> anyhow::Result<()> {
    let (mut admin, _) = sign_in(addr, email, password, 0)
        .await
        .context("admin sign-in")?;
    for i in 0..agents {
        let frame = AgentFrame::AddAgent {
            email: agent_email(i),
            name: format!("Load agent {i}"),
            password: AGENT_PASSWORD.into(),
            max_concurrent: capacity,
            admin: false,
        };
        conn::send_json(&mut admin, &frame).await?;
        conn::recv_until(&mut admin, |f| {
            matches!(f, ServerFrame::AgentAdded { .. }).then_some(())
        })
        .await
        .with_context(|| format!("adding agent {i}"))?;
    }
    Ok(())
}

async fn relay_agent(
    addr: SocketAddr,
    i: usize,
    epoch: Instant,
    tx: mpsc::UnboundedSender<(usize, String)>,
) -> anyhow::Result<Peer> {
    let (mut ws, agent_id) = sign_in(addr, &agent_email(i), AGENT_PASSWORD, i).await?;
    let online = AgentFrame::SetPresence {
        presence: Presence::Online,
    };
    conn::send_json(&mut ws, &online).await?;
    conn::recv_until(&mut ws, |f| {
        matches!(f, ServerFrame::Presence { .. }).then_some(())
    })
    .await?;
    let assignments = Assignments {
        agent_index: i,
        agent_id,
        tx,
    };
    Ok(peer(
        ws,
        epoch,
        true,
        Some(assignments),
        Vec::new(),
        String::new(),
    ))
}

async fn relay_visitor(
    addr: SocketAddr,
    i: usize,
    source: usize,
    epoch: Instant,
) -> anyhow::Result<Peer> {
    let (mut ws, token) = visitor_hello(addr, source, None, vec![]).await?;
    conn::send_json(&mut ws, &VisitorFrame::start(None)).await?;
    let id = conn::recv_until(&mut ws, |f| match f {
        ServerFrame::Conversation(c) => Some(c.id.as_str().to_owned()),
        _ => None,
    })
    .await?;
    Ok(peer(ws, epoch, false, None, vec![slot(id, i)], token))
}

/// Opens a demo-site visitor socket from source address `source` and says
/// hello (with a token and resume points when coming back); returns the
/// socket and the visitor's token from the welcome.
pub async fn visitor_hello(
    addr: SocketAddr,
    source: usize,
    visitor_token: Option<String>,
    resume: Vec<shared::ResumePoint>,
) -> anyhow::Result<(conn::Ws, String)> {
    let mut ws = conn::connect(addr, "/ws/visitor?site=demo", true, source).await?;
    let hello = VisitorFrame::Hello {
        protocol: PROTOCOL_VERSION,
        site: "demo".into(),
        visitor_token,
        resume,
    };
    conn::send_json(&mut ws, &hello).await?;
    let token = conn::recv_until(&mut ws, |f| match f {
        ServerFrame::Welcome { visitor_token, .. } => Some(visitor_token),
        _ => None,
    })
    .await?;
    Ok((ws, token))
}
