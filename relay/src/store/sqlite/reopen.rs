//! Reopening a closed conversation in SQLite, kept beside `chats` (which
//! closes it) and `queue` (which orders the waiting): the checks (closed,
//! its visitor has nothing else open) and the write are one call of the
//! worker, so one savepoint, and two reopens or a reopen racing the
//! visitor's new conversation cannot leave a visitor with two open.

use rusqlite::{params, Connection};
use shared::{ConversationId, ConversationStatus};

use super::codec::conversation_row;
use super::worker::sql;
use super::{to_json, SqliteStore};
use crate::store::{Conversation, StoreError, StoreResult};

/// Whether `visitor` has a conversation open (this store's one-per-visitor
/// rule is enforced where conversations open, so it is checked the same way).
fn visitor_busy(conn: &Connection, visitor: &str) -> StoreResult<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM conversations WHERE visitor = ?1 AND status != 'closed')",
    )
    .map_err(sql)?
    .query_row([visitor], |r| r.get(0))
    .map_err(sql)
}

impl SqliteStore {
    pub(super) async fn reopen(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let id = conversation.to_string();
        self.call(move |c| {
            let current = conversation_row(c, &id)?.ok_or(StoreError::NotFound)?;
            if current.status != ConversationStatus::Closed {
                return Err(StoreError::NotFound);
            }
            if visitor_busy(c, current.visitor.as_str())? {
                return Err(StoreError::Conflict("visitor_busy"));
            }
            // Waiting anew: how it was last matched or whom it left says
            // nothing about who should take it now. `returned` stays, as
            // the count of times it went back.
            let mut route = current.route;
            route.queued_at_ms = at_ms;
            route.matched = None;
            route.returned_from = None;
            // The back of the queue, as a new arrival: it waits behind
            // everyone who was already waiting.
            c.execute(
                "UPDATE conversations SET status = 'waiting', closed_at_ms = NULL,
                   agent = NULL, agent_name = NULL, assigned_at_ms = NULL, route = ?2,
                   version = version + 1,
                   queue_seq = (SELECT COALESCE(MAX(queue_seq), 0) + 1 FROM conversations
                                WHERE status = 'waiting')
                 WHERE id = ?1",
                params![id, to_json(&route)?],
            )
            .map_err(sql)?;
            conversation_row(c, &id)?.ok_or(StoreError::NotFound)
        })
        .await
    }
}
