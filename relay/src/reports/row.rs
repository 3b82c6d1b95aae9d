//! What stores keep for reports: rows of counters, one per (bucket, row
//! key), and the one codec both stores use for a row's counters.
//!
//! A bucket is named by its start (Unix ms): a UTC hour for the hourly
//! volume (the heat map), the site's local midnight for everything else
//! (see `rollup`). A row key names whose counters they are: a channel
//! (`channel:chat`) or an agent (`agent:ana`). Counters are stored as
//! 32-bit big-endian unsigned integers, slot after slot — the layout of a
//! Redis `BITFIELD … u32 #slot` string, and of the SQLite blob alike.

use shared::contacts::Channel;

/// One counter increment: slot `slot` of the (`bucket_ms`, `row`) row
/// grows by `by`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Add {
    pub bucket_ms: u64,
    pub row: String,
    pub slot: usize,
    pub by: u64,
}

/// A row's counters as a store read them back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub bucket_ms: u64,
    pub row: String,
    /// By slot; slots past the end are 0.
    pub counts: Vec<u64>,
}

/// Whose counters a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOf<'a> {
    Channel(Channel),
    Agent(&'a str),
}

const CHANNEL: &str = "channel:";
const AGENT: &str = "agent:";

impl Add {
    /// Slot `slot` of the (`bucket_ms`, `row`) row grows by `by`.
    pub fn new(bucket_ms: u64, row: &str, slot: usize, by: u64) -> Self {
        Self {
            bucket_ms,
            row: row.to_owned(),
            slot,
            by,
        }
    }
}

impl<'a> RowOf<'a> {
    /// The row key.
    pub fn key(self) -> String {
        match self {
            Self::Channel(channel) => format!("{CHANNEL}{}", channel_name(channel)),
            Self::Agent(id) => format!("{AGENT}{id}"),
        }
    }

    /// Whose a row key is; `None` for a key this version does not know.
    pub fn of_key(key: &'a str) -> Option<Self> {
        if let Some(name) = key.strip_prefix(CHANNEL) {
            return channel_named(name).map(Self::Channel);
        }
        key.strip_prefix(AGENT)
            .filter(|id| !id.is_empty())
            .map(Self::Agent)
    }
}

/// Bytes per stored counter.
pub const COUNTER_BYTES: usize = 4;

/// The stored form of `counts`: each saturated to `u32`, big-endian.
pub fn encode(counts: &[u64]) -> Vec<u8> {
    counts
        .iter()
        .flat_map(|&c| u32::try_from(c).unwrap_or(u32::MAX).to_be_bytes())
        .collect()
}

/// Counters from their stored form; a trailing partial counter (which no
/// writer leaves) reads as if its missing bytes were 0.
pub fn decode(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks(COUNTER_BYTES)
        .map(|chunk| {
            let mut word = [0u8; COUNTER_BYTES];
            word[..chunk.len()].copy_from_slice(chunk);
            u64::from(u32::from_be_bytes(word))
        })
        .collect()
}

/// Adds `by` to slot `slot` of `counts`, growing it as needed.
pub fn add_to(counts: &mut Vec<u64>, slot: usize, by: u64) {
    if counts.len() <= slot {
        counts.resize(slot + 1, 0);
    }
    counts[slot] = counts[slot].saturating_add(by).min(u64::from(u32::MAX));
}

/// A channel's name in row keys and tables: its snake_case wire name.
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Chat => "chat",
        Channel::Email => "email",
        Channel::Phone => "phone",
        Channel::Sms => "sms",
        Channel::Social => "social",
        Channel::WebForm => "web_form",
        Channel::System => "system",
        Channel::Note => "note",
    }
}

/// The channel a name names, if it is one: the wire names, read as
/// the wire reads them.
pub fn channel_named(name: &str) -> Option<Channel> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_round_trip_and_saturate() {
        let counts = vec![0, 1, 255, 256, 70_000, u64::from(u32::MAX) + 9];
        let bytes = encode(&counts);
        assert_eq!(bytes.len(), counts.len() * COUNTER_BYTES);
        assert_eq!(&bytes[4..8], &[0, 0, 0, 1]);
        let back = decode(&bytes);
        assert_eq!(&back[..5], &counts[..5]);
        assert_eq!(back[5], u64::from(u32::MAX));
        assert_eq!(decode(&[0, 0, 1]), vec![256]);
        let mut grown = Vec::new();
        add_to(&mut grown, 3, 2);
        add_to(&mut grown, 3, 1);
        assert_eq!(grown, [0, 0, 0, 3]);
    }

    #[test]
    fn row_keys_name_a_channel_or_an_agent() {
        for (of, key) in [
            (RowOf::Channel(Channel::WebForm), "channel:web_form"),
            (RowOf::Agent("ana:b"), "agent:ana:b"),
        ] {
            assert_eq!(of.key(), key);
            assert_eq!(RowOf::of_key(key), Some(of));
        }
        assert_eq!(RowOf::of_key("channel:fax"), None);
        assert_eq!(RowOf::of_key("agent:"), None);
        assert_eq!(RowOf::of_key("team:x"), None);
    }

    #[test]
    fn channel_names_are_the_wire_names() {
        for name in [
            "chat", "email", "phone", "sms", "social", "web_form", "system", "note",
        ] {
            let channel = channel_named(name).unwrap();
            assert_eq!(
                serde_json::to_string(&channel).unwrap(),
                format!("\"{name}\"")
            );
        }
        assert_eq!(channel_named("fax"), None);
    }
}
