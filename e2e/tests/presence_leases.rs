//! Agent presence across nodes, at the store: leases held by two nodes,
//! released one by one, and run out when a node dies without letting go
//! (see `relay::store::redis::presence`). The embedded store has one node
//! only, so letting go always means offline there.

use e2e::cluster_clients::routable_agent;
use e2e::redis_server::{unique_prefix, RedisServer};
use relay::store::redis::RedisStore;
use relay::store::sqlite::SqliteStore;
use relay::store::Store;
use shared::Presence;

async fn presence(store: &dyn Store, agent: &shared::AgentId) -> anyhow::Result<Presence> {
    Ok(store.agent_status(agent).await?.presence)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_presence_lives_as_long_as_some_node_holds_it() -> anyhow::Result<()> {
    let redis = RedisServer::start()?;
    let store = RedisStore::connect(&redis.url(), &unique_prefix("leases")).await?;
    let agent = routable_agent(&store, "a_lease", 2).await?;
    let now = relay::now_ms();
    store
        .hold_presence("n_a", std::slice::from_ref(&agent), now + 15_000)
        .await?;
    store
        .hold_presence("n_b", std::slice::from_ref(&agent), now + 15_000)
        .await?;

    // One node lets go: the other still holds the agent.
    assert!(!store.release_presence("n_a", &agent, now).await?);
    assert_eq!(presence(&store, &agent).await?, Presence::Online);
    // Nothing has run out yet.
    assert!(store.expire_presence(now).await?.is_empty());
    // Node b dies without letting go; once its lease runs out, a sweep
    // sets the agent offline, once.
    assert_eq!(
        store.expire_presence(now + 15_001).await?,
        vec![agent.clone()]
    );
    assert_eq!(presence(&store, &agent).await?, Presence::Offline);
    assert!(store.expire_presence(now + 20_000).await?.is_empty());

    // Back online on node a; the last node letting go sets it offline.
    store
        .set_presence(&agent, Presence::Online, relay::now_ms())
        .await?;
    store
        .hold_presence("n_a", std::slice::from_ref(&agent), now + 30_000)
        .await?;
    assert!(store.release_presence("n_a", &agent, now).await?);
    assert_eq!(presence(&store, &agent).await?, Presence::Offline);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_presence_ends_with_the_nodes_last_socket() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(dir.path(), 16)?;
    let agent = routable_agent(&store, "a_solo", 2).await?;
    let now = relay::now_ms();
    store
        .hold_presence("n_only", std::slice::from_ref(&agent), now + 15_000)
        .await?;
    assert!(store.expire_presence(now + 60_000).await?.is_empty());
    assert_eq!(presence(&store, &agent).await?, Presence::Online);
    assert!(store.release_presence("n_only", &agent, now).await?);
    assert_eq!(presence(&store, &agent).await?, Presence::Offline);
    Ok(())
}
