//! Building crates for `wasm32-unknown-unknown` on whichever toolchain can.
//!
//! A rustup toolchain with the wasm32 target (`rustup target add
//! wasm32-unknown-unknown`, a developer machine with internet) builds it
//! directly. Where rustup has no wasm32 std and cannot fetch one (our build
//! machines and CI, see TOOLCHAIN.md), Debian's rustc-web compiles std from
//! source with `-Z build-std`; xtask installs its packages when missing.
//! Both write to `target/wasm`, so native and wasm builds never invalidate
//! each other. The widget issue reuses [`build_wasm`] for the real widget.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::{apt, cmd};

pub(crate) const TARGET: &str = "wasm32-unknown-unknown";
/// Relative to the workspace root.
const TARGET_DIR: &str = "target/wasm";
/// Debian's toolchain (packages rustc-web, cargo-web, rust-web-src, lld-22).
const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
const DEBIAN_CARGO: &str = "/usr/bin/cargo";
const DEBIAN_PACKAGES: [&str; 4] = ["rustc-web", "cargo-web", "rust-web-src", "lld-22"];
/// The profile for what ships to browsers; with std built from source it
/// also gets [`SIZE_RUSTFLAGS`].
pub(crate) const SIZE_PROFILE: &str = "wasm-release";
/// Only where std is compiled with the app (`-Z build-std`): panics abort
/// without formatting machinery, and `Debug` output and panic locations
/// are left out. Together about 15 KB gzip off the widget; a panic in the
/// browser stops the app either way, with or without a message.
const SIZE_RUSTFLAGS: &str =
    "-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none";
/// rustc-web 1.96 is what was verified; older Debian rustc lacks what
/// current crates need.
const DEBIAN_MIN_MINOR: u32 = 90;

/// Builds `packages` for wasm32 with cargo profile `profile` ("release",
/// "dev", or a custom one such as "wasm-release") and returns the directory
/// holding the resulting `.wasm` files
/// (`target/wasm/wasm32-unknown-unknown/<profile dir>`).
pub(crate) fn build_wasm(packages: &[&str], profile: &str) -> Result<PathBuf> {
    let debian = match rustup_has_wasm_std()? {
        Some(sysroot) => {
            println!(
                "xtask: wasm32 std found in {}; building with this toolchain",
                sysroot.display()
            );
            false
        }
        None => {
            println!("xtask: this toolchain has no wasm32 std; building with Debian's rustc-web and -Z build-std");
            ensure_debian_toolchain()?;
            true
        }
    };
    let mut command = if debian {
        let mut c = Command::new(DEBIAN_CARGO);
        c.current_dir(cmd::root())
            // /usr/bin/cargo alone would still pick rustup's rustc from PATH.
            .env("RUSTC", DEBIAN_RUSTC)
            // -Z build-std is nightly-only; Debian's stable rustc allows it this way.
            .env("RUSTC_BOOTSTRAP", "1");
        if profile == SIZE_PROFILE {
            c.env("RUSTFLAGS", SIZE_RUSTFLAGS);
        }
        c
    } else {
        cmd::cargo()
    };
    command.arg("build");
    match profile {
        "release" => command.arg("--release"),
        "dev" => &mut command,
        other => command.args(["--profile", other]),
    };
    command.args(["--target", TARGET]);
    if debian {
        command.args(["-Z", "build-std=std,panic_abort"]);
    }
    for package in packages {
        command.args(["-p", package]);
    }
    command.args(["--target-dir", TARGET_DIR]);
    cmd::run(&mut command)?;

    let dir = match profile {
        "dev" => "debug",
        other => other,
    };
    Ok(cmd::root().join(TARGET_DIR).join(TARGET).join(dir))
}

/// The sysroot of the rustc cargo uses, if it has a wasm32 libstd.
fn rustup_has_wasm_std() -> Result<Option<PathBuf>> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = cmd::output(Command::new(&rustc).args(["--print", "sysroot"]))
        .context("asking rustc for its sysroot")?;
    let sysroot = PathBuf::from(sysroot);
    let lib = sysroot.join("lib/rustlib").join(TARGET).join("lib");
    Ok(has_libstd(&lib).then_some(sysroot))
}

fn has_libstd(lib: &Path) -> bool {
    std::fs::read_dir(lib).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("libstd-") && name.ends_with(".rlib")
        })
    })
}

/// Installs Debian's wasm-capable toolchain unless it is already there.
fn ensure_debian_toolchain() -> Result<()> {
    if let Err(missing) = debian_toolchain_ready() {
        println!(
            "xtask: installing {} (apt-get) — {missing}",
            DEBIAN_PACKAGES.join(" ")
        );
        apt::install(&DEBIAN_PACKAGES)?;
        if let Err(still) = debian_toolchain_ready() {
            bail!("Debian's wasm toolchain is still not usable after installing: {still}");
        }
    }
    Ok(())
}

/// Ok if /usr/bin/rustc is new enough, /usr/bin/cargo exists, and the std
/// sources and the wasm linker are installed; else what is missing.
fn debian_toolchain_ready() -> std::result::Result<(), String> {
    let version = cmd::output(Command::new(DEBIAN_RUSTC).arg("--version"))
        .map_err(|_| format!("{DEBIAN_RUSTC} is missing"))?;
    let minor = version
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    if !version.starts_with("rustc 1.") || minor.is_none_or(|m| m < DEBIAN_MIN_MINOR) {
        return Err(format!(
            "{DEBIAN_RUSTC} is `{version}`, need 1.{DEBIAN_MIN_MINOR} or newer (rustc-web)"
        ));
    }
    if !Path::new(DEBIAN_CARGO).exists() {
        return Err(format!("{DEBIAN_CARGO} is missing (cargo-web)"));
    }
    if !cmd::succeeds(Command::new("dpkg").args(["-s", "rust-web-src", "lld-22"])) {
        return Err("rust-web-src (std sources) or lld-22 (wasm linker) is not installed".into());
    }
    Ok(())
}
