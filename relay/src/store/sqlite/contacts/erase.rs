//! Erasing a contact from the SQLite store (the rules are in
//! `store::erasure`), step for step as the embedded store's
//! `contact_erase` and `redis/lua/erase_contact.lua`, and the audit log
//! that records it. One worker call, so nobody reads half an erasure.
//!
//! Deleting rows is not enough for "no copy is left": SQLite keeps deleted
//! content in free space and older pages in the write-ahead log.
//! `schema::configure` sets `secure_delete` (deleted content is zeroed),
//! and the erasure's call truncates the log once committed (see
//! `worker`), so no byte of the erased data is left in the data directory
//! when the call returns.

use rusqlite::{params, Connection};
use shared::{Author, ContactId, Role, SiteId};

use super::super::worker::sql;
use super::super::{from_json, from_sql, to_json};
use super::{index_name, sql_limit, survivor, texts};
use crate::store::erasure::{AuditEntry, Erased, ErasedCounts, ERASED_TEXT};
use crate::store::{StoreError, StoreResult};

/// Every record merged into the live `id`, directly or through a chain
/// of merges (each forwarding record names the one it went into), sorted.
fn merged_records(conn: &Connection, id: &ContactId) -> StoreResult<Vec<String>> {
    texts(
        conn,
        "WITH RECURSIVE merged(id) AS (
           SELECT id FROM contacts WHERE merged_into = ?1
           UNION SELECT c.id FROM contacts c JOIN merged m ON c.merged_into = m.id
         ) SELECT id FROM merged ORDER BY id",
        [id.as_str()],
    )
}

fn count(conn: &Connection, query: &'static str, id: &str) -> StoreResult<usize> {
    conn.prepare_cached(query)
        .map_err(sql)?
        .query_row([id], |r| r.get::<_, i64>(0))
        .map(|n| usize::try_from(from_sql(n)).unwrap_or(usize::MAX))
        .map_err(sql)
}

/// Replaces every message's text in the conversation with
/// [`ERASED_TEXT`] and drops a visitor author's name; returns how many.
/// A satisfaction rating keeps its number (reports count it) and loses
/// its comment, the customer's own words.
fn redact(conn: &Connection, conversation: &str) -> StoreResult<usize> {
    conn.prepare_cached(
        "UPDATE conversations SET csat = json_remove(csat, '$.comment')
           WHERE id = ?1 AND csat IS NOT NULL",
    )
    .and_then(|mut s| s.execute([conversation]))
    .map_err(sql)?;
    let messages: Vec<(i64, String)> = conn
        .prepare_cached("SELECT seq, author FROM messages WHERE conversation = ?1")
        .map_err(sql)?
        .query_map([conversation], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql)?
        .collect::<Result<_, _>>()
        .map_err(sql)?;
    let mut update = conn
        .prepare_cached(
            "UPDATE messages SET text = ?3, author = ?4 WHERE conversation = ?1 AND seq = ?2",
        )
        .map_err(sql)?;
    for (seq, author) in &messages {
        let mut author: Author = from_json(author)?;
        if author.role == Role::Visitor {
            author.name = None;
        }
        update
            .execute(params![conversation, seq, ERASED_TEXT, to_json(&author)?])
            .map_err(sql)?;
    }
    Ok(messages.len())
}

/// Erases the contact `contact` of `site` (following merges); `NotFound`
/// if there is no such contact on the site.
pub(super) fn erase(
    conn: &Connection,
    site: &SiteId,
    contact: &ContactId,
    by: &str,
    at_ms: u64,
) -> StoreResult<Erased> {
    let id = survivor(conn, contact.as_str())?
        .filter(|found| found.site == *site)
        .ok_or(StoreError::NotFound)?
        .id;
    let mut records = merged_records(conn, &id)?;
    let visitors = texts(
        conn,
        "SELECT id FROM visitors WHERE contact = ?1 ORDER BY id",
        [id.as_str()],
    )?;
    let mut erased = Erased {
        contact: id.clone(),
        records: records.len() + 1,
        timeline_items: count(
            conn,
            "SELECT COUNT(*) FROM timeline WHERE contact = ?1",
            id.as_str(),
        )?,
        visitors_unlinked: visitors.len(),
        conversations: 0,
        messages_redacted: 0,
    };
    for visitor in &visitors {
        let conversations = texts(
            conn,
            "SELECT id FROM conversations WHERE visitor = ?1 ORDER BY created_at_ms, id",
            [visitor.as_str()],
        )?;
        for conversation in &conversations {
            erased.messages_redacted += redact(conn, conversation)?;
        }
        erased.conversations += conversations.len();
    }
    conn.prepare_cached("UPDATE visitors SET contact = NULL, proven = 0 WHERE contact = ?1")
        .map_err(sql)?
        .execute([id.as_str()])
        .map_err(sql)?;
    index_name(conn, id.as_str(), false)?;
    // A merge leaves a forwarding record nothing but `merged_into`, but
    // every record's rows go all the same: nothing of theirs may be left.
    records.push(id.to_string());
    let removals: [&str; 5] = [
        "DELETE FROM identities WHERE contact = ?1",
        "DELETE FROM attributes WHERE contact = ?1",
        // With the rows go their external-id and case index entries.
        "DELETE FROM timeline WHERE contact = ?1",
        "DELETE FROM proposals WHERE from_contact = ?1 OR into_contact = ?1",
        "DELETE FROM contacts WHERE id = ?1",
    ];
    for record in &records {
        for step in removals {
            conn.prepare_cached(step)
                .map_err(sql)?
                .execute([record.as_str()])
                .map_err(sql)?;
        }
    }
    conn.prepare_cached("INSERT INTO audit (site, body) VALUES (?1, ?2)")
        .map_err(sql)?
        .execute(params![site.as_str(), to_json(&erased.audit(by, at_ms))?])
        .map_err(sql)?;
    Ok(erased)
}

/// The site's audit log, newest first, at most `limit` entries.
pub(super) fn audit_log(
    conn: &Connection,
    site: &SiteId,
    limit: usize,
) -> StoreResult<Vec<AuditEntry>> {
    let bodies = texts(
        conn,
        "SELECT body FROM audit WHERE site = ?1 ORDER BY seq DESC LIMIT ?2",
        params![site.as_str(), sql_limit(limit)],
    )?;
    bodies.iter().map(|b| from_json(b)).collect()
}
