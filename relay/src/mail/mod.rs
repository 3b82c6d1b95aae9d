//! Email out: answers to messages left while nobody was online reach the
//! visitor by mail when an SMTP server is configured (issue 14).
//!
//! - [`config`]: the `SWITCHBOARD_SMTP_*` settings.
//! - [`offline`]: the wording of an offline answer.
//!
//! One connection per message (no pool): answers to offline messages are
//! rare, and an idle pooled connection would only be dropped by the server.

pub mod config;
pub mod offline;

use std::fmt;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType, MIME_VERSION_1_0};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub use config::{SmtpConfig, SmtpTls};
pub use offline::offline_answer;

/// How long one message may take, connection included, before it is given
/// up: a stalled server must not hold the caller's task for minutes.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);

/// One plain-text email to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The recipient's address, e.g. `visitor@example.com`.
    pub to: String,
    /// The recipient's name, shown beside the address.
    pub to_name: Option<String>,
    pub subject: String,
    /// The body: UTF-8 text, any script.
    pub text: String,
    /// Where replies go when not to the sender (e.g. a support inbox).
    pub reply_to: Option<String>,
}

/// Why an email was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A setting is missing or contradicts another (found at startup).
    #[error("SMTP settings: {0}")]
    Config(String),
    /// An address (sender, recipient, reply-to) is not a valid email address.
    #[error("invalid {role} address {value:?}: {reason}")]
    Address {
        role: &'static str,
        value: String,
        reason: String,
    },
    /// The mail server could not be reached, secured or talked to.
    #[error("could not send through mail server {server}: {source}")]
    Connection {
        server: String,
        #[source]
        source: lettre::transport::smtp::Error,
    },
    /// The mail server answered with an error code; `permanent` (5xx) means
    /// retrying the same message will not help.
    #[error("mail server {server} refused the message: {source}")]
    Refused {
        server: String,
        permanent: bool,
        #[source]
        source: lettre::transport::smtp::Error,
    },
    /// The mail server did not finish within the send timeout.
    #[error("mail server {server} did not answer within {after:?}")]
    Timeout { server: String, after: Duration },
    /// The message could not be put together (a header lettre refused).
    #[error("could not build the email: {0}")]
    Message(String),
}

/// Sends email through the configured SMTP server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port`, for error messages and logs.
    server: String,
    timeout: Duration,
}

// By hand: lettre's transport prints nothing useful, and nothing here
// should ever print the credentials.
impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer the settings describe: `None` without a host; an error
    /// for a host without a valid sender or with half the credentials, so
    /// a typo stops the relay at startup rather than at the first answer.
    pub fn from_config(config: &SmtpConfig) -> Result<Option<Mailer>, MailError> {
        let Some(host) = config.host() else {
            return Ok(None);
        };
        let from_text = config.from.as_deref().map(str::trim).unwrap_or_default();
        if from_text.is_empty() {
            return Err(MailError::Config(
                "SWITCHBOARD_SMTP_FROM (e.g. `Support <support@example.com>`) is required \
                 when SWITCHBOARD_SMTP_HOST is set"
                    .into(),
            ));
        }
        let from = parse_mailbox("sender (SWITCHBOARD_SMTP_FROM)", from_text)?;
        let port = config.effective_port();

        let tls = match config.tls {
            SmtpTls::None => Tls::None,
            SmtpTls::Starttls => Tls::Required(tls_parameters(host)?),
            SmtpTls::Tls => Tls::Wrapper(tls_parameters(host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(SEND_TIMEOUT));
        match (&config.username, &config.password) {
            (Some(user), Some(password)) => {
                if config.tls == SmtpTls::None && !is_loopback(host) {
                    tracing::warn!(
                        host,
                        "SWITCHBOARD_SMTP_TLS=none: the SMTP password crosses the network unencrypted"
                    );
                }
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
            }
            (None, None) => {}
            _ => {
                return Err(MailError::Config(
                    "set both SWITCHBOARD_SMTP_USERNAME and SWITCHBOARD_SMTP_PASSWORD, or neither"
                        .into(),
                ))
            }
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
            server: format!("{host}:{port}"),
            timeout: SEND_TIMEOUT,
        }))
    }

    /// The same mailer giving up after `timeout` instead of [`SEND_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The sender every message goes out as.
    pub fn from_mailbox(&self) -> String {
        self.from.to_string()
    }

    /// Sends one message, waiting for the server to accept it.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = self.build(mail)?;
        let sending = self.transport.send(message);
        match tokio::time::timeout(self.timeout, sending).await {
            Err(_) => Err(self.timed_out()),
            Ok(Ok(_response)) => Ok(()),
            Ok(Err(error)) => Err(self.classify(error)),
        }
    }

    fn build(&self, mail: &OutgoingMail) -> Result<Message, MailError> {
        let address = parse_address("recipient", &mail.to)?;
        let name = mail
            .to_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let to = Mailbox::new(name.map(str::to_owned), address);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.as_str())
            .message_id(Some(format!(
                "<{}@{}>",
                crate::secrets::random_token(18),
                self.from.email.domain()
            )))
            .header(MIME_VERSION_1_0)
            .header(ContentType::TEXT_PLAIN);
        if let Some(reply_to) = mail.reply_to.as_deref() {
            builder = builder.reply_to(parse_mailbox("reply-to", reply_to)?);
        }
        // Quoted-printable: readable ASCII, any script intact, and unlike
        // 8bit it needs no 8BITMIME from the server nor short lines.
        let body =
            Body::new_with_encoding(mail.text.clone(), ContentTransferEncoding::QuotedPrintable)
                .map_err(|_| MailError::Message("the body cannot be quoted-printable".into()))?;
        builder
            .body(body)
            .map_err(|error| MailError::Message(error.to_string()))
    }

    fn classify(&self, error: lettre::transport::smtp::Error) -> MailError {
        let server = self.server.clone();
        if error.is_timeout() {
            self.timed_out()
        } else if error.is_permanent() || error.is_transient() {
            MailError::Refused {
                server,
                permanent: error.is_permanent(),
                source: error,
            }
        } else {
            MailError::Connection {
                server,
                source: error,
            }
        }
    }

    fn timed_out(&self) -> MailError {
        MailError::Timeout {
            server: self.server.clone(),
            after: self.timeout,
        }
    }
}

fn tls_parameters(host: &str) -> Result<TlsParameters, MailError> {
    TlsParameters::new(host.to_owned())
        .map_err(|error| MailError::Config(format!("TLS for {host}: {error}")))
}

fn parse_address(role: &'static str, text: &str) -> Result<Address, MailError> {
    text.trim()
        .parse::<Address>()
        .map_err(|error| MailError::Address {
            role,
            value: text.to_owned(),
            reason: error.to_string(),
        })
}

fn parse_mailbox(role: &'static str, text: &str) -> Result<Mailbox, MailError> {
    text.trim()
        .parse::<Mailbox>()
        .map_err(|error| MailError::Address {
            role,
            value: text.to_owned(),
            reason: error.to_string(),
        })
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests;
