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

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// A message larger than this is refused (552) and not kept.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;
/// Messages kept at most; later ones are refused (452).
pub const MAX_MESSAGES: usize = 1000;
const MAX_LINE_BYTES: u64 = 8 * 1024;
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
            let _ = tokio::time::timeout(IDLE * 4, serve(stream, shared)).await;
        });
    }
}

/// One SMTP transaction's envelope.
#[derive(Default)]
struct Envelope {
    from: Option<String>,
    to: Vec<String>,
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut auth = None;
    let mut envelope = Envelope::default();
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    loop {
        let Some(line) = read_line(&mut lines).await? else {
            return Ok(());
        };
        let line = String::from_utf8_lossy(&line).trim_end().to_owned();
        let (verb, rest) = line.split_once(' ').unwrap_or((&line, ""));
        let reply = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => format!(
                "250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SIZE {MAX_MESSAGE_BYTES}"
            ),
            "HELO" => "250 sink.test".into(),
            "AUTH" => match sign_in(rest, &mut lines, &mut write).await? {
                Some(signed_in) => {
                    auth = Some(signed_in);
                    "235 2.7.0 Authentication successful".into()
                }
                None => "501 5.5.4 Malformed AUTH".into(),
            },
            "MAIL" => match path(rest, "FROM:") {
                Some(from) => {
                    envelope = Envelope {
                        from: Some(from),
                        to: Vec::new(),
                    };
                    "250 2.1.0 Ok".into()
                }
                None => "501 5.5.4 Syntax: MAIL FROM:<address>".into(),
            },
            "RCPT" => match (path(rest, "TO:"), &envelope.from) {
                (_, None) => "503 5.5.1 MAIL first".into(),
                (None, _) => "501 5.5.4 Syntax: RCPT TO:<address>".into(),
                (Some(to), Some(_)) if is_refused(&shared, &to) => {
                    "550 5.1.1 Recipient refused".into()
                }
                (Some(to), Some(_)) => {
                    envelope.to.push(to);
                    "250 2.1.5 Ok".into()
                }
            },
            "DATA" if envelope.to.is_empty() => "503 5.5.1 RCPT first".into(),
            "DATA" => {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let data = read_data(&mut lines).await?;
                let envelope = std::mem::take(&mut envelope);
                keep(&shared, envelope, auth.clone(), data)
            }
            "RSET" => {
                envelope = Envelope::default();
                "250 2.0.0 Ok".into()
            }
            "NOOP" => "250 2.0.0 Ok".into(),
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 Command not implemented".into(),
        };
        write.write_all(format!("{reply}\r\n").as_bytes()).await?;
    }
}

/// One line with its CRLF, or `None` at the end of the stream. A line
/// over the limit or a silent client ends the connection.
async fn read_line(lines: &mut BufReader<OwnedReadHalf>) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut limited = (&mut *lines).take(MAX_LINE_BYTES);
    let n = tokio::time::timeout(IDLE, limited.read_until(b'\n', &mut line))
        .await
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
    if n == 0 {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return Err(std::io::Error::from(std::io::ErrorKind::InvalidData));
    }
    Ok(Some(line))
}

/// The message after DATA, dot-unstuffed; `None` when it outgrew the limit
/// (still read to its end, so the connection stays in step).
async fn read_data(lines: &mut BufReader<OwnedReadHalf>) -> std::io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    let mut too_big = false;
    loop {
        let Some(line) = read_line(lines).await? else {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        };
        if line == b".\r\n" || line == b".\n" {
            return Ok((!too_big).then_some(data));
        }
        let line = line.strip_prefix(b".").unwrap_or(&line);
        too_big |= data.len() + line.len() > MAX_MESSAGE_BYTES;
        if !too_big {
            data.extend_from_slice(line);
        }
    }
}

/// AUTH PLAIN or LOGIN, with or without the initial response.
async fn sign_in(
    rest: &str,
    lines: &mut BufReader<OwnedReadHalf>,
    write: &mut OwnedWriteHalf,
) -> std::io::Result<Option<SinkAuth>> {
    let (mechanism, initial) = rest.split_once(' ').unwrap_or((rest, ""));
    let mechanism = mechanism.to_ascii_uppercase();
    let (username, password) = match mechanism.as_str() {
        "PLAIN" => {
            let text = answer(b"334 \r\n", initial, lines, write).await?;
            // authzid NUL authcid NUL password
            let mut parts = text.as_deref().unwrap_or_default().split('\0').skip(1);
            match (parts.next(), parts.next()) {
                (Some(user), Some(password)) => (user.to_owned(), password.to_owned()),
                _ => return Ok(None),
            }
        }
        "LOGIN" => {
            let user = answer(b"334 VXNlcm5hbWU6\r\n", initial, lines, write).await?;
            let password = answer(b"334 UGFzc3dvcmQ6\r\n", "", lines, write).await?;
            match (user, password) {
                (Some(user), Some(password)) => (user, password),
                _ => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(SinkAuth {
        mechanism,
        username,
        password,
    }))
}

/// One base64 answer of a sign-in: the initial response if the client
/// gave one, else the next line after `prompt`.
async fn answer(
    prompt: &[u8],
    initial: &str,
    lines: &mut BufReader<OwnedReadHalf>,
    write: &mut OwnedWriteHalf,
) -> std::io::Result<Option<String>> {
    if !initial.is_empty() {
        return Ok(decode::base64_text(initial));
    }
    write.write_all(prompt).await?;
    let line = read_line(lines).await?.unwrap_or_default();
    Ok(decode::base64_text(String::from_utf8_lossy(&line).trim()))
}

/// The address of `FROM:<a@b> SIZE=1` or `TO:<a@b>`.
fn path(rest: &str, keyword: &str) -> Option<String> {
    let head = rest.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let address = rest[keyword.len()..].trim_start().split(' ').next()?;
    let address = address.strip_prefix('<')?.strip_suffix('>')?;
    Some(address.to_owned())
}

fn is_refused(shared: &Shared, to: &str) -> bool {
    let to = to.to_ascii_lowercase();
    lock(&shared.refused)
        .iter()
        .any(|s| to.ends_with(s.as_str()))
}

fn keep(
    shared: &Shared,
    envelope: Envelope,
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
