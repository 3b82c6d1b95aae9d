//! The relay's mailer against a real SMTP exchange (the loopback sink):
//! what an offline visitor receives, and how each failure comes back.

use std::time::{Duration, Instant};

use e2e::smtp_sink::SmtpSink;
use relay::mail::{offline_answer, MailError, Mailer, OutgoingMail, SmtpConfig, SmtpTls};

const PERSIAN: &str = "پاسخ ما به پیام شما";

fn settings(sink_port: u16, credentials: bool) -> SmtpConfig {
    SmtpConfig {
        host: Some("127.0.0.1".into()),
        port: Some(sink_port),
        username: credentials.then(|| "bot@example.com".into()),
        password: credentials.then(|| "s3cret pass".into()),
        from: Some("Acme Support <support@example.com>".into()),
        tls: SmtpTls::None,
    }
}

fn mailer(config: &SmtpConfig) -> Mailer {
    Mailer::from_config(config)
        .expect("valid settings")
        .expect("a host is set")
}

fn answer_to(to: &str) -> OutgoingMail {
    // A line that is only a dot, and one starting with one: SMTP
    // dot-stuffing must carry both through unchanged.
    let answer = format!("{PERSIAN}\n.\n..two dots");
    let (subject, text) = offline_answer(
        "Acme",
        "CASE-1001",
        Some("Sara"),
        &answer,
        Some("https://chat.example.com/c/1"),
    );
    OutgoingMail {
        to: to.into(),
        to_name: Some("Visitor Name".into()),
        subject,
        text,
        reply_to: Some("help@example.com".into()),
    }
}

#[tokio::test]
async fn offline_answer_arrives_intact_with_envelope_headers_and_auth() {
    let sink = SmtpSink::start().await;
    let mailer = mailer(&settings(sink.addr().port(), true));

    mailer
        .send(&answer_to("visitor@example.org"))
        .await
        .unwrap();

    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.from, "support@example.com");
    assert_eq!(mail.to, vec!["visitor@example.org".to_owned()]);
    assert_eq!(
        mail.header("From"),
        Some("\"Acme Support\" <support@example.com>")
    );
    assert_eq!(
        mail.header("To"),
        Some("\"Visitor Name\" <visitor@example.org>")
    );
    assert_eq!(mail.header("Reply-To"), Some("help@example.com"));
    assert_eq!(
        mail.header("Subject"),
        Some("Re: your message to Acme [CASE-1001]")
    );
    assert!(
        mail.body
            .starts_with(&format!("{PERSIAN}\n.\n..two dots\n")),
        "{}",
        mail.body
    );
    assert!(mail.body.contains("-- Sara, Acme"), "{}", mail.body);
    assert!(mail.body.contains("CASE-1001"), "{}", mail.body);
    assert!(
        mail.body.contains("https://chat.example.com/c/1"),
        "{}",
        mail.body
    );
    assert!(mail.raw.is_ascii(), "quoted-printable keeps the wire 7-bit");

    let auth = mail.auth.as_ref().expect("the mailer signed in");
    assert_eq!(auth.username, "bot@example.com");
    assert_eq!(auth.password, "s3cret pass");
    assert!(["PLAIN", "LOGIN"].contains(&auth.mechanism.as_str()));
}

#[tokio::test]
async fn without_credentials_nothing_signs_in() {
    let sink = SmtpSink::start().await;
    let mailer = mailer(&settings(sink.addr().port(), false));
    mailer
        .send(&answer_to("visitor@example.org"))
        .await
        .unwrap();
    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].auth, None);
}

#[tokio::test]
async fn a_gone_server_is_a_quick_connection_error() {
    let sink = SmtpSink::start().await;
    let mailer = mailer(&settings(sink.addr().port(), true));
    drop(sink);

    for _ in 0..2 {
        let started = Instant::now();
        let error = mailer
            .send(&answer_to("visitor@example.org"))
            .await
            .unwrap_err();
        assert!(matches!(error, MailError::Connection { .. }), "{error}");
        assert!(error.to_string().contains("127.0.0.1"), "{error}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn a_bad_recipient_address_is_a_typed_error_and_sends_nothing() {
    let sink = SmtpSink::start().await;
    let mailer = mailer(&settings(sink.addr().port(), true));

    let error = mailer
        .send(&answer_to("visitor at example"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, MailError::Address { role: "recipient", value, .. } if value == "visitor at example"),
        "{error}"
    );
    assert!(
        error.to_string().contains("invalid recipient address"),
        "{error}"
    );
    assert!(sink
        .wait_for(1, Duration::from_millis(200))
        .await
        .is_empty());
}

#[tokio::test]
async fn a_refused_recipient_is_a_permanent_refusal() {
    let sink = SmtpSink::start().await;
    sink.refuse_recipients("@refused.example");
    let mailer = mailer(&settings(sink.addr().port(), true));

    let error = mailer
        .send(&answer_to("someone@refused.example"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            MailError::Refused {
                permanent: true,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("550"), "{error}");

    // The server is still there for the next one.
    mailer
        .send(&answer_to("visitor@example.org"))
        .await
        .unwrap();
    assert_eq!(sink.wait_for(1, Duration::from_secs(10)).await.len(), 1);
}

#[tokio::test]
async fn a_silent_server_times_out() {
    // Connections are accepted by the kernel but never greeted.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let mailer = mailer(&settings(port, false)).with_timeout(Duration::from_millis(500));

    let started = Instant::now();
    let error = mailer
        .send(&answer_to("visitor@example.org"))
        .await
        .unwrap_err();
    assert!(matches!(error, MailError::Timeout { .. }), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_bad_sender_stops_startup() {
    let mut config = settings(25, false);
    config.from = Some("Acme <support@>".into());
    let error = Mailer::from_config(&config).unwrap_err();
    assert!(
        error.to_string().contains("SWITCHBOARD_SMTP_FROM"),
        "{error}"
    );
}
