//! The mailer's startup checks and the message it puts on the wire,
//! without a server (the e2e `mail` test sends for real).

use super::*;

fn config(from: Option<&str>) -> SmtpConfig {
    SmtpConfig {
        host: Some("127.0.0.1".into()),
        port: Some(2525),
        from: from.map(str::to_owned),
        tls: SmtpTls::None,
        ..SmtpConfig::default()
    }
}

fn mail(to: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.into(),
        to_name: Some("Visitor".into()),
        subject: "Re: your message [CASE-1001]".into(),
        text: "پاسخ ما به پیام شما\n.\nend".into(),
        reply_to: Some("help@example.com".into()),
    }
}

fn wire(mailer: &Mailer, mail: &OutgoingMail) -> String {
    let message = mailer.build(mail).unwrap();
    String::from_utf8(message.formatted()).unwrap()
}

#[test]
fn mail_no_host_means_no_mailer() {
    assert!(Mailer::from_config(&SmtpConfig::default())
        .unwrap()
        .is_none());
}

#[test]
fn mail_host_without_from_is_a_startup_error() {
    let error = Mailer::from_config(&config(None)).unwrap_err();
    assert!(matches!(error, MailError::Config(_)), "{error}");
    assert!(error.to_string().contains("SWITCHBOARD_SMTP_FROM"));
}

#[test]
fn mail_bad_from_is_a_startup_error() {
    let error = Mailer::from_config(&config(Some("Support <not an address>"))).unwrap_err();
    assert!(
        matches!(error, MailError::Address { role, .. } if role.starts_with("sender")),
        "{error}"
    );
}

#[test]
fn mail_half_credentials_are_a_startup_error() {
    let mut settings = config(Some("support@example.com"));
    settings.username = Some("bot".into());
    let error = Mailer::from_config(&settings).unwrap_err();
    assert!(
        error.to_string().contains("SWITCHBOARD_SMTP_PASSWORD"),
        "{error}"
    );
}

#[test]
fn mail_tls_modes_build() {
    for tls in [SmtpTls::Starttls, SmtpTls::Tls, SmtpTls::None] {
        let mut settings = config(Some("Support <support@example.com>"));
        settings.host = Some("mail.example.com".into());
        settings.port = None;
        settings.tls = tls;
        let mailer = Mailer::from_config(&settings).unwrap().unwrap();
        let port = if tls == SmtpTls::Tls { 465 } else { 587 };
        assert_eq!(mailer.server, format!("mail.example.com:{port}"));
    }
}

#[test]
fn mail_message_headers_and_quoted_printable_body() {
    let mailer = Mailer::from_config(&config(Some("Support <support@example.com>")))
        .unwrap()
        .unwrap();
    let text = wire(&mailer, &mail("visitor@example.org"));
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(
        head.contains("From: Support <support@example.com>"),
        "{head}"
    );
    assert!(head.contains("To: Visitor <visitor@example.org>"), "{head}");
    assert!(head.contains("Reply-To: help@example.com"), "{head}");
    assert!(
        head.contains("Subject: Re: your message [CASE-1001]"),
        "{head}"
    );
    assert!(
        head.contains("Content-Type: text/plain; charset=utf-8"),
        "{head}"
    );
    assert!(
        head.contains("Content-Transfer-Encoding: quoted-printable"),
        "{head}"
    );
    assert!(head.contains("MIME-Version: 1.0"), "{head}");
    assert!(
        head.contains("@example.com>"),
        "message id on the sender's domain: {head}"
    );
    assert!(body.is_ascii(), "{body}");
    assert!(body.contains("=D9=BE"), "پ encoded: {body}");
    assert!(body.ends_with("end"), "{body}");
}

#[test]
fn mail_bad_recipient_and_reply_to_are_typed_errors() {
    let mailer = Mailer::from_config(&config(Some("support@example.com")))
        .unwrap()
        .unwrap();
    let error = mailer.build(&mail("not-an-address")).unwrap_err();
    assert!(
        matches!(&error, MailError::Address { role: "recipient", value, .. } if value == "not-an-address"),
        "{error}"
    );
    let mut bad_reply = mail("visitor@example.org");
    bad_reply.reply_to = Some("nobody@".into());
    let error = mailer.build(&bad_reply).unwrap_err();
    assert!(
        matches!(
            error,
            MailError::Address {
                role: "reply-to",
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn mail_non_ascii_subject_and_name_are_encoded() {
    let mailer = Mailer::from_config(&config(Some("پشتیبانی <support@example.com>")))
        .unwrap()
        .unwrap();
    let mut persian = mail("visitor@example.org");
    persian.subject = "پاسخ [CASE-1]".into();
    let text = wire(&mailer, &persian);
    let head = text.split_once("\r\n\r\n").unwrap().0;
    assert!(head.is_ascii(), "{head}");
    assert!(head.contains("Subject: =?utf-8?b?"), "{head}");
}

#[test]
fn mail_loopback_hosts() {
    assert!(is_loopback("localhost"));
    assert!(is_loopback("127.0.0.1"));
    assert!(is_loopback("[::1]"));
    assert!(!is_loopback("mail.example.com"));
}

#[test]
fn mail_debug_never_shows_credentials() {
    let mut settings = config(Some("support@example.com"));
    settings.username = Some("bot".into());
    settings.password = Some("s3cret".into());
    let mailer = Mailer::from_config(&settings).unwrap().unwrap();
    assert!(!format!("{mailer:?}").contains("s3cret"));
}
