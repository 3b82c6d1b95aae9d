//! The deployment files README.md shows are the files in `deploy/`, byte
//! for byte, so the two cannot drift: change the file, then paste it into
//! README (the failure says which). They also agree with the relay: nginx
//! takes the API's largest body and outwaits the heartbeat on sockets,
//! and the systemd unit passes `systemd-analyze verify`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use e2e::nginx::{repo_file, CONFIG as NGINX_CONFIG};
use e2e::packages;

const SYSTEMD_UNIT: &str = "deploy/systemd/switchboard.service";

/// The fenced block README.md shows under the caption line
/// ``[`PATH`](PATH):``, with its final newline.
fn readme_block(path: &str) -> anyhow::Result<String> {
    let readme = std::fs::read_to_string(repo_file("README.md"))?;
    let caption = format!("[`{path}`]({path}):");
    let mut lines = readme
        .lines()
        .skip_while(|line| *line != caption)
        .skip(1)
        .skip_while(|line| line.is_empty());
    let fence = lines
        .next()
        .with_context(|| format!("README.md has no line {caption:?} before a fenced block"))?;
    if !fence.starts_with("```") {
        bail!("README.md: {caption:?} is not followed by a fenced block but {fence:?}");
    }
    let mut block = String::new();
    for line in lines {
        if line == "```" {
            return Ok(block);
        }
        block.push_str(line);
        block.push('\n');
    }
    bail!("README.md: the block under {caption:?} is never closed")
}

fn assert_readme_shows(path: &str) -> anyhow::Result<()> {
    let file = std::fs::read_to_string(repo_file(path))?;
    let shown = readme_block(path)?;
    if shown != file {
        let line = shown
            .lines()
            .zip(file.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "the end".to_owned(), |n| format!("line {}", n + 1));
        bail!("README.md's copy of {path} differs from the file at {line}: paste the file into README");
    }
    Ok(())
}

#[test]
fn readme_shows_the_nginx_configuration_byte_for_byte() -> anyhow::Result<()> {
    assert_readme_shows(NGINX_CONFIG)
}

#[test]
fn readme_shows_the_systemd_unit_byte_for_byte() -> anyhow::Result<()> {
    assert_readme_shows(SYSTEMD_UNIT)
}

/// The value of nginx directive `name` (`name VALUE;`), each occurrence.
fn directive<'a>(config: &'a str, name: &str) -> Vec<&'a str> {
    config
        .lines()
        .filter_map(|line| line.trim().strip_prefix(name)?.strip_prefix(' '))
        .map(|rest| rest.trim().trim_end_matches(';'))
        .collect()
}

#[test]
fn nginx_limits_agree_with_the_relays() -> anyhow::Result<()> {
    let config = std::fs::read_to_string(repo_file(NGINX_CONFIG))?;
    let body = format!("{}k", relay::api::MAX_BODY_BYTES / 1024);
    assert_eq!(directive(&config, "client_max_body_size"), [body.as_str()]);
    // The relay, not nginx, decides when a quiet socket is dead.
    for timeout in ["proxy_read_timeout", "proxy_send_timeout"] {
        let values = directive(&config, timeout);
        assert_eq!(values.len(), 1, "{timeout}: {values:?}");
        let secs: u64 = values[0].trim_end_matches('s').parse()?;
        assert!(
            secs > shared::limits::PONG_TIMEOUT_SECS,
            "{timeout} {secs}s is not above the relay's pong timeout"
        );
    }
    Ok(())
}

#[test]
fn the_systemd_unit_passes_systemd_analyze_verify() -> anyhow::Result<()> {
    let analyze = packages::ensure("systemd-analyze", "systemd")?;
    let unit = std::fs::read_to_string(repo_file(SYSTEMD_UNIT))?;
    // verify checks that ExecStart= exists: point it at a real program
    // (this test's own), the only change.
    let installed = "ExecStart=/usr/local/bin/switchboard\n";
    assert_eq!(
        unit.matches(installed).count(),
        1,
        "{SYSTEMD_UNIT}: {installed:?}"
    );
    let exe = std::env::current_exe()?;
    let unit = unit.replace(installed, &format!("ExecStart={}\n", exe.display()));
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("switchboard.service");
    std::fs::write(&path, unit)?;
    let mut child = Command::new(analyze)
        .args(["verify", "--man=no"])
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            child.kill()?;
            bail!("systemd-analyze verify took over a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output()?;
    let said = String::from_utf8_lossy(&out.stderr) + String::from_utf8_lossy(&out.stdout);
    // It exits 0 even for unknown keys and bad values: any word about
    // our unit is a failure.
    assert!(
        out.status.success() && !said.contains("switchboard.service"),
        "systemd-analyze verify ({}):\n{said}",
        out.status
    );
    Ok(())
}
