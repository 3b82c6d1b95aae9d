//! `switchboard backup` and `switchboard restore` for the embedded store,
//! on SQLite's online backup API: a backup is a consistent snapshot taken
//! beside a running relay (the write-ahead log lets it read while the
//! relay writes); a restore checks the backup whole — SQLite's integrity
//! check and the store format — before it replaces anything.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::schema::FORMAT_VERSION;
use super::worker::sql;
use super::{claim, DB_FILE};
use crate::store::{StoreError, StoreResult};

/// Pages copied per step; between steps the relay's writes go on.
const PAGES_PER_STEP: std::ffi::c_int = 256;

/// Copies the store in `data_dir` to the new file `dest`.
pub fn backup(data_dir: &Path, dest: &Path) -> StoreResult<()> {
    if dest.exists() {
        return Err(StoreError::Conflict("the backup file exists already"));
    }
    let source = data_dir.join(DB_FILE);
    if !source.exists() {
        return Err(StoreError::Backend(format!(
            "no store at {} (is SWITCHBOARD_DATA right?)",
            source.display()
        )));
    }
    let from =
        Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql)?;
    from.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
    let mut to = Connection::open(dest).map_err(sql)?;
    copy(&from, &mut to)?;
    check(&to, dest)
}

/// Replaces the store in `data_dir` with the backup `src`. The relay must
/// be stopped (it holds the directory).
pub fn restore(src: &Path, data_dir: &Path) -> StoreResult<()> {
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql)?;
    check(&from, src)?;
    std::fs::create_dir_all(data_dir)
        .map_err(|e| StoreError::Backend(format!("create {}: {e}", data_dir.display())))?;
    let _lock = claim(data_dir)?;
    let target = data_dir.join(DB_FILE);
    let mut to = Connection::open(&target).map_err(sql)?;
    copy(&from, &mut to)?;
    check(&to, &target)?;
    tracing::info!(from = %src.display(), into = %target.display(), "store restored");
    Ok(())
}

fn copy(from: &Connection, to: &mut Connection) -> StoreResult<()> {
    let step = rusqlite::backup::Backup::new(from, to).map_err(sql)?;
    step.run_to_completion(PAGES_PER_STEP, Duration::from_millis(5), None)
        .map_err(sql)
}

/// Refuses a file that is damaged, not a store, or from a newer version.
fn check(conn: &Connection, path: &Path) -> StoreResult<()> {
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(sql)?;
    if verdict != "ok" {
        return Err(StoreError::Corrupt(format!(
            "{}: {verdict}",
            path.display()
        )));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    if !(1..=FORMAT_VERSION).contains(&version) {
        return Err(StoreError::Corrupt(format!(
            "{} is not a Switchboard store this relay reads (format {version}, \
             this relay reads 1 to {FORMAT_VERSION})",
            path.display()
        )));
    }
    Ok(())
}
