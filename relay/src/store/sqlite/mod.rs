//! The default store: SQLite in the data directory (`DATA/switchboard.db`,
//! write-ahead log beside it), durable on one node with nothing to
//! install. Data lives on disk; memory is the page cache
//! ([`SqliteStore::open`]'s `cache_mb`), whatever the history's length,
//! and opening does not replay anything.
//!
//! One thread owns the connection ([`worker`]): every call is a closure
//! run in a savepoint of a transaction it shares with the calls waiting
//! beside it, and is answered only once that transaction is committed
//! (group commit: one WAL fsync per batch); [`checkpoint`] copies the log
//! into the database file on a second thread. Each call is atomic; a check
//! and the write it guards are in one call. [`schema`] holds the tables
//! and the format version; [`import`] moves a data directory written by
//! the journal store of earlier versions into the database on first open.
//!
//! Agent presence is live state: everyone is offline after a restart.

pub mod backup;
mod chats;
mod checkpoint;
mod codec;
mod contacts;
mod core;
mod csat;
mod import;
mod knowledge;
mod queue;
mod reopen;
mod reports;
mod retention;
pub mod schema;
mod store_trait;
mod worker;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};

use self::worker::{sql, Worker};
use crate::store::{StoreError, StoreResult};

/// The database file in the data directory.
pub const DB_FILE: &str = "switchboard.db";

/// Page cache when no setting says otherwise.
pub const DEFAULT_CACHE_MB: u64 = 64;

/// Row helpers for the journal store's hand-over (`embedded::handover`).
pub(crate) mod rows {
    pub(crate) use super::to_json as json;
    pub(crate) use super::to_sql;
    pub(crate) use super::worker::sql;
}

/// The SQLite store. Cheap to clone.
/// Prepared statements kept per connection: more than the store has.
const STATEMENT_CACHE: usize = 256;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    worker: Worker,
    path: PathBuf,
    sign_ins: std::sync::Arc<crate::store::sign_ins::FailureCounts>,
    /// Held while any clone lives: one relay per data directory.
    _lock: std::sync::Arc<std::fs::File>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir`, migrating an older
    /// format and importing a journal left by an earlier version. Fails if
    /// the file is damaged, from a newer version, or in use by another
    /// relay.
    pub fn open(dir: &Path, cache_mb: u64) -> StoreResult<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Backend(format!("create {}: {e}", dir.display())))?;
        let lock = claim(dir)?;
        let path = dir.join(DB_FILE);
        let mut conn = Connection::open(&path).map_err(sql)?;
        schema::configure(&conn, cache_mb.saturating_mul(1024))?;
        // rusqlite keeps 16 prepared statements by default; the relay runs
        // more than that in rotation, so each miss parsed its SQL again.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        schema::prepare(&mut conn)?;
        import::from_journal(dir, &mut conn)?;
        // Presence is live: nobody is online before they connect again,
        // and a restart counts as a sighting of every open conversation's
        // visitor (one statement per status, so each can use that
        // status's partial index instead of reading every conversation).
        let now = to_sql(crate::now_ms());
        conn.execute_batch(&format!(
            "UPDATE agents SET presence = 'offline';
             UPDATE conversations SET visitor_seen_ms = {now} WHERE status = 'waiting';
             UPDATE conversations SET visitor_seen_ms = {now} WHERE status = 'assigned';"
        ))
        .map_err(sql)?;
        checkpoint::in_background(&mut conn, &path, checkpoint::THRESHOLDS)?;
        tracing::info!(path = %path.display(), "embedded store opened");
        Ok(Self {
            worker: Worker::start(conn)?,
            path,
            sign_ins: std::sync::Arc::default(),
            _lock: std::sync::Arc::new(lock),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn call<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.worker.call(f).await
    }
}

/// Takes the data directory's lock file: a second relay on the same
/// directory would route the same queue twice.
pub(super) fn claim(dir: &Path) -> StoreResult<std::fs::File> {
    let path = dir.join("LOCK");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StoreError::Backend(format!("open {}: {e}", path.display())))?;
    lock.try_lock().map_err(|_| {
        StoreError::Backend(format!(
            "data dir {} is in use by another switchboard process",
            dir.display()
        ))
    })?;
    Ok(lock)
}

/// Unix milliseconds and counters as SQLite integers (all far below
/// `i64::MAX`; a value beyond it is clamped rather than wrapped).
pub(crate) fn to_sql(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A stored integer back as `u64` (never negative as stored).
pub(super) fn from_sql(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A record kept whole as JSON.
pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A JSON record read back; damage is `Corrupt`, never skipped.
pub(super) fn from_json<T: DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("stored record: {e}")))
}

/// One optional row's JSON `body`, decoded.
pub(super) fn body<T: DeserializeOwned>(
    conn: &Connection,
    query: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Option<T>> {
    let text: Option<String> = conn
        .prepare_cached(query)
        .map_err(sql)?
        .query_row(params, |r| r.get(0))
        .optional()
        .map_err(sql)?;
    text.as_deref().map(from_json).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_file_is_reported_not_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DB_FILE), vec![0x5a; 8192]).unwrap();
        let err = SqliteStore::open(dir.path(), 1).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    }

    #[test]
    fn one_relay_per_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let _first = SqliteStore::open(dir.path(), 1).unwrap();
        let err = SqliteStore::open(dir.path(), 1).unwrap_err().to_string();
        assert!(err.contains("in use"), "{err}");
    }
}
