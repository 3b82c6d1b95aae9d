//! Installing what the build and the tests need from Debian packages, so a
//! fresh machine (or CI's fresh clone) needs nothing but Rust: redis-server
//! and nginx for the tests, and Debian's rustc-web toolchain when rustup has
//! no wasm32 std. Non-interactive always: `apt-get -y` with DEBIAN_FRONTEND set, and
//! `sudo -n` when not root, which fails instead of asking for a password.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{bail, Context, Result};

use crate::cmd;

/// Makes sure `redis-server` is on PATH, installing it when missing. Tests
/// start their own servers on free ports; if the package starts a system
/// Redis on 6379, that one is left alone (no test uses it).
pub(crate) fn ensure_redis() -> Result<()> {
    if let Some(path) = cmd::which("redis-server") {
        println!("xtask: redis-server found at {}", path.display());
        return Ok(());
    }
    println!(
        "xtask: installing redis-server (apt-get) — tests start their own instance on a free port"
    );
    install(&["redis-server"])?;
    if cmd::which("redis-server").is_none() {
        bail!("redis-server is still not on PATH after installing the redis-server package");
    }
    Ok(())
}

/// Makes sure Debian's chromium and its chromedriver (same version) are
/// installed, for the browser tests.
pub(crate) fn ensure_browser() -> Result<()> {
    if let (Some(browser), Some(driver)) = (cmd::which("chromium"), cmd::which("chromedriver")) {
        println!(
            "xtask: chromium found at {} and {}",
            browser.display(),
            driver.display()
        );
        return Ok(());
    }
    println!("xtask: installing chromium and chromium-driver (apt-get) for the browser tests");
    install(&["chromium", "chromium-driver"])?;
    if cmd::which("chromedriver").is_none() {
        bail!("chromedriver is still not on PATH after installing chromium-driver");
    }
    Ok(())
}

/// Makes sure `nginx` is installed, for the test that runs the browser
/// chat through the README's nginx configuration (it starts its own
/// unprivileged nginx on free loopback ports). Debian puts it in
/// `/usr/sbin`, which is not on every user's PATH.
pub(crate) fn ensure_nginx() -> Result<()> {
    let installed = std::path::Path::new("/usr/sbin/nginx");
    if installed.is_file() {
        println!("xtask: nginx found at {}", installed.display());
        return Ok(());
    }
    println!("xtask: installing nginx (apt-get) for the reverse-proxy test");
    install(&["nginx"])?;
    if !installed.is_file() {
        bail!(
            "{} is still missing after installing the nginx package",
            installed.display()
        );
    }
    Ok(())
}

/// `apt-get update` (once per xtask run) and `apt-get install -y PACKAGES`,
/// as root or through `sudo -n`.
pub(crate) fn install(packages: &[&str]) -> Result<()> {
    let manual = format!("apt-get install -y {}", packages.join(" "));
    if cmd::which("apt-get").is_none() {
        bail!("apt-get not found: this needs a Debian-like system, or install these yourself (as root): {manual}");
    }
    let sudo = needs_sudo(&manual)?;

    static UPDATED: AtomicBool = AtomicBool::new(false);
    if !UPDATED.swap(true, Ordering::SeqCst) {
        // A failing extra source makes `update` exit non-zero even though the
        // main archive is fine; the install below is what must succeed.
        if let Err(e) = cmd::run(&mut apt_get(sudo, &["update"])) {
            eprintln!("xtask: warning: {e:#}; trying the install anyway");
        }
    }
    let mut args = vec!["install", "-y"];
    args.extend_from_slice(packages);
    cmd::run(&mut apt_get(sudo, &args)).with_context(|| {
        format!(
            "installing {} failed; install them yourself (as root): {manual}",
            packages.join(" ")
        )
    })
}

/// `apt-get ARGS`, non-interactive, waiting for (not failing on) a dpkg lock
/// held by another apt run.
fn apt_get(sudo: bool, args: &[&str]) -> Command {
    let mut command = if sudo {
        // sudo may scrub the environment, so pass the variable through env.
        let mut c = Command::new("sudo");
        c.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        c
    } else {
        let mut c = Command::new("apt-get");
        c.env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    command
        .args(["-o", "DPkg::Lock::Timeout=300", "-q"])
        .args(args);
    command
}

/// Whether apt-get must go through sudo (false when we are root).
fn needs_sudo(manual: &str) -> Result<bool> {
    let uid = cmd::output(Command::new("id").arg("-u")).context("running `id -u`")?;
    if uid == "0" {
        return Ok(false);
    }
    if cmd::which("sudo").is_none() {
        bail!("not root and sudo is not installed, so xtask cannot install packages; as root, run: {manual}");
    }
    Ok(true)
}
