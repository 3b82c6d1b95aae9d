//! Moving a data directory written by the journal store of earlier
//! versions (`journal.jsonl`) into the database, once, on first open: the
//! journal is replayed and its state written in one transaction that also
//! records the import (`meta`), and only then is the journal deleted (it
//! would otherwise keep copies of data erased later). A crash between the
//! two leaves the mark, so the next open only finishes the deletion.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::worker::sql;
use crate::store::embedded::handover::{self, JOURNAL_FILE};
use crate::store::{StoreError, StoreResult};

const MARK: &str = "journal_imported_at_ms";

/// Imports `dir`'s journal if there is one.
pub(super) fn from_journal(dir: &Path, conn: &mut Connection) -> StoreResult<()> {
    let journal = dir.join(JOURNAL_FILE);
    if !journal.exists() {
        return Ok(());
    }
    let marked: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [MARK], |r| {
            r.get(0)
        })
        .optional()
        .map_err(sql)?;
    if marked.is_none() {
        let holds_data: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sites) OR EXISTS (SELECT 1 FROM agents)",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        if holds_data {
            return Err(StoreError::Backend(format!(
                "{} holds both a journal of an earlier version and a database with data; \
                 move one of them away",
                dir.display()
            )));
        }
        let tx = conn.transaction().map_err(sql)?;
        handover::import(&journal, &tx)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            params![MARK, crate::now_ms().to_string()],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        tracing::info!(journal = %journal.display(), "imported the journal of an earlier version");
    }
    std::fs::remove_file(&journal)
        .map_err(|e| StoreError::Backend(format!("remove {}: {e}", journal.display())))?;
    Ok(())
}
