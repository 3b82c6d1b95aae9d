//! The embedded store as an operator meets it, through a real relay
//! process: `kill -9` in the middle of traffic loses no acknowledged
//! message, and `switchboard backup` taken while visitors chat restores
//! (`switchboard restore`) into a fresh directory as a consistent
//! snapshot holding everything acknowledged before it began.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use e2e::client::Client;
use e2e::embedded_process::EmbeddedProcess;
use relay::store::sqlite::SqliteStore;
use relay::store::Store;
use shared::ConversationId;

/// Visitors chatting at once, and messages each sends at most.
const VISITORS: usize = 4;
const MESSAGES: usize = 400;

/// What the relay acknowledged: (conversation, seq, text).
type Acked = Arc<Mutex<Vec<(ConversationId, u64, String)>>>;

/// Starts `VISITORS` visitors sending until `stop` or an error (the relay
/// died); every acknowledged message goes into the returned list.
async fn traffic(
    node: &EmbeddedProcess,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<(Acked, Vec<tokio::task::JoinHandle<()>>)> {
    let acked: Acked = Arc::default();
    let mut tasks = Vec::new();
    for v in 0..VISITORS {
        let mut visitor = Client::demo_visitor(node.addr()).await?;
        visitor.visitor_hello(None, vec![]).await?;
        let conversation = visitor.start().await?.id;
        let (acked, stop) = (Arc::clone(&acked), Arc::clone(&stop));
        tasks.push(tokio::spawn(async move {
            for i in 0..MESSAGES {
                if stop.load(Ordering::Acquire) {
                    break;
                }
                let text = format!("visitor {v} message {i}");
                match visitor
                    .visitor_say(&conversation, &format!("m{i}"), &text)
                    .await
                {
                    Ok(seq) => acked
                        .lock()
                        .unwrap()
                        .push((conversation.clone(), seq, text)),
                    Err(_) => break,
                }
            }
        }));
    }
    Ok((acked, tasks))
}

/// Waits until at least `n` messages are acknowledged.
async fn until_acked(acked: &Acked, n: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < n {
        assert!(tokio::time::Instant::now() < deadline, "traffic stalled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Every acknowledged message is stored with its seq and text.
async fn all_stored(store: &dyn Store, acked: &[(ConversationId, u64, String)]) {
    for (conversation, seq, text) in acked {
        let stored = store
            .messages_after(conversation, seq - 1, 1)
            .await
            .unwrap();
        assert_eq!(
            stored.first().map(|m| (m.seq, m.text.as_str())),
            Some((*seq, text.as_str())),
            "acknowledged message {conversation}#{seq} lost"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_under_traffic_loses_nothing_acknowledged() -> anyhow::Result<()> {
    let mut node = EmbeddedProcess::start().await?;
    let (acked, tasks) = traffic(&node, Arc::new(AtomicBool::new(false))).await?;
    until_acked(&acked, 200).await;
    node.kill();
    for task in tasks {
        task.await?;
    }
    let acked = acked.lock().unwrap().clone();
    let store = SqliteStore::open(&node.data(), 16)?;
    all_stored(&store, &acked).await;
    drop(store);
    // And the relay starts again on what it left.
    node.restart().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_traffic_restores_a_consistent_snapshot() -> anyhow::Result<()> {
    let node = EmbeddedProcess::start().await?;
    let stop = Arc::new(AtomicBool::new(false));
    let (acked, tasks) = traffic(&node, Arc::clone(&stop)).await?;
    until_acked(&acked, 100).await;
    let before: Vec<_> = acked.lock().unwrap().clone();
    let backup = node.scratch("backup.db");
    node.subcommand(&[Path::new("backup"), &backup])?;
    stop.store(true, Ordering::Release);
    for task in tasks {
        task.await?;
    }
    let restored = node.scratch("restored");
    let out = std::process::Command::new(e2e::cluster::switchboard_binary()?)
        .arg("restore")
        .arg(&backup)
        .env("SWITCHBOARD_DATA", &restored)
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = SqliteStore::open(&restored, 16)?;
    all_stored(&store, &before).await;
    // A snapshot: each conversation holds seqs 1..=n with no gap.
    let conversations: std::collections::BTreeSet<_> =
        before.iter().map(|(c, _, _)| c.clone()).collect();
    for conversation in conversations {
        let stored = store.messages_after(&conversation, 0, 10_000).await?;
        let seqs: Vec<u64> = stored.iter().map(|m| m.seq).collect();
        let expected: Vec<u64> = (1..=seqs.len() as u64).collect();
        assert_eq!(seqs, expected, "{conversation}");
        let record = store.conversation(&conversation).await?.unwrap();
        assert_eq!(record.last_seq, seqs.len() as u64, "{conversation}");
    }
    // A backup is never written over, and a damaged file is not restored.
    assert!(node.subcommand(&[Path::new("backup"), &backup]).is_err());
    let junk = node.scratch("junk.db");
    std::fs::write(&junk, b"not a database at all, just bytes")?;
    let refused = std::process::Command::new(e2e::cluster::switchboard_binary()?)
        .arg("restore")
        .arg(&junk)
        .env("SWITCHBOARD_DATA", node.scratch("never"))
        .output()?;
    assert!(!refused.status.success());
    Ok(())
}
