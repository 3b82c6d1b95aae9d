//! Installing a Debian package a test needs when its program is missing
//! (nginx, systemd-analyze), so the test runs instead of skipping: the way
//! `cargo xtask test` installs redis-server and chromium (xtask/src/apt.rs),
//! non-interactive, as root or through `sudo -n`, and saying so.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use anyhow::{bail, Context};

/// Where Debian puts programs; `sbin` is not on every user's PATH.
const DIRS: &[&str] = &["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/// The path of `program`, installing `package` first if it is missing.
pub fn ensure(program: &str, package: &str) -> anyhow::Result<PathBuf> {
    // Tests in one binary run in parallel; one apt-get at a time.
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _one = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = find(program) {
        return Ok(path);
    }
    let manual = format!("apt-get install -y {package}");
    eprintln!("e2e: {program} not found; installing {package} (apt-get) for this test");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|out| out.stdout.trim_ascii() == b"0")
        .unwrap_or(false);
    // A fresh machine may have no package lists yet: update, then retry.
    if !apt_get(root, &["install", "-y", package])? {
        apt_get(root, &["update"])?;
        if !apt_get(root, &["install", "-y", package])? {
            bail!("`{manual}` failed; run it yourself (as root)");
        }
    }
    find(program).with_context(|| format!("{program} is still missing after {manual}"))
}

/// `apt-get ARGS`, non-interactive, waiting for (not failing on) a dpkg
/// lock another apt run holds; whether it succeeded.
fn apt_get(root: bool, args: &[&str]) -> anyhow::Result<bool> {
    let mut command = if root {
        let mut apt = Command::new("apt-get");
        apt.env("DEBIAN_FRONTEND", "noninteractive");
        apt
    } else {
        // sudo may scrub the environment, so pass the variable through env.
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        sudo
    };
    command
        .args(["-o", "DPkg::Lock::Timeout=300", "-q"])
        .args(args)
        .stdin(Stdio::null());
    let status = command
        .status()
        .context("running apt-get (this needs Debian, and root or sudo)")?;
    Ok(status.success())
}

fn find(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(DIRS.iter().map(PathBuf::from))
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}
