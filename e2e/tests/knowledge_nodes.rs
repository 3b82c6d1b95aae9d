//! Every node keeps its own search index current: an article an admin
//! saves, renames or deletes on one node is found (or no longer found) by
//! a visitor searching on another, and a node started later builds its
//! index from the store.

use std::time::Duration;

use e2e::client::Client;
use e2e::cluster::Cluster;
use e2e::cluster_clients::admin_on;
use e2e::kb;
use shared::ServerFrame;
use tokio::time::Instant;

/// Searches until the answer is `expected` (events cross nodes in
/// milliseconds; this bounds the wait at 10 s).
async fn until_found(visitor: &mut Client, query: &str, expected: &[&str]) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = kb::visitor_search(visitor, query, Some("en")).await?;
        if found == expected {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "{query:?}: still {found:?}, expected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn visitor(cluster: &Cluster, node: usize) -> anyhow::Result<Client> {
    let mut visitor = Client::visitor(cluster.addr(node), "demo", Some(&cluster.origin())).await?;
    visitor.visitor_hello(None, vec![]).await?;
    Ok(visitor)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn articles_saved_on_one_node_are_searched_on_another() -> anyhow::Result<()> {
    let mut cluster = Cluster::start("kb_nodes", 2, false).await?;
    let (mut admin, _) = admin_on(&cluster, 0).await?;
    let mut elsewhere = visitor(&cluster, 1).await?;

    let saved = kb::save(
        &mut admin,
        kb::draft("demo", "en", "Shipping to Norway", "Parcels take a week."),
    )
    .await?;
    until_found(&mut elsewhere, "norway", &["Shipping to Norway"]).await?;

    let mut renamed = kb::draft(
        "demo",
        "en",
        "Shipping to Iceland",
        "Parcels take two weeks.",
    );
    renamed.id = Some(saved.id.clone());
    kb::save(&mut admin, renamed).await?;
    until_found(&mut elsewhere, "iceland", &["Shipping to Iceland"]).await?;
    until_found(&mut elsewhere, "norway", &[]).await?;

    // A node that was down while articles changed reads them at start.
    cluster.kill(1);
    kb::save(
        &mut admin,
        kb::draft("demo", "en", "Gift cards", "They never expire."),
    )
    .await?;
    cluster.restart(1).await?;
    let mut restarted = visitor(&cluster, 1).await?;
    until_found(&mut restarted, "gift", &["Gift cards"]).await?;

    admin
        .send(&shared::AgentFrame::DeleteArticle {
            site: "demo".into(),
            article: saved.id,
        })
        .await?;
    admin
        .recv_until(|f| matches!(f, ServerFrame::ArticleDeleted { .. }))
        .await?;
    until_found(&mut restarted, "iceland", &[]).await?;
    Ok(())
}
