//! Start-up with a long history: the same conversations and messages
//! written into the journal store of earlier versions (before) and the
//! SQLite store (after), then each opened in a fresh child process
//! (`loadgen open-store`) that reports how long opening took and its
//! resident memory once open (and after reading the newest conversation).
//! The journal store replays everything into memory; SQLite reads nothing
//! until asked.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use relay::store::embedded::EmbeddedStore;
use relay::store::sqlite::SqliteStore;
use relay::store::{NewMessage, Store, VisitorRecord};
use shared::{Author, Role};

use super::Launch;

/// Messages per conversation (a long chat).
const PER_CONVERSATION: usize = 100;
/// Conversations written at once (group commit batches their fsyncs).
const WRITERS: usize = 64;

/// Fills `store` with `messages` messages in conversations of 100.
async fn fill(store: Arc<dyn Store>, messages: usize) -> anyhow::Result<()> {
    let conversations = messages.div_ceil(PER_CONVERSATION);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..WRITERS {
        let (store, next) = (Arc::clone(&store), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                if n >= conversations {
                    return anyhow::Ok(());
                }
                let visitor = VisitorRecord {
                    id: format!("v_{n}").as_str().into(),
                    site: "demo".into(),
                    token_hash: format!("t_{n}"),
                    created_at_ms: relay::now_ms(),
                };
                store.create_visitor(&visitor).await?;
                let (c, _) = store
                    .open_conversation(&visitor, &format!("c_{n}").as_str().into(), relay::now_ms())
                    .await?;
                for i in 0..PER_CONVERSATION {
                    store
                        .append_message(&NewMessage {
                            conversation: c.id.clone(),
                            client_msg_id: format!("m{i}").as_str().into(),
                            author: Author {
                                role: Role::Visitor,
                                agent: None,
                                name: None,
                            },
                            text: format!("message {i} of conversation {n}, about an order"),
                            at_ms: relay::now_ms(),
                            assignee: None,
                            report: None,
                        })
                        .await?;
                }
                store.close_conversation(&c.id, relay::now_ms()).await?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// `loadgen open-store`: opens the store in `dir` and prints one line.
pub async fn open_and_report(kind: &str, dir: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let store: Arc<dyn Store> = match kind {
        "journal" => Arc::new(EmbeddedStore::open(dir)?),
        _ => Arc::new(SqliteStore::open(
            dir,
            relay::store::sqlite::DEFAULT_CACHE_MB,
        )?),
    };
    let opened = started.elapsed();
    let rss_open = super::super::procs::ProcSample::own()?.rss_bytes;
    let history = store.messages_after(&"c_0".into(), 0, 100).await?;
    let rss_read = super::super::procs::ProcSample::own()?.rss_bytes;
    println!(
        "opened {kind} {:.0} ms rss_open {} rss_read {} read {}",
        opened.as_secs_f64() * 1000.0,
        rss_open,
        rss_read,
        history.len()
    );
    Ok(())
}

/// Both stores with `messages` messages: fill, then open in a child.
pub async fn startup(launch: &Launch, messages: usize) -> anyhow::Result<String> {
    let mut out = format!(
        "### Start-up with {messages} stored messages\n\n\
         | store | fill time | data on disk | open time | RSS once open | RSS after a read |\n\
         | --- | --- | --- | --- | --- | --- |\n"
    );
    for kind in ["journal", "sqlite"] {
        let data = match &launch.data_parent {
            Some(parent) => tempfile::tempdir_in(parent)?,
            None => tempfile::tempdir()?,
        };
        let started = Instant::now();
        {
            let store: Arc<dyn Store> = match kind {
                "journal" => Arc::new(EmbeddedStore::open(data.path())?),
                _ => Arc::new(SqliteStore::open(
                    data.path(),
                    relay::store::sqlite::DEFAULT_CACHE_MB,
                )?),
            };
            fill(store, messages).await?;
        }
        let fill_time = started.elapsed();
        let disk: u64 = std::fs::read_dir(data.path())?
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        let report = Command::new(std::env::current_exe()?)
            .args(["open-store", "--store", kind, "--dir"])
            .arg(data.path())
            .output()?;
        let line = String::from_utf8_lossy(&report.stdout).into_owned();
        let fields: Vec<&str> = line.split_whitespace().collect();
        let mib = |s: &str| s.parse::<f64>().unwrap_or(0.0) / 1048576.0;
        anyhow::ensure!(
            fields.len() >= 9,
            "open-store said: {line} {}",
            String::from_utf8_lossy(&report.stderr)
        );
        writeln!(
            out,
            "| {kind} | {:.1} s | {:.0} MiB | {} ms | {:.0} MiB | {:.0} MiB |",
            fill_time.as_secs_f64(),
            disk as f64 / 1048576.0,
            fields[2],
            mib(fields[5]),
            mib(fields[7]),
        )?;
    }
    Ok(out)
}
