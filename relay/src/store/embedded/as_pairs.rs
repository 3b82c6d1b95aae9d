//! Serde for maps keyed by tuples, which JSON objects cannot key: written
//! as an array of `[key, value]` pairs (`#[serde(with = "as_pairs")]`),
//! so a snapshot of the state is plain JSON like every journal line.

use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub(super) fn serialize<S, K, V>(map: &HashMap<K, V>, out: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    K: Serialize,
    V: Serialize,
{
    out.collect_seq(map.iter())
}

pub(super) fn deserialize<'de, D, K, V>(input: D) -> Result<HashMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Eq + Hash,
    V: Deserialize<'de>,
{
    Ok(Vec::<(K, V)>::deserialize(input)?.into_iter().collect())
}
