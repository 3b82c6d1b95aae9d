//! Where the relay finds Redis: one server (`REDIS_URL`), whichever server
//! Sentinel names master (`REDIS_SENTINELS`, `SWITCHBOARD_REDIS_MASTER`),
//! or a Redis Cluster (`SWITCHBOARD_REDIS_CLUSTER`, seeds in `REDIS_URL`).
//! Read from the settings in one place, so the store and the bus cannot
//! disagree about it.

use anyhow::bail;

/// How to reach Redis.
#[derive(Clone, PartialEq, Eq)]
pub enum RedisTarget {
    /// One server, e.g. `redis://127.0.0.1:6379/`.
    Server(String),
    /// The master Sentinel names `master`, asked again on every reconnect
    /// so a failover is followed. Sentinels as `host:port` or URLs.
    Sentinel {
        sentinels: Vec<String>,
        master: String,
    },
    /// A Redis Cluster, found from any of these nodes' URLs.
    Cluster { seeds: Vec<String> },
}

impl std::fmt::Debug for RedisTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // URLs may carry a password: only say which kind of target it is.
        match self {
            Self::Server(_) => f.write_str("RedisTarget::Server"),
            Self::Sentinel { sentinels, master } => f
                .debug_struct("RedisTarget::Sentinel")
                .field("sentinels", &sentinels.len())
                .field("master", master)
                .finish(),
            Self::Cluster { seeds } => f
                .debug_struct("RedisTarget::Cluster")
                .field("seeds", &seeds.len())
                .finish(),
        }
    }
}

impl RedisTarget {
    /// The target the settings name, or `None` for the embedded store.
    /// Contradictory settings are refused rather than one silently winning.
    pub fn from_settings(
        url: Option<&str>,
        sentinels: &[String],
        master: Option<&str>,
        cluster: bool,
    ) -> anyhow::Result<Option<Self>> {
        let sentinels: Vec<String> = sentinels
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        if !sentinels.is_empty() {
            let Some(master) = master.filter(|m| !m.is_empty()) else {
                bail!("REDIS_SENTINELS is set but SWITCHBOARD_REDIS_MASTER (the master's name) is not");
            };
            if url.is_some() || cluster {
                bail!("set either REDIS_SENTINELS or REDIS_URL (and SWITCHBOARD_REDIS_CLUSTER), not both");
            }
            return Ok(Some(Self::Sentinel {
                sentinels,
                master: master.to_owned(),
            }));
        }
        if master.is_some() {
            bail!("SWITCHBOARD_REDIS_MASTER is set but REDIS_SENTINELS is not");
        }
        let Some(url) = url else {
            if cluster {
                bail!("SWITCHBOARD_REDIS_CLUSTER needs REDIS_URL: one or more of the cluster's nodes, comma-separated");
            }
            return Ok(None);
        };
        if cluster {
            let seeds: Vec<String> = url
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            if seeds.is_empty() {
                bail!("REDIS_URL names no cluster node");
            }
            return Ok(Some(Self::Cluster { seeds }));
        }
        Ok(Some(Self::Server(url.to_owned())))
    }

    pub fn is_cluster(&self) -> bool {
        matches!(self, Self::Cluster { .. })
    }

    /// For the startup log (no credentials).
    pub fn describe(&self) -> String {
        match self {
            Self::Server(_) => "one server".into(),
            Self::Sentinel { sentinels, master } => {
                format!("master {master:?} via {} sentinels", sentinels.len())
            }
            Self::Cluster { seeds } => format!("cluster ({} seed nodes)", seeds.len()),
        }
    }
}

/// Whether every key under `prefix` hashes to one cluster slot: Redis
/// hashes only the part between the key's first `{` and the next `}` when
/// that part is not empty, so the prefix must hold the whole tag (`{sb}:`).
pub fn has_hash_tag(prefix: &str) -> bool {
    prefix
        .split_once('{')
        .and_then(|(_, rest)| rest.split_once('}'))
        .is_some_and(|(tag, _)| !tag.is_empty())
}

/// A sentinel as redis-rs wants it: a URL (`host:port` gets `redis://`).
pub(super) fn sentinel_url(sentinel: &str) -> String {
    if sentinel.contains("://") {
        sentinel.to_owned()
    } else {
        format!("redis://{sentinel}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(
        url: Option<&str>,
        sentinels: &[&str],
        master: Option<&str>,
        cluster: bool,
    ) -> anyhow::Result<Option<RedisTarget>> {
        let sentinels: Vec<String> = sentinels.iter().map(|s| s.to_string()).collect();
        RedisTarget::from_settings(url, &sentinels, master, cluster)
    }

    #[test]
    fn settings_pick_one_target() {
        assert_eq!(target(None, &[], None, false).unwrap(), None);
        assert_eq!(
            target(Some("redis://a/"), &[], None, false).unwrap(),
            Some(RedisTarget::Server("redis://a/".into()))
        );
        assert_eq!(
            target(None, &["a:1", " b:2"], Some("m"), false).unwrap(),
            Some(RedisTarget::Sentinel {
                sentinels: vec!["a:1".into(), "b:2".into()],
                master: "m".into()
            })
        );
        assert_eq!(
            target(Some("redis://a/, redis://b/"), &[], None, true).unwrap(),
            Some(RedisTarget::Cluster {
                seeds: vec!["redis://a/".into(), "redis://b/".into()]
            })
        );
    }

    #[test]
    fn contradictions_are_refused() {
        assert!(target(None, &["a:1"], None, false).is_err());
        assert!(target(None, &[], Some("m"), false).is_err());
        assert!(target(Some("redis://a/"), &["a:1"], Some("m"), false).is_err());
        assert!(target(None, &[], None, true).is_err());
    }

    #[test]
    fn hash_tags_must_be_whole_and_non_empty() {
        assert!(has_hash_tag("{sb}:"));
        assert!(has_hash_tag("app:{sb}:"));
        assert!(!has_hash_tag("sb:"));
        assert!(!has_hash_tag("{}:sb:"));
        assert!(!has_hash_tag("sb{:"));
    }

    #[test]
    fn sentinels_may_be_host_port() {
        assert_eq!(sentinel_url("10.0.0.1:26379"), "redis://10.0.0.1:26379/");
        assert_eq!(sentinel_url("redis://s:1/"), "redis://s:1/");
    }
}
