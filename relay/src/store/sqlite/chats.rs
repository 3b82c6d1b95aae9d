//! Visitors, conversations and messages in the SQLite store. Each method
//! is one call of the worker, so its checks and writes are one atomic step
//! (numbering messages, closing once).

use rusqlite::{params, Connection, OptionalExtension, Row};
use shared::routing::Route;
use shared::{ChatMessage, ConversationId, Role, Seq, VisitorId};

use super::codec::{conversation_row, conversations_where, status_word, COLUMNS};
use super::worker::sql;
use super::{from_json, from_sql, to_json, to_sql, SqliteStore};
use crate::store::{Appended, Conversation, NewMessage, StoreError, StoreResult, VisitorRecord};

/// The site's next case number: 1, 2, 3, ...
pub(super) fn take_case_number(conn: &Connection, site: &str) -> StoreResult<u64> {
    conn.query_row(
        "INSERT INTO case_numbers (site, last) VALUES (?1, 1)
         ON CONFLICT (site) DO UPDATE SET last = last + 1 RETURNING last",
        [site],
        |r| r.get::<_, i64>(0),
    )
    .map(from_sql)
    .map_err(sql)
}

fn message(r: &Row<'_>) -> rusqlite::Result<(ChatMessage, String)> {
    Ok((
        ChatMessage {
            conversation: ConversationId(r.get(0)?),
            seq: from_sql(r.get(1)?),
            client_msg_id: shared::ClientMsgId(r.get(2)?),
            author: shared::Author {
                role: shared::Role::System,
                agent: None,
                name: None,
            },
            text: r.get(4)?,
            sent_at_ms: from_sql(r.get(5)?),
        },
        r.get(3)?,
    ))
}

/// Messages matching `filter` (a `WHERE` clause with its `ORDER BY`).
fn messages(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<ChatMessage>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT conversation, seq, client_msg_id, author, text, sent_at_ms FROM messages \
             WHERE {filter}"
        ))
        .map_err(sql)?;
    let rows = stmt
        .query_map(params, message)
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    rows.into_iter()
        .map(|(mut m, author)| {
            m.author = from_json(&author)?;
            Ok(m)
        })
        .collect()
}

impl SqliteStore {
    pub(super) async fn insert_visitor(&self, v: &VisitorRecord) -> StoreResult<()> {
        let v = v.clone();
        self.call(move |c| {
            let taken: bool = c
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM visitors WHERE id = ?1 OR token_hash = ?2)",
                    params![v.id.as_str(), v.token_hash],
                    |r| r.get(0),
                )
                .map_err(sql)?;
            if taken {
                return Err(StoreError::Conflict("visitor exists"));
            }
            c.execute(
                "INSERT INTO visitors (id, site, token_hash, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![v.id.as_str(), v.site.as_str(), v.token_hash, to_sql(v.created_at_ms)],
            )
            .map_err(sql)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn visitor_with_token(
        &self,
        hash: &str,
    ) -> StoreResult<Option<VisitorRecord>> {
        let hash = hash.to_owned();
        self.call(move |c| {
            c.prepare_cached("SELECT id, site, created_at_ms FROM visitors WHERE token_hash = ?1")
                .map_err(sql)?
                .query_row([&hash], |r| {
                    Ok(VisitorRecord {
                        id: VisitorId(r.get(0)?),
                        site: shared::SiteId(r.get(1)?),
                        token_hash: hash.clone(),
                        created_at_ms: from_sql(r.get(2)?),
                    })
                })
                .optional()
                .map_err(sql)
        })
        .await
    }

    pub(super) async fn open_or_create(
        &self,
        visitor: &VisitorRecord,
        new_id: &ConversationId,
        route: &Route,
        at_ms: u64,
    ) -> StoreResult<(Conversation, bool)> {
        let (visitor, new_id) = (visitor.clone(), new_id.clone());
        let route = Route {
            queued_at_ms: at_ms,
            ..route.clone()
        };
        self.call(move |c| {
            let open = conversations_where(
                c,
                "visitor = ?1 AND status != 'closed'",
                visitor.id.as_str(),
                "created_at_ms, id LIMIT 1",
            )?;
            if let Some(open) = open.into_iter().next() {
                return Ok((open, false));
            }
            let number = take_case_number(c, visitor.site.as_str())?;
            let new = Conversation {
                route,
                ..Conversation::new_waiting(new_id, &visitor, number, at_ms)
            };
            c.execute(
                &format!(
                    "INSERT INTO conversations ({COLUMNS}, queue_seq) VALUES
                     (?1, ?2, ?3, ?4, NULL, NULL, 0, ?5, NULL, ?6, ?7, ?8, ?9, NULL, NULL, NULL,
                      (SELECT COALESCE(MAX(queue_seq), 0) + 1 FROM conversations WHERE status = 'waiting'))"
                ),
                params![
                    new.id.as_str(),
                    new.site.as_str(),
                    new.visitor.as_str(),
                    status_word(new.status),
                    to_sql(new.created_at_ms),
                    new.case_code,
                    to_sql(new.version),
                    new.visitor_seen_ms.map(to_sql),
                    to_json(&new.route)?,
                ],
            )
            .map_err(sql)?;
            Ok((new, true))
        })
        .await
    }

    pub(super) async fn conversation_by_id(
        &self,
        id: &ConversationId,
    ) -> StoreResult<Option<Conversation>> {
        let id = id.to_string();
        self.call(move |c| conversation_row(c, &id)).await
    }

    pub(super) async fn conversations_of(
        &self,
        filter: &'static str,
        value: &str,
        order: &'static str,
    ) -> StoreResult<Vec<Conversation>> {
        let value = value.to_owned();
        self.call(move |c| conversations_where(c, filter, &value, order))
            .await
    }

    pub(super) async fn append(&self, new: &NewMessage) -> StoreResult<Appended> {
        let new = new.clone();
        self.call(move |c| {
            let id = new.conversation.as_str();
            let current = conversation_row(c, id)?.ok_or(StoreError::NotFound)?;
            let earlier = messages(
                c,
                "conversation = ?1 AND client_msg_id = ?2",
                params![id, new.client_msg_id.as_str()],
            )?;
            if let Some(message) = earlier.into_iter().next() {
                return Ok(Appended {
                    message,
                    duplicate: true,
                    published: false,
                    first_reply: false,
                });
            }
            current.accepts(new.assignee.as_ref())?;
            let message = ChatMessage {
                conversation: new.conversation.clone(),
                seq: current.last_seq + 1,
                client_msg_id: new.client_msg_id,
                author: new.author,
                text: new.text,
                sent_at_ms: new.at_ms,
            };
            c.prepare_cached(
                "INSERT INTO messages (conversation, seq, client_msg_id, author, text, sent_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(sql)?
            .execute(params![
                id,
                to_sql(message.seq),
                message.client_msg_id.as_str(),
                to_json(&message.author)?,
                message.text,
                to_sql(message.sent_at_ms),
            ])
            .map_err(sql)?;
            // The answer deadline reads this: only an agent's words count.
            let replied = (message.author.role == Role::Agent).then(|| to_sql(message.sent_at_ms));
            c.prepare_cached(
                "UPDATE conversations SET last_seq = ?2, version = version + 1,
                   agent_replied_at_ms = COALESCE(?3, agent_replied_at_ms) WHERE id = ?1",
            )
            .map_err(sql)?
            .execute(params![id, to_sql(message.seq), replied])
            .map_err(sql)?;
            // Counted with the message, in its transaction: exactly once.
            if let Some(report) = &new.report {
                super::reports::grow_rows(c, report.site.as_str(), &report.adds)?;
            }
            Ok(Appended {
                first_reply: replied.is_some() && current.agent_replied_at_ms.is_none(),
                message,
                duplicate: false,
                published: false,
            })
        })
        .await
    }

    pub(super) async fn after(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> StoreResult<Vec<ChatMessage>> {
        let id = conversation.to_string();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.call(move |c| {
            messages(
                c,
                "conversation = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                params![id, to_sql(after), limit],
            )
        })
        .await
    }

    pub(super) async fn close(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let id = conversation.to_string();
        self.call(move |c| {
            let current = conversation_row(c, &id)?.ok_or(StoreError::NotFound)?;
            if !current.is_open() {
                return Err(StoreError::ConversationClosed);
            }
            c.execute(
                "UPDATE conversations SET status = 'closed', closed_at_ms = ?2,
                   version = version + 1, queue_seq = NULL WHERE id = ?1",
                params![id, to_sql(at_ms)],
            )
            .map_err(sql)?;
            conversation_row(c, &id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    pub(super) async fn seen(
        &self,
        conversations: &[ConversationId],
        at_ms: u64,
    ) -> StoreResult<()> {
        let ids: Vec<String> = conversations.iter().map(ToString::to_string).collect();
        self.call(move |c| {
            let mut stmt = c
                .prepare_cached("UPDATE conversations SET visitor_seen_ms = ?2 WHERE id = ?1")
                .map_err(sql)?;
            for id in ids {
                stmt.execute(params![id, to_sql(at_ms)]).map_err(sql)?;
            }
            Ok(())
        })
        .await
    }
}
