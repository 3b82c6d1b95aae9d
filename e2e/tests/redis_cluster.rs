//! Redis Cluster: three masters made with `redis-cli --cluster create`, two
//! relay nodes on them, and a visitor and an agent chatting across the
//! nodes. The key prefix carries a hash tag, so every key is in one slot
//! (every Lua script's keys on one node); the bus publishes to that slot's
//! node while both relays listen on another, so events cross the cluster
//! bus. The store conformance cases run on a cluster too
//! (`store_conformance.rs`, `redis_cluster_store::every_case`).

use anyhow::Context;
use e2e::cluster::Cluster;
use e2e::fault_chat::{converse, figures, pair};
use e2e::redis_ha::{tagged_prefix, RedisCluster};
use e2e::redis_server::RedisServer;
use relay::redis_conn::RedisTarget;
use relay::store::redis::RedisStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relay_nodes_chat_over_a_three_master_cluster() -> anyhow::Result<()> {
    let mut redis = RedisCluster::start()?;
    let prefix = prefix_away_from(&redis.nodes[0], "cluster_chat")?;
    let access = redis.access(prefix.clone());
    // Relays subscribe at the first seed, and the test keeps it at hand.
    let first = redis.nodes.remove(0);
    let cluster = Cluster::start_on(2, first, access).await?;
    let (v, a, conversation) = pair(&cluster, 0, 1).await?;
    let (v, a) = converse(v, a, 20).await?;
    figures("cluster_chat", &cluster, &conversation, &[&v, &a])
        .await?
        .assert_exactly_once();
    for node in 0..2 {
        let log = cluster.log(node);
        assert!(
            log.contains("cluster (3 seed nodes)"),
            "not on the cluster: {log}"
        );
        // Events came over pub/sub, not from the nodes' 5 s catch-up pass.
        assert!(!log.contains("catch-up found events the bus lost"), "{log}");
    }

    let slot = cluster.redis.cli(&["CLUSTER", "KEYSLOT", &prefix])?;
    let mut holding = Vec::new();
    for node in std::iter::once(&cluster.redis).chain(&redis.nodes) {
        let keys: usize = node.cli(&["DBSIZE"])?.trim().parse()?;
        if keys > 0 {
            let in_slot: usize = node
                .cli(&["CLUSTER", "COUNTKEYSINSLOT", slot.trim()])?
                .trim()
                .parse()?;
            assert_eq!(in_slot, keys, "keys outside the prefix's slot");
            holding.push(node.port());
        }
    }
    assert_eq!(holding.len(), 1, "keys on several nodes: {holding:?}");
    assert_ne!(
        holding[0],
        cluster.redis.port(),
        "the slot moved to the first seed"
    );
    Ok(())
}

#[tokio::test]
async fn a_prefix_without_a_hash_tag_is_refused_on_a_cluster() {
    // Refused before connecting: nothing needs to listen there.
    let target = RedisTarget::Cluster {
        seeds: vec!["redis://127.0.0.1:9/".into()],
    };
    let error = RedisStore::connect_to(&target, "sb:", 0)
        .await
        .expect_err("an untagged prefix on a cluster");
    assert!(
        error.to_string().contains("hash tag"),
        "unclear error: {error}"
    );
}

/// A fresh tagged prefix whose slot `seed` does not serve, so the bus's
/// `PUBLISH` (sent to the slot's node) reaches subscribers on `seed` only
/// through the cluster bus.
fn prefix_away_from(seed: &RedisServer, name: &str) -> anyhow::Result<String> {
    for _ in 0..64 {
        let prefix = tagged_prefix(name);
        // Without `-c`, a node redirects (`MOVED`) a key of a slot it does
        // not serve; redis-cli reports that as a failure or prints it.
        match seed.cli(&["GET", &format!("{prefix}probe")]) {
            Ok(reply) if !reply.starts_with("MOVED") => continue,
            _ => return Ok(prefix),
        }
    }
    Err(anyhow::anyhow!(
        "every prefix tried hashed to the seed's slots"
    ))
    .context("picking a prefix")
}
