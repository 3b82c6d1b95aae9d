//! The SMTP settings, apart from the rest of the configuration so that an
//! unconfigured relay (no host) carries no mail machinery at all.

use std::fmt;

use clap::{Args, ValueEnum};

/// Port of mail submission with STARTTLS (RFC 6409).
pub const SUBMISSION_PORT: u16 = 587;
/// Port of mail submission over implicit TLS (RFC 8314).
pub const SUBMISSIONS_PORT: u16 = 465;

/// Where answers to offline messages are emailed from. Without a host
/// nothing is emailed.
#[derive(Clone, Default, Args)]
pub struct SmtpConfig {
    /// The mail server answers to offline messages are sent through;
    /// unset: no email.
    #[arg(
        id = "smtp_host",
        long = "smtp-host",
        global = true,
        env = "SWITCHBOARD_SMTP_HOST"
    )]
    pub host: Option<String>,
    /// The mail server's port [default: 587, or 465 with `--smtp-tls tls`].
    #[arg(
        id = "smtp_port",
        long = "smtp-port",
        global = true,
        env = "SWITCHBOARD_SMTP_PORT"
    )]
    pub port: Option<u16>,
    /// User name to sign in to the mail server with (with the password).
    #[arg(
        id = "smtp_username",
        long = "smtp-username",
        global = true,
        env = "SWITCHBOARD_SMTP_USERNAME"
    )]
    pub username: Option<String>,
    /// Password to sign in to the mail server with.
    #[arg(
        id = "smtp_password",
        long = "smtp-password",
        global = true,
        env = "SWITCHBOARD_SMTP_PASSWORD",
        hide_env_values = true
    )]
    pub password: Option<String>,
    /// The sender, e.g. `Support <support@example.com>` (required with a host).
    #[arg(
        id = "smtp_from",
        long = "smtp-from",
        global = true,
        env = "SWITCHBOARD_SMTP_FROM"
    )]
    pub from: Option<String>,
    /// `starttls` (upgrade, refused if the server cannot), `tls` (TLS from
    /// the first byte), or `none` (plain text: only for a relay on this host).
    #[arg(
        id = "smtp_tls",
        long = "smtp-tls",
        global = true,
        env = "SWITCHBOARD_SMTP_TLS",
        value_enum,
        default_value_t = SmtpTls::Starttls
    )]
    pub tls: SmtpTls,
}

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS; no fallback, so an
    /// attacker stripping the offer cannot read the password.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: the password and mail cross the network readable.
    None,
}

impl SmtpConfig {
    /// The port in use: the explicit one, else the usual one for the TLS mode.
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(match self.tls {
            SmtpTls::Tls => SUBMISSIONS_PORT,
            SmtpTls::Starttls | SmtpTls::None => SUBMISSION_PORT,
        })
    }

    /// The host, when one is set and not blank.
    pub fn host(&self) -> Option<&str> {
        self.host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
    }
}

// By hand so that logging the configuration never prints the password.
impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        smtp: SmtpConfig,
    }

    fn parse(args: &[&str]) -> Result<SmtpConfig, clap::Error> {
        let argv = std::iter::once("switchboard").chain(args.iter().copied());
        Cli::try_parse_from(argv).map(|cli| cli.smtp)
    }

    #[test]
    fn mail_config_defaults_to_no_email_and_starttls() {
        // Only meaningful when the test's environment sets no SMTP variable.
        if std::env::vars().any(|(k, _)| k.starts_with("SWITCHBOARD_SMTP_")) {
            return;
        }
        let config = parse(&[]).unwrap();
        assert_eq!(config.host(), None);
        assert_eq!(config.tls, SmtpTls::Starttls);
        assert_eq!(config.effective_port(), 587);
    }

    #[test]
    fn mail_config_reads_every_flag() {
        let config = parse(&[
            "--smtp-host",
            "mail.example.com",
            "--smtp-port",
            "2525",
            "--smtp-username",
            "bot",
            "--smtp-password",
            "s3cret",
            "--smtp-from",
            "Support <support@example.com>",
            "--smtp-tls",
            "none",
        ])
        .unwrap();
        assert_eq!(config.host(), Some("mail.example.com"));
        assert_eq!(config.effective_port(), 2525);
        assert_eq!(config.username.as_deref(), Some("bot"));
        assert_eq!(config.password.as_deref(), Some("s3cret"));
        assert_eq!(
            config.from.as_deref(),
            Some("Support <support@example.com>")
        );
        assert_eq!(config.tls, SmtpTls::None);
    }

    #[test]
    fn mail_config_port_follows_tls_mode_unless_given() {
        let tls = parse(&["--smtp-host", "h", "--smtp-tls", "tls"]).unwrap();
        assert_eq!(tls.effective_port(), 465);
        assert_eq!(SmtpConfig::default().effective_port(), 587);
    }

    #[test]
    fn mail_config_refuses_unknown_tls_mode() {
        assert!(parse(&["--smtp-tls", "ssl"]).is_err());
        assert!(parse(&["--smtp-port", "70000"]).is_err());
    }

    #[test]
    fn mail_config_debug_hides_the_password() {
        let config = SmtpConfig {
            password: Some("s3cret".into()),
            ..SmtpConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("<hidden>"));
    }

    #[test]
    fn mail_config_blank_host_is_no_host() {
        let config = SmtpConfig {
            host: Some("  ".into()),
            ..SmtpConfig::default()
        };
        assert_eq!(config.host(), None);
    }
}
