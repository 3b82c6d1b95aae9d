//! One SMTP conversation of the sink, command by command: kept apart
//! from the sink's bookkeeping so each reads on its own.

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

use super::{decode, is_refused, keep, Shared, SinkAuth, IDLE, MAX_MESSAGE_BYTES};

const MAX_LINE_BYTES: u64 = 8 * 1024;

/// One SMTP transaction's envelope.
#[derive(Default)]
pub(super) struct Envelope {
    pub(super) from: Option<String>,
    pub(super) to: Vec<String>,
}

pub(super) async fn serve(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
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
