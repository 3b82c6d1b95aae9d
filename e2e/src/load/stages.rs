//! "Where the time goes": the relay's own per-stage histograms
//! (`switchboard_message_stage_seconds`: decode, store, publish, fan_out,
//! socket_write) read from its `/metrics` after a throughput sweep, as a
//! table beside the generator's end-to-end figures. The relay counts
//! since it started, so the table covers every rate of the sweep.

use std::net::SocketAddr;

use crate::http_get::get;

/// The stages, in the order a message meets them.
const STAGES: [&str; 5] = ["decode", "store", "publish", "fan_out", "socket_write"];
const FAMILY: &str = "switchboard_message_stage_seconds";

/// One stage's histogram: (upper bound s, cumulative count), sum, count.
#[derive(Debug, Default)]
struct Stage {
    buckets: Vec<(f64, f64)>,
    sum: f64,
    count: f64,
}

/// The value of label `name` in a series' `{…}` part.
fn label<'a>(labels: &'a str, name: &str) -> Option<&'a str> {
    let start = labels.find(&format!("{name}=\""))? + name.len() + 2;
    let rest = &labels[start..];
    Some(&rest[..rest.find('"')?])
}

fn parse(text: &str, stage: &str) -> Stage {
    let mut out = Stage::default();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(FAMILY) else {
            continue;
        };
        let Some((series, value)) = rest.rsplit_once(' ') else {
            continue;
        };
        let Ok(value) = value.parse::<f64>() else {
            continue;
        };
        let Some((suffix, labels)) = series.split_once('{') else {
            continue;
        };
        if label(labels, "stage") != Some(stage) {
            continue;
        }
        match suffix {
            "_bucket" => {
                let le = label(labels, "le").unwrap_or("+Inf");
                let bound = if le == "+Inf" {
                    f64::INFINITY
                } else {
                    le.parse().unwrap_or(f64::INFINITY)
                };
                out.buckets.push((bound, value));
            }
            "_sum" => out.sum = value,
            "_count" => out.count = value,
            _ => {}
        }
    }
    out.buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// The smallest bucket bound holding the `q` quantile, in ms ("–" when
/// empty, "> last" past the last bound).
fn quantile_ms(stage: &Stage, q: f64) -> String {
    if stage.count <= 0.0 {
        return "–".into();
    }
    let rank = q * stage.count;
    for &(bound, cumulative) in &stage.buckets {
        if cumulative >= rank {
            return if bound.is_finite() {
                format!("≤ {}", bound * 1000.0)
            } else {
                "> 5000".into()
            };
        }
    }
    "–".into()
}

/// The table for the relay at `addr`, labelled `label`.
pub async fn table(label_text: &str, addr: SocketAddr) -> anyhow::Result<String> {
    let (status, text) = get(addr, "/metrics").await?;
    anyhow::ensure!(status == 200, "/metrics answered {status}");
    let mut out = format!(
        "\nWhere the time goes, {label_text} (the relay's `{FAMILY}`, every rate of the sweep):\n\n\
         | stage | observations | mean ms | p50 ms | p99 ms |\n|---|---|---|---|---|\n"
    );
    for name in STAGES {
        let stage = parse(&text, name);
        let mean = if stage.count > 0.0 {
            format!("{:.3}", stage.sum / stage.count * 1000.0)
        } else {
            "–".into()
        };
        out.push_str(&format!(
            "| {name} | {:.0} | {mean} | {} | {} |\n",
            stage.count,
            quantile_ms(&stage, 0.50),
            quantile_ms(&stage, 0.99)
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# TYPE switchboard_message_stage_seconds histogram
switchboard_message_stage_seconds_sum{stage=\"store\"} 0.3
switchboard_message_stage_seconds_count{stage=\"store\"} 100
switchboard_message_stage_seconds_bucket{le=\"0.001\",stage=\"store\"} 50
switchboard_message_stage_seconds_bucket{le=\"0.0025\",stage=\"store\"} 98
switchboard_message_stage_seconds_bucket{le=\"0.005\",stage=\"store\"} 100
switchboard_message_stage_seconds_bucket{le=\"+Inf\",stage=\"store\"} 100
switchboard_message_stage_seconds_count{stage=\"publish\"} 0
";

    #[test]
    fn a_stage_reads_as_mean_and_bucket_quantiles() {
        let store = parse(TEXT, "store");
        assert_eq!((store.count, store.buckets.len()), (100.0, 4));
        assert_eq!(quantile_ms(&store, 0.50), "≤ 1");
        assert_eq!(quantile_ms(&store, 0.99), "≤ 5");
        assert_eq!(quantile_ms(&parse(TEXT, "publish"), 0.5), "–");
        assert_eq!(label("le=\"1\",stage=\"x\"", "stage"), Some("x"));
    }
}
