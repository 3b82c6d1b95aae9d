//! The `switchboard` binary as an operator runs it: first start prints the
//! URLs and a generated admin login that works; SIGTERM shuts it down
//! cleanly; `create-admin` adds an admin to a stopped relay's data;
//! `api-key` and `identity-secret` make a site's credentials, and the key works;
//! `api-key --list` and `--revoke` list and revoke keys by fingerprint;
//! `site` sets the pre-chat form and opening hours.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_switchboard");

/// Starts the binary on a free port; returns it and its stdout up to the "Stop" hint.
fn start(data: &std::path::Path, extra_env: &[(&str, &str)]) -> (Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .env("SWITCHBOARD_ADDR", "127.0.0.1:0")
        .env("SWITCHBOARD_DATA", data)
        .env_remove("REDIS_URL")
        .env_remove("SWITCHBOARD_ADMIN_EMAIL")
        .env_remove("SWITCHBOARD_ADMIN_PASSWORD")
        .envs(extra_env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("switchboard starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("utf-8 stdout");
        let done = line.contains("Stop with Ctrl-C");
        lines.push(line);
        if done {
            break;
        }
    }
    (child, lines)
}

/// The ws:// base URL from the "Agent socket:" line.
fn ws_base(lines: &[String]) -> String {
    let line = lines
        .iter()
        .find(|l| l.contains("Agent socket:"))
        .unwrap_or_else(|| panic!("no agent socket in {lines:#?}"));
    let url = line.split_whitespace().last().unwrap();
    url.trim_end_matches("/ws/agent").to_owned()
}

fn sigterm_and_wait(mut child: Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "relay did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn sign_in(ws_url: &str, email: &str, password: &str) -> serde_json::Value {
    let (mut socket, _) = tokio_tungstenite::connect_async(format!("{ws_url}/ws/agent"))
        .await
        .unwrap();
    let hello = serde_json::json!({"type":"hello","protocol":1,"auth":{"method":"password","email":email,"password":password}});
    socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .unwrap();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .unwrap()
        {
            Some(Ok(Message::Text(t))) => return serde_json::from_str(&t).unwrap(),
            Some(Ok(_)) => continue,
            other => panic!("no answer to hello: {other:?}"),
        }
    }
}

#[tokio::test]
async fn first_start_prints_a_working_login_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (child, lines) = start(dir.path(), &[]);
    let ws_url = ws_base(&lines);
    let admin_line = lines
        .iter()
        .find(|l| l.contains("First admin:"))
        .expect("first admin printed");
    let words: Vec<&str> = admin_line.split_whitespace().collect();
    let email = words[2].to_owned();
    let password = words[words.iter().position(|w| *w == "password").unwrap() + 1].to_owned();
    assert_eq!(email, "admin@localhost");
    let welcome = sign_in(&ws_url, &email, &password).await;
    assert_eq!(welcome["type"], "agent_welcome", "{welcome}");
    assert_eq!(welcome["agent"]["admin"], true);
    let status = sigterm_and_wait(child);
    assert!(status.success(), "clean exit on SIGTERM: {status:?}");

    // Second start on the same data: no new admin; the old login still works.
    let (child, lines) = start(dir.path(), &[]);
    assert!(
        lines.iter().any(|l| l.contains("Agents exist already")),
        "{lines:#?}"
    );
    assert_eq!(
        sign_in(&ws_base(&lines), &email, &password).await["type"],
        "agent_welcome"
    );
    assert!(sigterm_and_wait(child).success());
}

#[tokio::test]
async fn admin_from_env_and_from_create_admin() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .env("SWITCHBOARD_DATA", dir.path())
        .env_remove("REDIS_URL")
        .args([
            "create-admin",
            "--email",
            "Ops@Example.com",
            "--password",
            "ops-password-1",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let short = Command::new(BIN)
        .env("SWITCHBOARD_DATA", dir.path())
        .env_remove("REDIS_URL")
        .args([
            "create-admin",
            "--email",
            "x@example.com",
            "--password",
            "short",
        ])
        .output()
        .unwrap();
    assert!(!short.status.success());
    assert!(
        String::from_utf8_lossy(&short.stderr).contains("at least 8"),
        "{}",
        String::from_utf8_lossy(&short.stderr)
    );

    // Agents exist, so the first-admin variables are ignored.
    let env = [
        ("SWITCHBOARD_ADMIN_EMAIL", "ignored@example.com"),
        ("SWITCHBOARD_ADMIN_PASSWORD", "ignored-pass"),
    ];
    let (child, lines) = start(dir.path(), &env);
    let ws_url = ws_base(&lines);
    assert_eq!(
        sign_in(&ws_url, "ops@example.com", "ops-password-1").await["type"],
        "agent_welcome"
    );
    assert_eq!(
        sign_in(&ws_url, "ignored@example.com", "ignored-pass").await["code"],
        "auth_failed"
    );
    assert!(sigterm_and_wait(child).success());

    let fresh = tempfile::tempdir().unwrap();
    let env = [
        ("SWITCHBOARD_ADMIN_EMAIL", "boss@example.com"),
        ("SWITCHBOARD_ADMIN_PASSWORD", "boss-password"),
    ];
    let (child, lines) = start(fresh.path(), &env);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("boss@example.com (password from SWITCHBOARD_ADMIN_PASSWORD)")),
        "{lines:#?}"
    );
    assert_eq!(
        sign_in(&ws_base(&lines), "boss@example.com", "boss-password").await["type"],
        "agent_welcome"
    );
    assert!(sigterm_and_wait(child).success());
}

fn run(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .env("SWITCHBOARD_DATA", data)
        .env_remove("REDIS_URL")
        .args(args)
        .output()
        .unwrap()
}

fn stdout_line(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[tokio::test]
async fn api_key_and_identity_secret_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let before = run(dir.path(), &["api-key", "--site", "demo"]);
    assert!(
        !before.status.success(),
        "no demo site before the first start"
    );
    assert!(String::from_utf8_lossy(&before.stderr).contains("no site"));

    let (child, _) = start(dir.path(), &[]);
    assert!(sigterm_and_wait(child).success());
    let key = stdout_line(&run(dir.path(), &["api-key", "--site", "demo"]));
    assert!(key.starts_with("sbk_") && key.len() > 40, "{key}");
    let secret = stdout_line(&run(dir.path(), &["identity-secret"]));
    assert!(secret.starts_with("sbs_"), "{secret}");
    assert_eq!(
        stdout_line(&run(dir.path(), &["identity-secret"])),
        secret,
        "stable"
    );
    let rotated = stdout_line(&run(dir.path(), &["identity-secret", "--rotate"]));
    assert_ne!(rotated, secret);

    // The printed key works against the API of the restarted relay.
    let (child, lines) = start(dir.path(), &[]);
    let http = ws_base(&lines).replacen("ws://", "", 1);
    let body = r#"{"external_id":"cli-1","channel":"email","direction":"in","text":"hello","contact":{"email":"ada@example.com"}}"#;
    let request = format!(
        "POST /api/v1/sites/demo/items HTTP/1.1\r\nHost: {http}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(&http).unwrap();
    std::io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    assert!(sigterm_and_wait(child).success());

    // Listed by fingerprint, revoked by it, and gone.
    let fingerprint = stdout_line(&run(dir.path(), &["api-key", "--list"]));
    assert_eq!(fingerprint.len(), 12, "{fingerprint}");
    assert!(relay::secrets::token_hash(&key).starts_with(&fingerprint));
    assert!(run(dir.path(), &["api-key", "--revoke", &fingerprint])
        .status
        .success());
    let listed = run(dir.path(), &["api-key", "--list"]);
    assert!(String::from_utf8_lossy(&listed.stdout).trim().is_empty());
    assert!(!run(dir.path(), &["api-key", "--revoke", &fingerprint])
        .status
        .success());
    let graceful = run(
        dir.path(),
        &["identity-secret", "--rotate", "--grace-secs", "60"],
    );
    assert!(graceful.status.success());
}

#[tokio::test]
async fn site_settings_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (child, _) = start(dir.path(), &[]);
    assert!(sigterm_and_wait(child).success());
    let set = run(
        dir.path(),
        &[
            "site",
            "--prechat-form",
            "on",
            "--hours",
            "mon-fri 09:00-17:00",
            "--utc-offset",
            "-05:00",
        ],
    );
    let printed = stdout_line(&set);
    assert!(printed.contains("pre-chat form on"), "{printed}");
    assert!(
        printed.contains(r#""utc_offset_minutes":-300"#),
        "{printed}"
    );
    // Stored: a later run without --prechat-form still reads it on.
    let cleared = stdout_line(&run(dir.path(), &["site", "--hours", "always"]));
    assert!(cleared.contains("pre-chat form on"), "{cleared}");
    assert!(cleared.contains("always staffed"), "{cleared}");
    // A schedule that cannot be read changes nothing and says why.
    let bad = run(
        dir.path(),
        &["site", "--prechat-form", "off", "--hours", "mon 9-5"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("HH:MM-HH:MM"));
    let unchanged = stdout_line(&run(dir.path(), &["site"]));
    assert!(unchanged.contains("pre-chat form on"), "{unchanged}");
}
