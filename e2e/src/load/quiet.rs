//! Honest figures: a benchmark taken while compilers or tests share the
//! machine's two cores measures them, not the relay. Before a run the
//! generator waits for the 1-minute load average to settle and refuses
//! (or, when told to run anyway, marks its tables) if it does not; and it
//! pins the processes under measurement (the relay, the forwarder) to one
//! core and itself to another when `taskset` and two cores are there, so
//! the generator's own work does not steal the target's CPU.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::drive::load_average;

/// Above this 1-minute load average a machine is not quiet.
pub const QUIET_LOAD: f64 = 0.5;

/// How often the load average is read while waiting for it to settle.
const POLL: Duration = Duration::from_secs(5);

/// Whether targets are pinned (set once by [`pin_generator`]).
static PINNING: AtomicBool = AtomicBool::new(false);

/// The core targets run on; the generator takes the other one.
const TARGET_CORE: &str = "0";
const GENERATOR_CORE: &str = "1";

/// Waits up to `max_wait` for the load average to fall to [`QUIET_LOAD`];
/// returns the last reading.
pub fn settle(max_wait: Duration) -> f64 {
    let started = Instant::now();
    loop {
        let load = load_average();
        if load <= QUIET_LOAD || started.elapsed() >= max_wait {
            return load;
        }
        eprintln!("waiting for the machine to settle (1-minute load average {load:.2})");
        std::thread::sleep(POLL);
    }
}

/// Runs `taskset ARGS…` quietly; whether it worked.
fn taskset(args: &[&str]) -> bool {
    Command::new("taskset")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Pins this process (and the threads it starts later) to the
/// generator's core and turns on pinning of targets, when the machine has
/// two cores and `taskset`; says what it did, for the report.
pub fn pin_generator() -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let me = std::process::id().to_string();
    if cores >= 2 && taskset(&["-a", "-p", "-c", GENERATOR_CORE, &me]) {
        PINNING.store(true, Ordering::Relaxed);
        format!("Relay and forwarder pinned to core {TARGET_CORE}, generator to core {GENERATOR_CORE} (taskset); redis-server inherits the generator's core.")
    } else {
        format!("Nothing pinned ({cores} core(s) seen, or no taskset).")
    }
}

/// Pins a target process, every thread of it, to the target core (when
/// [`pin_generator`] turned pinning on).
pub fn pin_target(pid: u32) {
    if PINNING.load(Ordering::Relaxed)
        && !taskset(&["-a", "-p", "-c", TARGET_CORE, &pid.to_string()])
    {
        eprintln!("could not pin process {pid} to core {TARGET_CORE}");
    }
}

/// The line a report starts with: the load before the run, and a warning
/// when that was not quiet.
pub fn load_line(load: f64) -> String {
    if load > QUIET_LOAD {
        format!(
            "> **Busy machine**: 1-minute load average {load:.2} before the run (over {QUIET_LOAD}): these figures are noise, not results."
        )
    } else {
        format!("1-minute load average before the run: {load:.2} (quiet: at most {QUIET_LOAD}).")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_load_is_marked() {
        assert!(load_line(0.9).contains("Busy machine"));
        assert!(load_line(0.5).contains("quiet"));
        assert!(!load_line(0.2).contains("Busy"));
    }
}
