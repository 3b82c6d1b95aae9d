//! Turning runs into the markdown tables BENCHMARKS.md quotes: one row per
//! run, latencies in milliseconds from HDR histograms, and the relay's
//! figures as ratios to the bare forwarder's, with the spread of p99 over
//! a rate's repeats.

use hdrhistogram::Histogram;

use super::drive::RunResult;

/// Milliseconds from µs, two decimals.
pub fn ms(us: u64) -> String {
    format!("{:.2}", us as f64 / 1000.0)
}

/// p50 / p99 / p99.9 / max in ms, or "–" for an empty histogram.
pub fn percentiles(h: &Histogram<u64>) -> String {
    if h.is_empty() {
        return "–".into();
    }
    format!(
        "{} / {} / {} / {}",
        ms(h.value_at_quantile(0.50)),
        ms(h.value_at_quantile(0.99)),
        ms(h.value_at_quantile(0.999)),
        ms(h.max())
    )
}

pub fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// The header of [`run_row`]'s table.
pub const RUN_HEADER: &str = "| target | offered msg/s | delivered msg/s | stored (acked) msg/s | visitor→agent ms p50 / p99 / p99.9 / max | agent→visitor ms p50 / p99 / p99.9 / max | errors | missing / dup / gaps | target CPU cores | target RSS MiB | generator CPU cores | load avg |\n|---|---|---|---|---|---|---|---|---|---|---|---|";

/// One run as a table row.
pub fn run_row(label: &str, r: &RunResult) -> String {
    let (v, a) = (&r.visitor_to_agent, &r.agent_to_visitor);
    format!(
        "| {label} | {:.0} | {:.0} | {} | {} | {} | {} | {} / {} / {} | {:.2} | {} | {:.2} | {:.1} |",
        r.spec.rate,
        r.delivered_per_sec,
        if r.acked_per_sec > 0.0 {
            format!("{:.0}", r.acked_per_sec)
        } else {
            "–".into()
        },
        percentiles(&v.latency_us),
        percentiles(&a.latency_us),
        r.errors(),
        r.missing(),
        v.duplicates + a.duplicates,
        v.gaps + a.gaps,
        r.target_cpu_cores,
        mib(r.target_rss_bytes),
        r.generator_cpu_cores,
        r.load_average,
    )
}

/// The first error either direction saw, for the notes under a table.
pub fn first_error(r: &RunResult) -> Option<String> {
    r.visitor_to_agent
        .first_error
        .clone()
        .or_else(|| r.agent_to_visitor.first_error.clone())
}

/// p99 of both directions together, in µs.
pub fn p99_us(r: &RunResult) -> u64 {
    let mut all = r.visitor_to_agent.latency_us.clone();
    let _ = all.add(&r.agent_to_visitor.latency_us);
    if all.is_empty() {
        0
    } else {
        all.value_at_quantile(0.99)
    }
}

/// "relay ÷ forwarder" for p99 latency and delivered throughput.
pub fn ratio_row(label: &str, relay: &RunResult, bare: &RunResult) -> String {
    let (rp, bp) = (p99_us(relay), p99_us(bare));
    if rp == 0 {
        // Nothing was delivered after warm-up: there is no p99 to compare.
        return format!(
            "| {label} | {:.0} | – | {} | {} ms | {} | – | 0% |",
            relay.spec.rate,
            spread(relay),
            ms(bp),
            spread(bare)
        );
    }
    let latency = if bp > 0 {
        format!("{:.1}×", rp as f64 / bp as f64)
    } else {
        "–".into()
    };
    let throughput = if bare.delivered_per_sec > 0.0 {
        format!(
            "{:.0}%",
            100.0 * relay.delivered_per_sec / bare.delivered_per_sec
        )
    } else {
        "–".into()
    };
    format!(
        "| {label} | {:.0} | {} ms | {} | {} ms | {} | {latency} | {throughput} |",
        relay.spec.rate,
        ms(rp),
        spread(relay),
        ms(bp),
        spread(bare)
    )
}

pub const RATIO_HEADER: &str = "| relay | offered msg/s | relay p99 (both ways) | relay p99 spread | forwarder p99 | forwarder p99 spread | p99 ratio | delivered throughput vs forwarder |\n|---|---|---|---|---|---|---|---|";

/// "min–max ms (N runs)" of a repeated rate's p99s; "1 run" otherwise.
pub fn spread(r: &RunResult) -> String {
    match (r.p99_runs_us.first(), r.p99_runs_us.last()) {
        (Some(low), Some(high)) if r.p99_runs_us.len() > 1 => format!(
            "{}–{} ms ({} runs)",
            ms(*low),
            ms(*high),
            r.p99_runs_us.len()
        ),
        _ => "1 run".into(),
    }
}
