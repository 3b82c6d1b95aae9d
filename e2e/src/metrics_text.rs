//! The Prometheus text a relay's `/metrics` answers, read back as metric
//! families and samples, so tests can hold README's metrics table and the
//! Grafana dashboard's queries against what the relay really exposes.

use std::collections::BTreeMap;

/// One `/metrics` answer.
#[derive(Debug, Clone)]
pub struct Exposition {
    /// Family name → type (`counter`, `gauge`, `histogram`, …), from the
    /// `# TYPE` lines (prometheus-client leaves out a labelled family
    /// until it has a series).
    families: BTreeMap<String, String>,
    text: String,
}

impl Exposition {
    pub fn parse(text: &str) -> Self {
        let families = text
            .lines()
            .filter_map(|line| {
                let mut words = line.strip_prefix("# TYPE ")?.split_whitespace();
                Some((words.next()?.to_owned(), words.next()?.to_owned()))
            })
            .collect();
        Self {
            families,
            text: text.to_owned(),
        }
    }

    /// The names a reader queries, with their types: a counter by its one
    /// series (`…_total`), every other family by its own name (a
    /// histogram's `_bucket`, `_sum` and `_count` follow from it).
    pub fn metric_names(&self) -> BTreeMap<String, String> {
        self.families
            .iter()
            .map(|(family, kind)| {
                let name = if kind == "counter" {
                    format!("{family}_total")
                } else {
                    family.clone()
                };
                (name, kind.clone())
            })
            .collect()
    }

    /// The family a series name belongs to, if any: only the suffixes its
    /// type gives series are taken off (`_bucket` of a gauge is no series).
    pub fn family_of(&self, series: &str) -> Option<&str> {
        self.families.iter().find_map(|(family, kind)| {
            let suffix = series.strip_prefix(family.as_str())?;
            series_suffixes(kind)
                .contains(&suffix)
                .then_some(family.as_str())
        })
    }

    /// The value of the sample written exactly as `series` (its name and
    /// labels, e.g. `x_count{stage="store"}`).
    pub fn value(&self, series: &str) -> Option<f64> {
        self.text.lines().find_map(|line| {
            let rest = line.strip_prefix(series)?.strip_prefix(' ')?;
            rest.split_whitespace().next()?.parse().ok()
        })
    }
}

/// The endings of a family's series names, by its OpenMetrics type.
fn series_suffixes(kind: &str) -> &'static [&'static str] {
    match kind {
        "counter" => &["_total", "_created"],
        "histogram" | "gaugehistogram" => &["_bucket", "_sum", "_count", "_created"],
        "summary" => &["", "_sum", "_count", "_created"],
        "info" => &["_info"],
        _ => &[""],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# HELP sb_messages Chat messages stored.
# TYPE sb_messages counter
sb_messages_total{role=\"visitor\"} 3
# TYPE sb_queue gauge
sb_queue 1
# TYPE sb_stage_seconds histogram
sb_stage_seconds_sum{stage=\"store\"} 0.01
sb_stage_seconds_count{stage=\"store\"} 2
sb_stage_seconds_bucket{le=\"0.1\",stage=\"store\"} 2
# EOF
";

    #[test]
    fn series_names_map_to_their_families_by_type() {
        let exposition = Exposition::parse(TEXT);
        assert_eq!(
            exposition.family_of("sb_messages_total"),
            Some("sb_messages")
        );
        assert_eq!(exposition.family_of("sb_messages"), None);
        assert_eq!(
            exposition.family_of("sb_stage_seconds_bucket"),
            Some("sb_stage_seconds")
        );
        assert_eq!(exposition.family_of("sb_queue"), Some("sb_queue"));
        assert_eq!(exposition.family_of("sb_queue_count"), None);
        let names: Vec<_> = exposition.metric_names().into_keys().collect();
        assert_eq!(names, ["sb_messages_total", "sb_queue", "sb_stage_seconds"]);
    }

    #[test]
    fn values_are_read_by_exact_series() {
        let exposition = Exposition::parse(TEXT);
        assert_eq!(
            exposition.value("sb_stage_seconds_count{stage=\"store\"}"),
            Some(2.0)
        );
        assert_eq!(exposition.value("sb_stage_seconds_count"), None);
        assert_eq!(exposition.value("sb_queue"), Some(1.0));
    }
}
