//! The embedded database's tables and its format version. The version is
//! SQLite's `user_version`: a new file gets the current schema; an older
//! one is migrated step by step in one transaction; a newer one (written
//! by a later Switchboard) is refused with a clear message rather than
//! misread. Records that are only ever read whole (sites, agents, timeline
//! items, proposals) are JSON in a `body` column; everything a query
//! filters, orders or sums on — conversations and messages above all, for
//! reports — is a column of its own.

use rusqlite::Connection;

use super::worker::sql;
use crate::store::{StoreError, StoreResult};

/// The format this build writes. Bump it with a migration step below.
pub const FORMAT_VERSION: i64 = 6;

const SCHEMA_V1: &str = r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE sites (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT;
CREATE TABLE agents (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  presence TEXT NOT NULL DEFAULT 'offline',
  last_activity_ms INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  agent TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_agent ON sessions(agent);
CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms);
CREATE TABLE visitors (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  contact TEXT,
  proven INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX visitors_by_contact ON visitors(contact) WHERE contact IS NOT NULL;
CREATE INDEX visitors_anonymous ON visitors(created_at_ms, id) WHERE contact IS NULL;
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  visitor TEXT NOT NULL,
  status TEXT NOT NULL,
  agent TEXT,
  agent_name TEXT,
  last_seq INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  closed_at_ms INTEGER,
  case_code TEXT,
  version INTEGER NOT NULL,
  visitor_seen_ms INTEGER,
  queue_seq INTEGER
) STRICT;
CREATE INDEX conversations_by_visitor ON conversations(visitor, created_at_ms, id);
CREATE INDEX conversations_open_by_agent ON conversations(agent) WHERE status = 'assigned';
CREATE INDEX conversations_waiting ON conversations(queue_seq) WHERE status = 'waiting';
CREATE INDEX conversations_closed ON conversations(closed_at_ms, id) WHERE status = 'closed';
CREATE TABLE messages (
  conversation TEXT NOT NULL,
  seq INTEGER NOT NULL,
  client_msg_id TEXT NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  sent_at_ms INTEGER NOT NULL,
  PRIMARY KEY (conversation, seq)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX messages_by_client_id ON messages(conversation, client_msg_id);
CREATE TABLE case_numbers (site TEXT PRIMARY KEY, last INTEGER NOT NULL) STRICT;
CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  name TEXT,
  created_at_ms INTEGER NOT NULL,
  merged_into TEXT
) STRICT;
CREATE INDEX contacts_merged_into ON contacts(merged_into) WHERE merged_into IS NOT NULL;
CREATE TABLE identities (
  site TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  contact TEXT NOT NULL,
  verified INTEGER NOT NULL,
  PRIMARY KEY (site, kind, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX identities_by_contact ON identities(contact);
CREATE TABLE attributes (
  contact TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (contact, key)
) STRICT, WITHOUT ROWID;
CREATE TABLE timeline (
  id TEXT PRIMARY KEY,
  contact TEXT NOT NULL,
  site TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  external_id TEXT,
  case_code TEXT,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX timeline_by_contact ON timeline(contact, at_ms DESC, id DESC);
CREATE UNIQUE INDEX timeline_external ON timeline(site, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX timeline_cases ON timeline(site, case_code) WHERE case_code IS NOT NULL;
CREATE TABLE proposals (
  id TEXT PRIMARY KEY,
  from_contact TEXT NOT NULL,
  into_contact TEXT NOT NULL,
  pair TEXT NOT NULL UNIQUE,
  created_seq INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX proposals_from ON proposals(from_contact);
CREATE INDEX proposals_into ON proposals(into_contact);
CREATE TABLE name_words (
  site TEXT NOT NULL,
  word TEXT NOT NULL,
  contact TEXT NOT NULL,
  PRIMARY KEY (site, word, contact)
) STRICT, WITHOUT ROWID;
CREATE TABLE audit (seq INTEGER PRIMARY KEY, site TEXT NOT NULL, body TEXT NOT NULL) STRICT;
CREATE INDEX audit_by_site ON audit(site, seq);
"#;

/// Format 2: the knowledge base (articles with their revisions,
/// categories), canned replies and the counts of visitors' feedback.
/// Articles and revisions are JSON bodies; the columns are what the
/// uniqueness rules and lookups need.
const MIGRATE_TO_V2: &str = r#"
CREATE TABLE articles (
  site TEXT NOT NULL,
  id TEXT NOT NULL,
  grp TEXT NOT NULL,
  lang TEXT NOT NULL,
  slug TEXT NOT NULL,
  revision INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (site, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX articles_by_slug ON articles(site, lang, slug);
CREATE UNIQUE INDEX articles_by_translation ON articles(site, grp, lang);
CREATE TABLE article_revisions (
  site TEXT NOT NULL,
  article TEXT NOT NULL,
  revision INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (site, article, revision)
) STRICT, WITHOUT ROWID;
CREATE TABLE categories (
  site TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (site, id)
) STRICT, WITHOUT ROWID;
CREATE TABLE canned_replies (
  site TEXT NOT NULL,
  id TEXT NOT NULL,
  scope TEXT NOT NULL,
  shortcut TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (site, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX canned_by_shortcut ON canned_replies(site, scope, shortcut);
CREATE TABLE kb_feedback (
  site TEXT NOT NULL,
  article TEXT NOT NULL,
  day INTEGER NOT NULL,
  feedback TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (site, article, day, feedback)
) STRICT, WITHOUT ROWID;
"#;

/// Format 3: routing (issue 14). What a conversation asks of routing is
/// JSON, read whole (`NULL`: the default route, for conversations from
/// before); the two times are columns because the reassignment sweep and
/// reports compare them.
const MIGRATE_TO_V3: &str = r#"
ALTER TABLE conversations ADD COLUMN route TEXT;
ALTER TABLE conversations ADD COLUMN assigned_at_ms INTEGER;
ALTER TABLE conversations ADD COLUMN agent_replied_at_ms INTEGER;
"#;

/// Format 4: report roll-ups (issue 15). One sum per site, UTC hour,
/// agent (`''` for none), channel and field, grown by upserts; and the
/// keys of the facts already counted (with the hour they landed in, so
/// old keys can be pruned by hour), which make recording idempotent.
const MIGRATE_TO_V4: &str = r#"
CREATE TABLE report_cells (
  site TEXT NOT NULL,
  hour_ms INTEGER NOT NULL,
  agent TEXT NOT NULL,
  channel TEXT NOT NULL,
  field TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (site, hour_ms, agent, channel, field)
) STRICT, WITHOUT ROWID;
CREATE TABLE report_facts (
  site TEXT NOT NULL,
  key TEXT NOT NULL,
  hour_ms INTEGER NOT NULL,
  PRIMARY KEY (site, key)
) STRICT, WITHOUT ROWID;
"#;

/// Format 5: satisfaction ratings (issue 15): a conversation's rating
/// and comment as JSON (`shared::csat::Csat`), `NULL` until rated.
const MIGRATE_TO_V5: &str = r#"
ALTER TABLE conversations ADD COLUMN csat TEXT;
"#;

/// Format 6: report roll-ups as rows of counters (issue 15): one row per
/// site, bucket (a UTC hour or a local day, named by its start) and row
/// key (`channel:chat`, `agent:{id}`), its counters a blob of 32-bit
/// big-endian integers by slot (`crate::reports::row`,
/// `crate::reports::layout`). Format 4's `report_cells` is dropped, not
/// converted: reports were never released, so no file holds roll-ups a
/// user has seen. `report_facts` stays; its `hour_ms` now holds the
/// bucket of the fact's first add.
const MIGRATE_TO_V6: &str = r#"
DROP TABLE report_cells;
CREATE TABLE report_rows (
  site TEXT NOT NULL,
  bucket_ms INTEGER NOT NULL,
  row TEXT NOT NULL,
  counts BLOB NOT NULL,
  PRIMARY KEY (site, bucket_ms, row)
) STRICT, WITHOUT ROWID;
"#;

/// Settings for every connection: write-ahead log, a full fsync at each
/// commit (acknowledged means durable), a bounded page cache, and deleted
/// content overwritten with zeros: otherwise an erased contact's rows stay
/// readable in free space of the file (see `contacts::erase`).
pub(super) fn configure(conn: &Connection, cache_kib: u64) -> StoreResult<()> {
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA cache_size = -{cache_kib};"
    ))
    .map_err(sql)
}

/// Brings the file to [`FORMAT_VERSION`], or refuses one from the future.
pub(super) fn prepare(conn: &mut Connection) -> StoreResult<()> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    if found > FORMAT_VERSION {
        return Err(StoreError::Corrupt(format!(
            "the data was written by a newer Switchboard (store format {found}; this \
             relay reads up to {FORMAT_VERSION}): upgrade the relay, or restore a backup"
        )));
    }
    let tx = conn.transaction().map_err(sql)?;
    if found < 1 {
        tx.execute_batch(SCHEMA_V1).map_err(sql)?;
    }
    if found < 2 {
        tx.execute_batch(MIGRATE_TO_V2).map_err(sql)?;
    }
    if found < 3 {
        tx.execute_batch(MIGRATE_TO_V3).map_err(sql)?;
    }
    if found < 4 {
        tx.execute_batch(MIGRATE_TO_V4).map_err(sql)?;
    }
    if found < 5 {
        tx.execute_batch(MIGRATE_TO_V5).map_err(sql)?;
    }
    if found < 6 {
        tx.execute_batch(MIGRATE_TO_V6).map_err(sql)?;
    }
    // Later formats: `if found < 7 { tx.execute_batch(MIGRATE_TO_V7) }`.
    tx.pragma_update(None, "user_version", FORMAT_VERSION)
        .map_err(sql)?;
    tx.commit().map_err(sql)?;
    if found != FORMAT_VERSION {
        tracing::info!(from = found, to = FORMAT_VERSION, "store format prepared");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_gets_the_current_format_and_keeps_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        prepare(&mut conn).unwrap();
        prepare(&mut conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, FORMAT_VERSION);
    }

    #[test]
    fn a_format_1_file_gains_the_knowledge_base_and_keeps_its_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA_V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute("INSERT INTO sites (id, body) VALUES ('s', '{}')", [])
            .unwrap();
        prepare(&mut conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, FORMAT_VERSION);
        let sites: i64 = conn
            .query_row("SELECT COUNT(*) FROM sites", [], |r| r.get(0))
            .unwrap();
        let articles: i64 = conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
            .unwrap();
        assert_eq!((sites, articles), (1, 0));
    }

    #[test]
    fn a_format_2_file_gains_routing_columns_and_keeps_its_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA_V1).unwrap();
        conn.execute_batch(MIGRATE_TO_V2).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "INSERT INTO conversations (id, site, visitor, status, last_seq, created_at_ms,
               version, queue_seq) VALUES ('c1', 's', 'v', 'waiting', 0, 5, 1, 1)",
            [],
        )
        .unwrap();
        prepare(&mut conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, FORMAT_VERSION);
        let row: (String, Option<String>, Option<i64>, Option<i64>) = conn
            .query_row(
                "SELECT id, route, assigned_at_ms, agent_replied_at_ms FROM conversations",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(row, ("c1".to_owned(), None, None, None));
    }

    #[test]
    fn a_format_3_file_gains_report_tables_and_keeps_its_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA_V1).unwrap();
        conn.execute_batch(MIGRATE_TO_V2).unwrap();
        conn.execute_batch(MIGRATE_TO_V3).unwrap();
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute("INSERT INTO sites (id, body) VALUES ('s', '{}')", [])
            .unwrap();
        let counts = migrated_counts(&mut conn);
        assert_eq!(counts, (1, 0, 0));
        assert!(!has_table(&conn, "report_cells"));
    }

    #[test]
    fn a_format_5_file_trades_report_cells_for_rows_and_keeps_its_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in [
            SCHEMA_V1,
            MIGRATE_TO_V2,
            MIGRATE_TO_V3,
            MIGRATE_TO_V4,
            MIGRATE_TO_V5,
        ] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 5).unwrap();
        conn.execute_batch(
            "INSERT INTO sites (id, body) VALUES ('s', '{}');
             INSERT INTO report_facts (site, key, hour_ms) VALUES ('s', 'c_1:opened', 0);
             INSERT INTO report_cells (site, hour_ms, agent, channel, field, value)
               VALUES ('s', 0, '', 'chat', 'opened', 1);",
        )
        .unwrap();
        let counts = migrated_counts(&mut conn);
        assert_eq!(counts, (1, 0, 1));
        assert!(has_table(&conn, "report_rows"));
        assert!(!has_table(&conn, "report_cells"));
    }

    /// Migrates `conn` to this format and counts its sites, report rows
    /// and report facts.
    fn migrated_counts(conn: &mut Connection) -> (i64, i64, i64) {
        prepare(conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, FORMAT_VERSION);
        conn.query_row(
            "SELECT (SELECT COUNT(*) FROM sites), (SELECT COUNT(*) FROM report_rows),
               (SELECT COUNT(*) FROM report_facts)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    }

    fn has_table(conn: &Connection, name: &str) -> bool {
        conn.query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    }

    #[test]
    fn a_file_from_a_newer_version_is_refused_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        prepare(&mut conn).unwrap();
        conn.pragma_update(None, "user_version", FORMAT_VERSION + 1)
            .unwrap();
        let err = prepare(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer Switchboard"), "{err}");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, FORMAT_VERSION + 1);
    }
}
