//! A private redis-server per test: a free port on 127.0.0.1 (never 6379),
//! its own temporary directory, killed when dropped. Tests that need Redis
//! start one; nothing is shared with other tests or with a system Redis.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tempfile::TempDir;

/// A running redis-server owned by a test.
#[derive(Debug)]
pub struct RedisServer {
    port: u16,
    aof: bool,
    dir: TempDir,
    child: Mutex<Option<Child>>,
}

impl RedisServer {
    /// No persistence: fastest, for most tests.
    pub fn start() -> anyhow::Result<Self> {
        Self::launch(false)
    }

    /// AOF with fsync on every write, for durability tests.
    pub fn start_with_aof() -> anyhow::Result<Self> {
        Self::launch(true)
    }

    fn launch(aof: bool) -> anyhow::Result<Self> {
        let mut last_error = None;
        // Another process may take the free port before redis binds it.
        for _ in 0..5 {
            let port = free_port()?;
            let mut server = Self {
                port,
                aof,
                dir: tempfile::tempdir()?,
                child: Mutex::new(None),
            };
            match server.spawn() {
                Ok(()) => return Ok(server),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow::anyhow!("redis-server did not start")))
    }

    fn spawn(&mut self) -> anyhow::Result<()> {
        let log = std::fs::File::create(self.dir.path().join("redis.log"))?;
        let mut command = Command::new("redis-server");
        command
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
            ])
            .arg("--dir")
            .arg(self.dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        if self.aof {
            command.args(["--appendonly", "yes", "--appendfsync", "always"]);
        } else {
            command.args(["--appendonly", "no"]);
        }
        let child = command.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                anyhow::anyhow!("redis-server not found: run `cargo xtask test`, which installs it")
            }
            _ => e.into(),
        })?;
        *self.child.lock().unwrap_or_else(|e| e.into_inner()) = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.pong() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stop();
        bail!("redis-server on port {} did not answer PING", self.port)
    }

    fn pong(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        let mut reply = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG\r\n"
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills the server (as a crash would); `restart` brings it back.
    pub fn stop(&self) {
        if let Some(mut child) = self.child.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills and starts again on the same port and directory (AOF data stays).
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.stop();
        self.spawn().context("restarting redis-server")
    }

    /// Runs `redis-cli -p PORT ARGS...`; returns its output.
    pub fn cli(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = Command::new("redis-cli")
            .arg("-p")
            .arg(self.port.to_string())
            .args(args)
            .output()?;
        if !out.status.success() {
            bail!("redis-cli failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> anyhow::Result<u16> {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        if port != 6379 {
            return Ok(port);
        }
    }
}

/// A key prefix no other test (or run) uses: `t:NAME:PID-NANOS-N:`.
pub fn unique_prefix(test_name: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("t:{test_name}:{}-{nanos:x}-{n}:", std::process::id())
}
