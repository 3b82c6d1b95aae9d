//! A loopback SMTP server that keeps what it is sent, so tests check the
//! relay's email (envelope, headers, decoded text, sign-in) without a
//! real mail server or the network.
//!
//! It speaks what lettre needs: greeting, EHLO/HELO (no STARTTLS offered,
//! so the client runs with `tls = none`), AUTH PLAIN/LOGIN (any
//! credentials accepted and recorded), MAIL, RCPT, DATA with
//! dot-unstuffing, RSET, NOOP, QUIT. Bounded in message size, message
//! count, line length, connections and idle time. Dropping it stops it.

mod decode;
mod session;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// A message larger than this is refused (552) and not kept.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;
/// Messages kept at most; later ones are refused (452).
pub const MAX_MESSAGES: usize = 1000;
const MAX_CONNECTIONS: usize = 32;
const IDLE: Duration = Duration::from_secs(30);

/// The credentials a client signed in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkAuth {
    /// `PLAIN` or `LOGIN`.
    pub mechanism: String,
    pub username: String,
    pub password: String,
}

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`), without angle brackets.
    pub from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets.
    pub to: Vec<String>,
    /// The sign-in of the connection that sent it, if any.
    pub auth: Option<SinkAuth>,
    /// The message as sent after DATA, dot-unstuffed, CRLF line ends.
    pub raw: Vec<u8>,
    /// Header names and values, unfolded, RFC 2047 words decoded.
    pub headers: Vec<(String, String)>,
    /// The body with its transfer encoding undone, `\n` line ends.
    pub body: String,
}

impl ReceivedMail {
    /// The first header of that name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
struct Shared {
    mails: Mutex<Vec<ReceivedMail>>,
    count: watch::Sender<usize>,
    refused: Mutex<Vec<String>>,
}

/// The running sink; stops (port closed, connections cut) when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl SmtpSink {
    /// Starts on a free loopback port.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port for the SMTP sink");
        let addr = listener.local_addr().expect("the sink's bound address");
        let shared = Arc::new(Shared {
            mails: Mutex::new(Vec::new()),
            count: watch::channel(0).0,
            refused: Mutex::new(Vec::new()),
        });
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        SmtpSink { addr, shared, task }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        lock(&self.shared.mails).clone()
    }

    /// Answers `RCPT TO` with 550 for recipients ending in `suffix` (e.g.
    /// `@refused.example`), to test a server that refuses.
    pub fn refuse_recipients(&self, suffix: &str) {
        lock(&self.shared.refused).push(suffix.to_ascii_lowercase());
    }

    /// The messages once `n` have arrived, or what arrived within `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let mut count = self.shared.count.subscribe();
        let _ = tokio::time::timeout(timeout, count.wait_for(|&c| c >= n)).await;
        self.messages()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // The accept task owns the listener and the connection tasks'
        // JoinSet: aborting it closes the port and cuts every connection.
        self.task.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of descriptors, say: wait rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        while connections.try_join_next().is_some() {}
        if connections.len() >= MAX_CONNECTIONS {
            continue;
        }
        let shared = Arc::clone(&shared);
        connections.spawn(async move {
            let _ = tokio::time::timeout(IDLE * 4, session::serve(stream, shared)).await;
        });
    }
}

fn is_refused(shared: &Shared, to: &str) -> bool {
    let to = to.to_ascii_lowercase();
    lock(&shared.refused)
        .iter()
        .any(|s| to.ends_with(s.as_str()))
}

fn keep(
    shared: &Shared,
    envelope: session::Envelope,
    auth: Option<SinkAuth>,
    data: Option<Vec<u8>>,
) -> String {
    let Some(raw) = data else {
        return "552 5.3.4 Message too big".into();
    };
    let mut mails = lock(&shared.mails);
    if mails.len() >= MAX_MESSAGES {
        return "452 4.3.1 Sink full".into();
    }
    let (headers, body) = decode::message(&raw);
    mails.push(ReceivedMail {
        from: envelope.from.unwrap_or_default(),
        to: envelope.to,
        auth,
        raw,
        headers,
        body,
    });
    shared.count.send_replace(mails.len());
    "250 2.0.0 Ok: queued".into()
}
