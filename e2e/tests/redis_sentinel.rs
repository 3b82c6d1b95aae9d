//! Redis behind Sentinel: two relay nodes reach the master through three
//! sentinels, a visitor and an agent chat across them, and the master is
//! killed (SIGKILL) mid-conversation. The sentinels promote a replica, the
//! relays find it on their next reconnect, the chat goes on, and every
//! message a client saw acknowledged is in the store afterwards: the nodes
//! run with `SWITCHBOARD_REDIS_WAIT_REPLICAS=1`, so an acknowledged write
//! was on a replica before the master died (replication alone is
//! asynchronous and could lose it).

use std::time::Duration;

use e2e::chatter::Chatter;
use e2e::cluster::Cluster;
use e2e::fault_chat::{converse, figures, pair};
use e2e::redis_ha::SentinelSet;
use e2e::redis_server::unique_prefix;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sentinel_failover_mid_chat_loses_no_acknowledged_message() -> anyhow::Result<()> {
    let (master, sentinels) = SentinelSet::start()?;
    let old_master = master.port();
    let mut access = sentinels.access(unique_prefix("sentinel"));
    access
        .env
        .push(("SWITCHBOARD_REDIS_WAIT_REPLICAS", "1".into()));
    let cluster = Cluster::start_on(2, master, access).await?;
    let (v, a, conversation) = pair(&cluster, 0, 1).await?;

    // 5 s of traffic each way; the master dies 1.5 s in, so the failover
    // (about 1 s to notice, then the vote and the promotion) falls inside.
    let chat = tokio::spawn(converse(v, a, 50));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    cluster.redis.stop();
    let (v, a) = chat.await??;

    let promoted = sentinels.promoted(old_master)?;
    let mut figures = figures("sentinel_failover", &cluster, &conversation, &[&v, &a]).await?;
    let acked = v.acks.len() + a.acks.len();
    figures.notes.push(format!(
        "master on port {old_master} killed; port {} promoted; {acked} messages acknowledged; \
         longest wait between acknowledgements {:?}",
        promoted.port(),
        longest_pause(&[&v, &a])
    ));
    figures.assert_exactly_once();
    assert_eq!(acked, 100, "every message was acknowledged in the end");
    // The writes after the failover waited for the remaining replica.
    let stats = promoted.cli(&["INFO", "commandstats"])?;
    assert!(
        stats.contains("cmdstat_wait:"),
        "the new master saw no WAIT: {stats}"
    );
    Ok(())
}

/// The longest time no side got an acknowledgement: about how long writes
/// were refused while the sentinels failed over.
fn longest_pause(sides: &[&Chatter]) -> Duration {
    let mut times: Vec<_> = sides
        .iter()
        .flat_map(|s| s.acked_at.iter().copied())
        .collect();
    times.sort();
    times
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default()
}
