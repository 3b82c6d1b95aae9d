//! [`RetentionStore`] for [`SqliteStore`] (the rules are in
//! `store::retention`): each batch is one worker call of plain `DELETE`s
//! whose candidates come from a partial index holding only them (closed
//! conversations by `closed_at_ms`, contact-less visitors by
//! `created_at_ms`, sessions by expiry; see `schema`), so a batch reads
//! what it deletes and little else, however large the history. A closed
//! conversation's report fact keys go with it (the sums stay).

use async_trait::async_trait;
use rusqlite::{params, Connection};

use super::worker::sql;
use super::{to_sql, SqliteStore};
use crate::store::{RetentionStore, StoreResult};

/// The batch of closed conversations to delete, oldest closed first.
const CLOSED: &str = "SELECT id FROM conversations
  WHERE status = 'closed' AND closed_at_ms < ?1 ORDER BY closed_at_ms, id LIMIT ?2";

/// The batch of visitors to delete: no contact, no conversation.
const ANONYMOUS: &str = "SELECT v.id FROM visitors v
  WHERE v.contact IS NULL AND v.created_at_ms < ?1
    AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.visitor = v.id)
  ORDER BY v.created_at_ms, v.id LIMIT ?2";

/// The batch of expired sessions to delete.
const EXPIRED: &str = "SELECT token_hash FROM sessions
  WHERE expires_at_ms < ?1 ORDER BY expires_at_ms LIMIT ?2";

/// Runs `DELETE FROM {table} WHERE {column} IN ({batch})`; returns the
/// rows deleted.
fn delete_in(
    conn: &Connection,
    table: &str,
    column: &str,
    batch: &str,
    before_ms: u64,
    max: usize,
) -> StoreResult<usize> {
    let max = i64::try_from(max).unwrap_or(i64::MAX);
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE {column} IN ({batch})"))
        .map_err(sql)?
        .execute(params![to_sql(before_ms), max])
        .map_err(sql)
}

/// One batch of closed conversations. Their messages and report fact keys
/// go first, while the batch still names their conversations; the dedupe
/// index goes with the rows, and the visitor's list is the conversations
/// of that visitor.
fn delete_closed(conn: &Connection, before_ms: u64, max: usize) -> StoreResult<usize> {
    delete_in(conn, "messages", "conversation", CLOSED, before_ms, max)?;
    forget_facts(conn, before_ms, max)?;
    delete_in(conn, "conversations", "id", CLOSED, before_ms, max)
}

/// Deletes the report fact keys of the batch's conversations (those keyed
/// `{conversation}:…`, one per message among them): once a conversation
/// is gone no step records its facts again, and the sums they added
/// stay. (Redis lets such keys expire instead.)
fn forget_facts(conn: &Connection, before_ms: u64, max: usize) -> StoreResult<()> {
    let limit = i64::try_from(max).unwrap_or(i64::MAX);
    let batch: Vec<(String, String)> = conn
        .prepare_cached(&format!(
            "SELECT id, site FROM conversations WHERE id IN ({CLOSED})"
        ))
        .map_err(sql)?
        .query_map(params![to_sql(before_ms), limit], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(sql)?
        .collect::<Result<_, _>>()
        .map_err(sql)?;
    let mut forget = conn
        .prepare_cached("DELETE FROM report_facts WHERE site = ?1 AND key >= ?2 AND key < ?3")
        .map_err(sql)?;
    for (id, site) in batch {
        // `;` sorts right after `:`: the range is exactly `{id}:…`.
        forget
            .execute(params![site, format!("{id}:"), format!("{id};")])
            .map_err(sql)?;
    }
    Ok(())
}

#[async_trait]
impl RetentionStore for SqliteStore {
    async fn delete_closed_conversations(
        &self,
        closed_before_ms: u64,
        max: usize,
    ) -> StoreResult<usize> {
        self.call(move |c| delete_closed(c, closed_before_ms, max))
            .await
    }

    async fn delete_anonymous_visitors(
        &self,
        created_before_ms: u64,
        max: usize,
    ) -> StoreResult<usize> {
        // The token index is the row's own unique column: it goes too.
        self.call(move |c| delete_in(c, "visitors", "id", ANONYMOUS, created_before_ms, max))
            .await
    }

    async fn delete_expired_sessions(
        &self,
        expired_before_ms: u64,
        max: usize,
    ) -> StoreResult<usize> {
        self.call(move |c| delete_in(c, "sessions", "token_hash", EXPIRED, expired_before_ms, max))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::schema;

    /// What SQLite plans for `query`, one line per step.
    fn plan(conn: &Connection, query: &str) -> String {
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
            .unwrap();
        let steps = stmt
            .query_map(params![0, 10], |r| r.get::<_, String>(3))
            .unwrap();
        steps.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn a_deleted_conversation_takes_its_report_fact_keys() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::prepare(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO conversations (id, site, visitor, status, last_seq, created_at_ms,
               closed_at_ms, version) VALUES
               ('c1', 's', 'v', 'closed', 0, 5, 10, 2),
               ('c12', 's', 'v', 'closed', 0, 5, 99, 2);
             INSERT INTO report_facts (site, key, hour_ms) VALUES
               ('s', 'c1:opened', 0), ('s', 'c1:msg:7', 0), ('s', 'c12:opened', 0),
               ('s', 'item:c1', 0), ('t', 'c1:opened', 0);",
        )
        .unwrap();
        assert_eq!(delete_closed(&conn, 50, 10).unwrap(), 1);
        let mut keys: Vec<String> = conn
            .prepare("SELECT site || ' ' || key FROM report_facts ORDER BY 1")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        keys.sort();
        assert_eq!(keys, ["s c12:opened", "s item:c1", "t c1:opened"]);
        let left: i64 = conn
            .query_row("SELECT COUNT(*) FROM conversations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1);
    }

    /// A sweep must not read every row of a table to find a few old ones.
    #[test]
    fn each_batch_is_found_through_its_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::prepare(&mut conn).unwrap();
        for (query, index) in [
            (CLOSED, "conversations_closed"),
            (ANONYMOUS, "visitors_anonymous"),
            (EXPIRED, "sessions_by_expiry"),
        ] {
            let plan = plan(&conn, query);
            assert!(plan.contains(index), "{index} unused:\n{plan}");
            let scans = plan.lines().filter(|step| step.starts_with("SCAN"));
            assert!(scans.clone().all(|step| step.contains("INDEX")), "{plan}");
        }
    }
}
