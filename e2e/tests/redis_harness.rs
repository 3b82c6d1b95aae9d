//! Proves the Redis test harness itself: every Redis-backed test relies on
//! it starting a private server off port 6379, keeping AOF data across a
//! restart, and leaving no process behind.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use e2e::redis_server::{unique_prefix, RedisServer};

#[test]
fn starts_on_a_private_port_and_answers() -> anyhow::Result<()> {
    let server = RedisServer::start()?;
    assert_ne!(server.port(), 6379);
    assert_eq!(
        server.url(),
        format!("redis://127.0.0.1:{}/", server.port())
    );
    assert_eq!(server.cli(&["SET", "k", "v"])?.trim(), "OK");
    assert_eq!(server.cli(&["GET", "k"])?.trim(), "v");
    // Persistence is off: nothing to lose, nothing written.
    assert_eq!(
        server.cli(&["CONFIG", "GET", "appendonly"])?.trim(),
        "appendonly\nno"
    );
    Ok(())
}

#[test]
fn aof_server_keeps_data_across_a_restart() -> anyhow::Result<()> {
    let mut server = RedisServer::start_with_aof()?;
    let port = server.port();
    server.cli(&["SET", "k", "v"])?;
    server.restart()?;
    assert_eq!(server.port(), port, "restart keeps the port");
    assert_eq!(server.cli(&["GET", "k"])?.trim(), "v");
    Ok(())
}

#[test]
fn plain_server_restarts_empty() -> anyhow::Result<()> {
    let mut server = RedisServer::start()?;
    server.cli(&["SET", "k", "v"])?;
    server.restart()?;
    assert_eq!(server.cli(&["EXISTS", "k"])?.trim(), "0");
    Ok(())
}

#[test]
fn stop_and_drop_kill_the_process() -> anyhow::Result<()> {
    let mut server = RedisServer::start()?;
    let port = server.port();
    server.stop();
    assert!(refuses(port), "stopped server still answers on {port}");
    server.restart()?;
    assert_eq!(server.cli(&["PING"])?.trim(), "PONG");
    drop(server);
    assert!(refuses(port), "dropped server still answers on {port}");
    Ok(())
}

#[test]
fn servers_do_not_share_ports() -> anyhow::Result<()> {
    let servers = (0..4)
        .map(|_| RedisServer::start())
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut ports: Vec<u16> = servers.iter().map(RedisServer::port).collect();
    ports.sort_unstable();
    ports.dedup();
    assert_eq!(ports.len(), servers.len());
    servers[0].cli(&["SET", "only-here", "1"])?;
    assert_eq!(servers[1].cli(&["EXISTS", "only-here"])?.trim(), "0");
    Ok(())
}

#[test]
fn unique_prefixes_differ() {
    let a = unique_prefix("x");
    let b = unique_prefix("x");
    assert_ne!(a, b);
    assert!(a.starts_with("t:x:") && a.ends_with(':'), "{a}");
}

/// True once nothing accepts connections on `port` (allowing a moment for
/// the kernel to tear the listener down).
fn refuses(port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_err() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
