//! One real `switchboard` process on the embedded store, for what only a
//! process can show: `kill -9` in the middle of traffic, and the
//! `backup`/`restore` subcommands run beside it, as an operator would.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use anyhow::{bail, Context};
use tempfile::TempDir;

use crate::cluster::{free_addr, relay_command, switchboard_binary, wait_ready};

/// A relay process with its data directory (kept across restarts).
#[derive(Debug)]
pub struct EmbeddedProcess {
    addr: SocketAddr,
    child: Option<Child>,
    dir: TempDir,
}

impl EmbeddedProcess {
    /// Starts a relay on a fresh data directory.
    pub async fn start() -> anyhow::Result<Self> {
        let mut node = Self {
            addr: free_addr()?,
            child: None,
            dir: tempfile::tempdir()?,
        };
        node.spawn().await?;
        Ok(node)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The data directory (`SWITCHBOARD_DATA`).
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A fresh path in this node's scratch directory.
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("relay.log")).unwrap_or_default()
    }

    /// SIGKILL: no goodbye, no flush beyond what was already durable.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the process again on the same port and data.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.kill();
        self.spawn().await
    }

    /// Runs `switchboard ARGS` against this node's data directory and
    /// returns its standard output.
    pub fn subcommand(&self, args: &[&Path]) -> anyhow::Result<String> {
        let out = Command::new(switchboard_binary()?)
            .args(args)
            .env("SWITCHBOARD_DATA", self.data())
            .output()
            .context("running switchboard")?;
        if !out.status.success() {
            bail!(
                "switchboard {args:?} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    async fn spawn(&mut self) -> anyhow::Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("relay.log"))?;
        let mut child = relay_command(self.addr, &self.data())?
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting switchboard")?;
        let log_path = self.dir.path().join("relay.log");
        let ready = wait_ready(self.addr, &mut child, move || {
            std::fs::read_to_string(&log_path).unwrap_or_default()
        })
        .await;
        self.child = Some(child);
        ready
    }
}

impl Drop for EmbeddedProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
