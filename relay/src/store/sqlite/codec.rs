//! The conversation row: which columns hold a [`Conversation`] and how
//! they read back, shared by `chats` (opening, messages, closing) and
//! `queue` (who holds what), so both always read the same shape.

use rusqlite::{Connection, OptionalExtension, Row};
use shared::routing::Route;
use shared::{AgentId, ConversationId, ConversationStatus, VisitorId};

use super::from_sql;
use super::worker::sql;
use crate::store::{Conversation, StoreError, StoreResult};

/// The columns [`conversation`] reads, in its order.
pub(super) const COLUMNS: &str = "id, site, visitor, status, agent, agent_name, last_seq, \
                       created_at_ms, closed_at_ms, case_code, version, visitor_seen_ms, route, \
                       assigned_at_ms, agent_replied_at_ms, csat";

pub(super) fn status_word(s: ConversationStatus) -> &'static str {
    match s {
        ConversationStatus::Waiting => "waiting",
        ConversationStatus::Assigned => "assigned",
        ConversationStatus::Closed => "closed",
    }
}

fn status_of(word: &str) -> ConversationStatus {
    match word {
        "waiting" => ConversationStatus::Waiting,
        "assigned" => ConversationStatus::Assigned,
        _ => ConversationStatus::Closed,
    }
}

fn conversation(r: &Row<'_>) -> rusqlite::Result<Conversation> {
    // A route that does not decode is damage; it surfaces as a conversion
    // failure, which `read_failed` reports as `Corrupt`.
    let route = match r.get::<_, Option<String>>(12)? {
        Some(text) => serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(12, rusqlite::types::Type::Text, e.into())
        })?,
        None => Route::default(),
    };
    Ok(Conversation {
        id: ConversationId(r.get(0)?),
        site: shared::SiteId(r.get(1)?),
        visitor: VisitorId(r.get(2)?),
        status: status_of(&r.get::<_, String>(3)?),
        agent: r.get::<_, Option<String>>(4)?.map(AgentId),
        agent_name: r.get(5)?,
        last_seq: from_sql(r.get(6)?),
        created_at_ms: from_sql(r.get(7)?),
        closed_at_ms: r.get::<_, Option<i64>>(8)?.map(from_sql),
        case_code: r.get(9)?,
        version: from_sql(r.get(10)?),
        visitor_seen_ms: r.get::<_, Option<i64>>(11)?.map(from_sql),
        route,
        assigned_at_ms: r.get::<_, Option<i64>>(13)?.map(from_sql),
        agent_replied_at_ms: r.get::<_, Option<i64>>(14)?.map(from_sql),
        csat: match r.get::<_, Option<String>>(15)? {
            Some(text) => Some(serde_json::from_str(&text).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(15, rusqlite::types::Type::Text, e.into())
            })?),
            None => None,
        },
    })
}

/// A stored value that does not decode is damage, never a backend hiccup.
fn read_failed(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::FromSqlConversionFailure(..) => {
            StoreError::Corrupt(format!("stored conversation: {e}"))
        }
        e => sql(e),
    }
}

/// Conversations matching `filter` (a `WHERE` clause on `?1`), ordered.
pub(super) fn conversations_where(
    conn: &Connection,
    filter: &str,
    value: &str,
    order: &str,
) -> StoreResult<Vec<Conversation>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM conversations WHERE {filter} ORDER BY {order}"
        ))
        .map_err(sql)?;
    let rows = stmt
        .query_map([value], conversation)
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_failed)?;
    Ok(rows)
}

pub(super) fn conversation_row(conn: &Connection, id: &str) -> StoreResult<Option<Conversation>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM conversations WHERE id = ?1"
    ))
    .map_err(sql)?
    .query_row([id], conversation)
    .optional()
    .map_err(read_failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_route(route: Option<&str>) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::prepare(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO conversations (id, site, visitor, status, last_seq, created_at_ms,
               version, route) VALUES ('c1', 's', 'v', 'waiting', 0, 5, 1, ?1)",
            [route],
        )
        .unwrap();
        conn
    }

    #[test]
    fn a_conversation_from_before_routing_reads_with_the_default_route() {
        let conn = with_route(None);
        let read = conversation_row(&conn, "c1").unwrap().unwrap();
        assert_eq!(read.route, Route::default());
        assert_eq!(
            (read.assigned_at_ms, read.agent_replied_at_ms),
            (None, None)
        );
    }

    #[test]
    fn a_damaged_route_is_reported_not_skipped() {
        let conn = with_route(Some("{not json"));
        let err = conversation_row(&conn, "c1").unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
        let err = conversations_where(&conn, "id = ?1", "c1", "id").unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    }
}
