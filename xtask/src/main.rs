//! `cargo xtask`: the one place that knows how to build, run and test
//! Switchboard, so the README's quick start stays two commands
//! (`cargo xtask run`, `cargo xtask test`) and CI runs the very same thing
//! (`.ci/run` is `cargo xtask test`).
//!
//! Plain `std::process::Command` and anyhow only: xtask must build in
//! seconds on a fresh clone. It never prompts and never reads stdin, so it
//! behaves the same with `CI=true` as in a terminal; what it lacks
//! (redis-server, the Debian wasm toolchain) it installs with apt-get,
//! saying so first.

mod apt;
mod bench;
mod cmd;
mod wasm;
mod web;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

const USAGE: &str = "\
Usage: cargo xtask <command>

Commands:
  run [-- ARGS]   build and start the relay (release): `switchboard ARGS serve`;
                  it prints its URLs and the first admin's login.
                  e.g. cargo xtask run -- --addr 0.0.0.0:8080
  test            every test, in tiers, stopping at the first that fails:
                  redis-server (installed if missing), cargo fmt --check,
                  clippy -D warnings, cargo test --workspace, wasm32 build
                  of shared + widget (installs Debian's rustc-web if needed)
  build-web       build the widget and console into target/web
  weight          print embed.js and widget sizes (raw, gzip, brotli)
  bench [-- ARGS] the quick benchmark (under 2 minutes once built): the
                  relay and a bare forwarder under the same load; ARGS
                  replace `quick` (see BENCHMARKS.md), e.g. -- idle
  help            this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match command {
        "run" => run(rest.strip_prefix(&["--".to_owned()][..]).unwrap_or(rest)),
        "build-web" if rest.is_empty() => build_web_assets(),
        "weight" if rest.is_empty() => web::weight(),
        "bench" => bench::bench(rest.strip_prefix(&["--".to_owned()][..]).unwrap_or(rest)),
        "test" if rest.is_empty() => test(),
        "test" => {
            eprintln!("xtask: `cargo xtask test` takes no arguments\n\n{USAGE}");
            return ExitCode::from(2);
        }
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("xtask: unknown command `{}`\n\n{USAGE}", args.join(" "));
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask run`: web assets, then the relay. The last step replaces
/// this process with `cargo run`, which in turn replaces itself with the
/// relay (cargo does so on Unix), so Ctrl-C and SIGTERM reach the relay
/// directly and its exit status is ours.
fn run(extra: &[String]) -> Result<()> {
    println!(
        "xtask run: building the relay (release) and starting it on the embedded store \
         (data in ./data unless --data/REDIS_URL say otherwise); it prints its URLs and the first admin's login"
    );
    build_web_assets()?;
    let mut command = cmd::cargo();
    command
        .args([
            "run",
            "--release",
            "-p",
            "relay",
            "--bin",
            "switchboard",
            "--",
        ])
        // The relay's flags are global, so they may come before `serve`.
        .args(extra)
        .arg("serve");
    println!("$ {}", cmd::display(&command));
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    Err(error).context("could not start cargo")
}

/// Builds the browser apps the relay serves (widget, console) into
/// `target/web`, the relay's default assets directory.
fn build_web_assets() -> Result<()> {
    web::build()
}

/// One step of `cargo xtask test`.
struct Tier {
    name: &'static str,
    run: fn() -> Result<()>,
}

const TIERS: &[Tier] = &[
    Tier {
        name: "test services (redis-server, chromium, nginx: installed if missing)",
        run: || {
            apt::ensure_redis()
                .and_then(|()| apt::ensure_browser())
                .and_then(|()| apt::ensure_nginx())
        },
    },
    Tier {
        name: "format (cargo fmt --check)",
        run: || cmd::run(cmd::cargo().args(["fmt", "--all", "--", "--check"])),
    },
    Tier {
        name: "lint (clippy -D warnings)",
        run: || {
            cmd::run(cmd::cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        },
    },
    Tier {
        name: "browser apps (widget, console: wasm32, wasm-bindgen, wasm-opt)",
        run: build_web_assets,
    },
    Tier {
        name: "tests (cargo test --workspace)",
        run: || cmd::run(cmd::cargo().args(["test", "--workspace"])),
    },
];

/// `cargo xtask test`: the tiers in order, stopping at the first failure.
fn test() -> Result<()> {
    let started = Instant::now();
    let mut passed: Vec<String> = Vec::new();
    for (i, tier) in TIERS.iter().enumerate() {
        println!("\n== xtask test: {} [{}/{}]", tier.name, i + 1, TIERS.len());
        let tier_started = Instant::now();
        if let Err(e) = (tier.run)() {
            println!(
                "\n== xtask test: FAILED at {} [{}/{}] after {}; passed before it: {}",
                tier.name,
                i + 1,
                TIERS.len(),
                minutes(started.elapsed()),
                if passed.is_empty() {
                    "none".into()
                } else {
                    passed.join(", ")
                }
            );
            return Err(e);
        }
        passed.push(format!(
            "{} {}",
            short(tier.name),
            minutes(tier_started.elapsed())
        ));
    }
    println!(
        "\n== xtask test: all {} tiers passed in {} ({})",
        TIERS.len(),
        minutes(started.elapsed()),
        passed.join(", ")
    );
    Ok(())
}

/// A tier's name without its parenthesised detail.
fn short(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name)
}

fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}
