//! Building what browsers load: the widget and the console, each compiled
//! to wasm32 (see [`crate::wasm`]), bound with `wasm-bindgen` (the CLI of
//! exactly the version pinned in Cargo.lock, installed when missing), shrunk
//! with `wasm-opt -Oz` (binaryen from npm; Debian's is too old), and copied
//! with its stylesheet into `target/web/<name>/`, where the relay serves
//! them under `/assets/<name>/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::{apt, cmd, wasm};

/// The browser apps: crate name and stylesheet (relative to the root).
const APPS: [(&str, &str); 2] = [
    ("widget", "widget/widget.css"),
    ("console", "relay/console/console.css"),
];
/// binaryen's npm release whose wasm-opt understands current rustc output.
const BINARYEN: &str = "binaryen@132.0.0";
const WASM_OPT_FEATURES: [&str; 5] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Where the built apps go; the relay's default `SWITCHBOARD_ASSETS`.
pub(crate) fn out_dir() -> PathBuf {
    cmd::root().join("target/web")
}

/// Builds the widget and the console into `target/web`.
pub(crate) fn build() -> Result<()> {
    let version = pinned_wasm_bindgen()?;
    let wasm_bindgen = ensure_wasm_bindgen(&version)?;
    let wasm_opt = ensure_wasm_opt()?;
    let names: Vec<&str> = APPS.iter().map(|(name, _)| *name).collect();
    let built = wasm::build_wasm(&names, wasm::SIZE_PROFILE)?;
    for (name, css) in APPS {
        let out = out_dir().join(name);
        std::fs::create_dir_all(&out)?;
        cmd::run(
            Command::new(&wasm_bindgen)
                .args([
                    "--target",
                    "web",
                    "--no-typescript",
                    "--remove-name-section",
                    "--remove-producers-section",
                    "--out-dir",
                ])
                .arg(&out)
                .arg(built.join(format!("{name}.wasm"))),
        )?;
        let wasm = out.join(format!("{name}_bg.wasm"));
        cmd::run(
            Command::new(&wasm_opt)
                .arg("-Oz")
                .args(WASM_OPT_FEATURES)
                .arg(&wasm)
                .arg("-o")
                .arg(&wasm),
        )?;
        let css_from = cmd::root().join(css);
        std::fs::copy(&css_from, out.join(format!("{name}.css")))
            .with_context(|| format!("copying {}", css_from.display()))?;
    }
    println!("xtask: browser apps built into {}", out_dir().display());
    Ok(())
}

/// The wasm-bindgen version in Cargo.lock (pinned with `=` in Cargo.toml):
/// the CLI must be exactly this version or the bindings do not match.
fn pinned_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(cmd::root().join("Cargo.lock"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

fn ensure_wasm_bindgen(version: &str) -> Result<PathBuf> {
    let installed = cmd::output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if installed.split_whitespace().nth(1) == Some(version) {
        return Ok(PathBuf::from("wasm-bindgen"));
    }
    println!("xtask: installing wasm-bindgen-cli {version} (matches the pinned crate; about 3 minutes, once)");
    // Without --locked: the registry mirror here lacks some locked versions.
    cmd::run(cmd::cargo().args(["install", "wasm-bindgen-cli", "--version", version]))?;
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    Ok(cargo_home.join("bin/wasm-bindgen"))
}

fn ensure_wasm_opt() -> Result<PathBuf> {
    let tools = cmd::root().join("target/tools");
    let wasm_opt = tools.join("node_modules/.bin/wasm-opt");
    if cmd::succeeds(Command::new(&wasm_opt).arg("--version")) {
        return Ok(wasm_opt);
    }
    if !cmd::succeeds(Command::new("npm").arg("--version")) {
        println!("xtask: installing nodejs and npm (apt-get) for binaryen's wasm-opt");
        apt::install(&["nodejs", "npm"])?;
    }
    println!(
        "xtask: installing {BINARYEN} (npm) into {} for wasm-opt",
        tools.display()
    );
    std::fs::create_dir_all(&tools)?;
    cmd::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .arg(BINARYEN),
    )?;
    Ok(wasm_opt)
}

/// Prints the shipped weight: embed.js, and the widget's wasm + js + css,
/// raw, gzip -9 and brotli (when the `brotli` tool is installed).
pub(crate) fn weight() -> Result<()> {
    let widget = out_dir().join("widget");
    let embed = cmd::root().join("relay/web/embed.js");
    let widget_files = ["widget_bg.wasm", "widget.js", "widget.css"].map(|f| widget.join(f));
    for file in widget_files.iter().chain(std::iter::once(&embed)) {
        if !file.exists() {
            bail!(
                "{} is missing: run `cargo xtask build-web` first",
                file.display()
            );
        }
    }
    println!(
        "{:<28} {:>10} {:>10} {:>10}",
        "file", "bytes", "gzip -9", "brotli"
    );
    let mut totals = [0u64; 3];
    for file in &widget_files {
        let sizes = sizes(file)?;
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
        row(
            &file.file_name().unwrap_or_default().to_string_lossy(),
            sizes,
        );
    }
    row("widget total (budget 80 KB gz)", totals);
    row("embed.js (budget 3 KB gz)", sizes(&embed)?);
    Ok(())
}

fn row(name: &str, [raw, gz, br]: [u64; 3]) {
    let br = if br == 0 {
        "-".to_owned()
    } else {
        br.to_string()
    };
    println!("{name:<28} {raw:>10} {gz:>10} {br:>10}");
}

fn sizes(file: &Path) -> Result<[u64; 3]> {
    let raw = std::fs::metadata(file)?.len();
    let gz = compressed_len(Command::new("gzip").args(["-9", "-c"]).arg(file))?;
    let br = compressed_len(Command::new("brotli").args(["-q", "11", "-c"]).arg(file)).unwrap_or(0);
    Ok([raw, gz, br])
}

fn compressed_len(command: &mut Command) -> Result<u64> {
    let out = command.stdin(std::process::Stdio::null()).output()?;
    if !out.status.success() {
        bail!("compression failed");
    }
    Ok(out.stdout.len() as u64)
}
