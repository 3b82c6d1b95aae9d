//! Headless Chromium for end-to-end tests: Debian's chromium driven through
//! its chromedriver (WebDriver) by fantoccini. One chromedriver per test on
//! a free port; each [`Session`] is a separate browser profile, so a visitor
//! and an agent in one test share nothing but the relay. Screenshots of
//! every session are saved when a test fails.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tempfile::TempDir;

/// Chrome's narrowest window; narrower sessions get an emulated viewport.
const MIN_WINDOW_WIDTH: u32 = 500;

/// A running chromedriver.
#[derive(Debug)]
pub struct Chrome {
    driver: Child,
    port: u16,
    _log_dir: TempDir,
}

/// One browser (its own profile), named for screenshots.
#[derive(Debug)]
pub struct Session {
    pub name: String,
    pub client: Client,
    _profile: TempDir,
}

impl Chrome {
    pub async fn start() -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log_dir = tempfile::tempdir()?;
        let log = std::fs::File::create(log_dir.path().join("chromedriver.log"))?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    anyhow::anyhow!("chromedriver not found: run `cargo xtask test`, which installs chromium and chromium-driver")
                }
                _ => e.into(),
            })?;
        let chrome = Self {
            driver,
            port,
            _log_dir: log_dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on {port}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(chrome)
    }

    /// A fresh browser with its own profile, `width` x `height` CSS pixels.
    pub async fn session(&self, name: &str, width: u32, height: u32) -> anyhow::Result<Session> {
        self.open(name, width, height, false).await
    }

    /// A session that accepts any TLS certificate, for a test server with
    /// a self-signed one (nginx in front of the relay).
    pub async fn session_accepting_any_certificate(
        &self,
        name: &str,
        width: u32,
        height: u32,
    ) -> anyhow::Result<Session> {
        self.open(name, width, height, true).await
    }

    async fn open(
        &self,
        name: &str,
        width: u32,
        height: u32,
        accept_insecure_certs: bool,
    ) -> anyhow::Result<Session> {
        let profile = tempfile::tempdir()?;
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--autoplay-policy=no-user-gesture-required".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut options = json!({"binary": "/usr/bin/chromium", "args": args});
        if width < MIN_WINDOW_WIDTH {
            // Chrome will not make a window narrower than 500 px; a phone
            // needs the viewport emulated (size only: same user agent).
            options["mobileEmulation"] = json!({
                "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}
            });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        if accept_insecure_certs {
            caps.insert("acceptInsecureCerts".into(), json!(true));
        }
        let client = ClientBuilder::rustls()
            .context("TLS setup for the WebDriver client")?
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .context("starting a chromium session")?;
        Ok(Session {
            name: name.to_owned(),
            client,
            _profile: profile,
        })
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Where a test's output (failure screenshots) goes: `target/e2e/<test>/`.
pub fn output_dir(test: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/e2e")
        .join(test)
}

/// Runs a browser scenario; if it fails, saves a screenshot of each
/// session (top-level page) before returning the error.
pub async fn with_screenshots(
    test: &str,
    sessions: &[&Session],
    outcome: anyhow::Result<()>,
) -> anyhow::Result<()> {
    if outcome.is_err() {
        let dir = output_dir(test);
        let _ = std::fs::create_dir_all(&dir);
        for session in sessions {
            let _ = session.client.enter_parent_frame().await;
            if let Ok(png) = session.client.screenshot().await {
                let path = dir.join(format!("{}.png", session.name));
                if std::fs::write(&path, png).is_ok() {
                    eprintln!("screenshot of {} saved to {}", session.name, path.display());
                }
            }
        }
    }
    outcome
}

impl Session {
    /// Ends the browser session.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
