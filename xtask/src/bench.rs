//! `cargo xtask bench`: the quick benchmark from README, under two minutes
//! once built. It builds the relay binary and the load generator (release)
//! and runs `loadgen quick`, which starts the real relay as a child
//! process on the embedded store, drives it and the bare forwarder with
//! the same open-loop schedule, and prints markdown tables. Arguments
//! after `--` replace `quick` (e.g. `cargo xtask bench -- idle --visitors
//! 5000`); BENCHMARKS.md has the full runs.

use anyhow::Result;

use crate::cmd;

pub(crate) fn bench(args: &[String]) -> Result<()> {
    cmd::run(cmd::cargo().args(["build", "--release", "-p", "relay", "--bin", "switchboard"]))?;
    cmd::run(cmd::cargo().args(["build", "--release", "-p", "e2e", "--bin", "loadgen"]))?;
    let loadgen = cmd::root().join("target/release/loadgen");
    let mut command = std::process::Command::new(loadgen);
    if args.is_empty() {
        command.arg("quick");
    } else {
        command.args(args);
    }
    cmd::run(&mut command)
}
