//! Copies the write-ahead log into the database file off the writer's
//! thread. SQLite's automatic checkpoint runs inside the commit that takes
//! the log past its threshold, so every few hundred batches one batch of
//! callers waited for a thousand-page copy and an fsync of the database
//! file (at 5,000 msg/s, a relay with no checkpoint at all had half the
//! p99; BENCHMARKS.md, "Background checkpoint"). Here a second
//! connection does the copy in the background (a PASSIVE checkpoint never
//! blocks the writer). The log only starts over from its beginning once
//! every page in it is copied at the start of a write, which a busy writer
//! may never let the background copy reach; so past a hard bound the
//! writer waits for the background copy in progress (if any), then
//! checkpoints itself, and finds little left to copy.

use std::ffi::c_int;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex, PoisonError};

use rusqlite::hooks::Wal;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, DEFAULT_NAME};

use super::schema;
use super::worker::sql;
use crate::store::{StoreError, StoreResult};

/// When the log is worth copying (SQLite's own automatic threshold), and
/// when the writer stops waiting for the background copy, in pages.
#[derive(Debug, Clone, Copy)]
pub(super) struct Thresholds {
    pub(super) background: c_int,
    pub(super) writer: c_int,
}

pub(super) const THRESHOLDS: Thresholds = Thresholds {
    background: 1_000,
    writer: 4_000,
};

/// Page cache of the checkpointing connection: it copies pages, it does
/// not keep them.
const CHECKPOINTER_CACHE_KIB: u64 = 1_024;

/// Starts the background checkpointer for the database at `path` and
/// hooks `writer`'s commits to it (which replaces the writer's automatic
/// checkpoint). The checkpointer stops once `writer` is closed.
pub(super) fn in_background(
    writer: &mut Connection,
    path: &Path,
    at: Thresholds,
) -> StoreResult<()> {
    let copier = Connection::open(path).map_err(sql)?;
    schema::configure(&copier, CHECKPOINTER_CACHE_KIB)?;
    // One pending nudge is enough: a checkpoint copies the whole log.
    let (nudge, nudged) = mpsc::sync_channel::<()>(1);
    // Held while a checkpoint runs: SQLite lets one run at a time and
    // answers a second "busy" at once, where the writer has to wait.
    let running = Arc::new(Mutex::new(()));
    let copying = Arc::clone(&running);
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while nudged.recv().is_ok() {
                let _one = copying.lock().unwrap_or_else(PoisonError::into_inner);
                if let Err(e) = copier.wal_checkpoint_v2(DEFAULT_NAME, CheckpointMode::PASSIVE) {
                    tracing::warn!(error = %sql(e), "background checkpoint failed");
                }
            }
        })
        .map_err(|e| StoreError::Backend(format!("start the checkpoint thread: {e}")))?;
    let hook = move |wal: &mut Wal, pages: c_int| {
        if pages >= at.writer {
            let _one = running.lock().unwrap_or_else(PoisonError::into_inner);
            // Only a reader beside the relay (a backup) can hold it back.
            if let Err(e) = wal.checkpoint_v2(CheckpointMode::PASSIVE) {
                tracing::warn!(error = %sql(e), "writer checkpoint failed");
            }
        } else if pages >= at.background {
            let _ = nudge.try_send(());
        }
        // An error here would fail a commit that has already happened.
        Ok(())
    };
    writer.wal_hook(Some(hook)).map_err(sql)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    const PAGE: u64 = 4_096;

    fn writer(dir: &Path, at: Thresholds) -> Connection {
        let path = dir.join("t.db");
        let mut conn = Connection::open(&path).unwrap();
        schema::configure(&conn, 1_024).unwrap();
        conn.execute_batch("CREATE TABLE t (blob BLOB)").unwrap();
        in_background(&mut conn, &path, at).unwrap();
        conn
    }

    /// One commit of about `pages` pages of new rows.
    fn commit(conn: &Connection, pages: u64) {
        let tx = conn.unchecked_transaction().unwrap();
        for _ in 0..pages {
            tx.execute("INSERT INTO t (blob) VALUES (zeroblob(3900))", [])
                .unwrap();
        }
        tx.commit().unwrap();
    }

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    fn size(path: &Path) -> u64 {
        std::fs::metadata(path).map_or(0, |m| m.len())
    }

    #[test]
    fn the_log_is_copied_into_the_database_without_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let at = Thresholds {
            background: 100,
            writer: 100_000,
        };
        let conn = writer(dir.path(), at);
        commit(&conn, 300);
        // The writer never checkpoints below its bound, so only the
        // background copy can fill the database file.
        let deadline = Instant::now() + Duration::from_secs(30);
        while size(&dir.path().join("t.db")) < 250 * PAGE {
            assert!(Instant::now() < deadline, "the log was never copied");
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(rows(&conn), 300);
    }

    #[test]
    fn a_busy_writer_keeps_the_log_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let at = Thresholds {
            background: 50,
            writer: 200,
        };
        let conn = writer(dir.path(), at);
        let wal = dir.path().join("t.db-wal");
        let mut largest = 0;
        for _ in 0..300 {
            commit(&conn, 10);
            largest = largest.max(size(&wal));
        }
        // 3,000 pages written; the log restarts past the bound, so it
        // holds at most the bound and one commit (and their headers).
        assert!(largest > 0, "the log was never written");
        assert!(
            largest <= (200 + 2 * 12) * (PAGE + 24) + 32,
            "the log grew to {largest} bytes"
        );
        assert_eq!(rows(&conn), 3_000);
    }
}
