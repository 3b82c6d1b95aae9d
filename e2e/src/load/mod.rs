//! The load generator behind `cargo run --release -p e2e --bin loadgen`
//! (issue 6): it measures the relay the way the published bars of this
//! field are measured, over the real protocol on loopback, and measures a
//! bare forwarder with the same generator so every figure has a physical
//! limit beside it.
//!
//! - [`procs`]: child processes (the relay binary, the forwarder) and
//!   their RSS and CPU time from `/proc`; the file-descriptor limit.
//! - [`conn`]: client sockets from several 127.0.0.x source addresses, and
//!   the light decode of the few fields the generator reads.
//! - [`forwarder`]: the bare forwarder (no store, no routing).
//! - [`fleet`]: opening N visitors and M agents and pairing them.
//! - [`reader`]: each socket's receive loop: latency, exactly-once checks.
//! - [`drive`]: the open-loop sender schedule and one measured run.
//! - [`report`]: histogram summaries and the markdown tables.
//! - [`scenarios`]: the scenarios of BENCHMARKS.md, and the quick run.
//! - [`memory`]: the target's RSS around a sweep, per socket.
//! - [`quiet`]: waiting for a quiet machine, and pinning processes to cores.
//! - [`stages`]: the relay's per-stage histograms after a sweep.

pub mod conn;
pub mod drive;
pub mod fleet;
pub mod forwarder;
pub mod memory;
pub mod procs;
pub mod quiet;
pub mod reader;
pub mod report;
pub mod scenarios;
pub mod stages;
