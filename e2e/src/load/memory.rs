//! The target's memory around a throughput sweep, read from its own RSS:
//! freshly started, with the fleet connected and quiet, at its highest
//! under load, and after the load stopped (the fleet still connected). Per
//! socket figures divide what the sockets added by how many there are, so
//! the relay and the bare forwarder compare like for like.

use std::fmt::Write as _;
use std::time::Duration;

use super::procs::ProcSample;

/// How long the target rests after the last run before its RSS is read
/// again: long enough for an allocator that returns memory on a timer.
pub const REST: Duration = Duration::from_secs(15);

/// RSS in bytes at each point of a sweep.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    pub fresh: u64,
    pub connected: u64,
    pub under_load: u64,
    pub at_rest: u64,
    pub sockets: usize,
}

/// The summed RSS of `pids` (0 for one that is gone).
pub fn rss(pids: &[u32]) -> u64 {
    pids.iter()
        .map(|pid| ProcSample::of(*pid).map(|s| s.rss_bytes).unwrap_or(0))
        .sum()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

impl Memory {
    fn per_socket_kib(&self, bytes: u64) -> f64 {
        bytes.saturating_sub(self.fresh) as f64 / 1024.0 / self.sockets.max(1) as f64
    }

    /// One table row: `| target | sockets | fresh | connected | under load | at rest | KiB/socket connected | under load | at rest |`.
    pub fn row(&self, label: &str) -> String {
        let mut row = String::new();
        let _ = write!(
            row,
            "| {label} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            self.sockets,
            mib(self.fresh),
            mib(self.connected),
            mib(self.under_load),
            mib(self.at_rest),
            self.per_socket_kib(self.connected),
            self.per_socket_kib(self.under_load),
            self.per_socket_kib(self.at_rest),
        );
        row
    }
}

/// The header of [`Memory::row`]'s table.
pub fn header() -> String {
    format!(
        "| target | sockets | RSS fresh MiB | RSS connected, quiet MiB | RSS under load MiB (end of a run, highest) | RSS {} s after the load MiB | KiB per socket, quiet | KiB per socket, under load | KiB per socket, after the load |\n|---|---|---|---|---|---|---|---|---|",
        REST.as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_socket_figures_count_only_what_the_sockets_added() {
        let memory = Memory {
            fresh: 10 << 20,
            connected: 12 << 20,
            under_load: 30 << 20,
            at_rest: 14 << 20,
            sockets: 1024,
        };
        assert_eq!(
            memory.row("relay"),
            "| relay | 1024 | 10.0 | 12.0 | 30.0 | 14.0 | 2.0 | 20.0 | 4.0 |"
        );
    }
}
