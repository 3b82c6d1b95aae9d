//! The queue and who holds what in the SQLite store: assigning, moving
//! and returning conversations, and the snapshot routing decides from.
//! An agent's load is counted from the conversations assigned to it, never
//! kept apart, so every change of holder frees or takes capacity in the
//! same statement that makes it. Each method is one call of the worker:
//! its checks and writes are one atomic step.

use rusqlite::{params, Connection};
use shared::routing::Match;
use shared::{AgentId, ConversationId, ConversationStatus, Presence};

use super::codec::{conversation_row, conversations_where};
use super::core::{agent_row, agent_status, presence_of, update_agent};
use super::worker::sql;
use super::{from_json, from_sql, to_json, to_sql, SqliteStore};
use crate::routing::{AgentLoad, RoutingSnapshot, Waiting};
use crate::store::{AgentRecord, Conversation, StoreError, StoreResult};

/// How many open conversations `agent` has.
fn load(conn: &Connection, agent: &str) -> StoreResult<u32> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM conversations WHERE agent = ?1 AND status = 'assigned'",
    )
    .map_err(sql)?
    .query_row([agent], |r| r.get::<_, u32>(0))
    .map_err(sql)
}

/// Hands `current` to `agent` (first assignment and transfer alike) if the
/// agent is online with room: the answer clock starts at `at_ms`, and the
/// agent counts as active then.
fn hand_to(
    conn: &Connection,
    current: Conversation,
    agent: &str,
    matched: Option<Match>,
    at_ms: u64,
) -> StoreResult<Conversation> {
    let target = agent_row(conn, agent)?.ok_or(StoreError::NotFound)?;
    let online = agent_status(conn, agent)?.presence == Presence::Online;
    if !online || load(conn, agent)? >= target.max_concurrent {
        return Err(StoreError::AgentUnavailable);
    }
    let mut route = current.route;
    route.matched = matched;
    let id = current.id.as_str();
    conn.execute(
        "UPDATE conversations SET status = 'assigned', agent = ?2, agent_name = ?3,
           assigned_at_ms = ?4, route = ?5, version = version + 1, queue_seq = NULL
         WHERE id = ?1",
        params![id, agent, target.name, to_sql(at_ms), to_json(&route)?],
    )
    .map_err(sql)?;
    conn.execute(
        "UPDATE agents SET last_activity_ms = ?2 WHERE id = ?1",
        params![agent, to_sql(at_ms)],
    )
    .map_err(sql)?;
    conversation_row(conn, id)?.ok_or(StoreError::NotFound)
}

/// Whether `current` may go back for want of an answer since `since`: it
/// must still be the assignment made at `since` (not a later one, after
/// another node already sent it back), with no agent message from then on.
fn unanswered_since(current: &Conversation, since: u64) -> bool {
    current.assigned_at_ms == Some(since) && current.agent_replied_at_ms.is_none_or(|at| at < since)
}

/// Sends `current` back to the queue, ahead of everyone waiting (a
/// returned visitor has waited once already), noting whom it left so
/// routing can try someone else first.
fn send_back(
    conn: &Connection,
    current: Conversation,
    from: AgentId,
    at_ms: u64,
) -> StoreResult<Conversation> {
    let mut route = current.route;
    route.returned = route.returned.saturating_add(1);
    route.returned_from = Some(from);
    route.queued_at_ms = at_ms;
    route.matched = None;
    let id = current.id.as_str();
    conn.execute(
        "UPDATE conversations SET status = 'waiting', agent = NULL, agent_name = NULL,
           assigned_at_ms = NULL, route = ?2, version = version + 1,
           queue_seq = (SELECT COALESCE(MIN(queue_seq), 1) - 1 FROM conversations
                        WHERE status = 'waiting')
         WHERE id = ?1",
        params![id, to_json(&route)?],
    )
    .map_err(sql)?;
    conversation_row(conn, id)?.ok_or(StoreError::NotFound)
}

fn agent_loads(conn: &Connection) -> StoreResult<Vec<AgentLoad>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.body, a.presence, a.last_activity_ms,
               (SELECT COUNT(*) FROM conversations v WHERE v.agent = a.id AND v.status = 'assigned')
             FROM agents a ORDER BY a.seq",
        )
        .map_err(sql)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    rows.into_iter()
        .map(|(body, presence, at, load)| {
            let agent: AgentRecord = from_json(&body)?;
            Ok(AgentLoad {
                id: agent.id,
                presence: presence_of(&presence),
                max_concurrent: agent.max_concurrent,
                load,
                last_activity_ms: from_sql(at),
                languages: agent.languages,
                skills: agent.skills,
            })
        })
        .collect()
}

impl SqliteStore {
    pub(super) async fn snapshot(&self) -> StoreResult<RoutingSnapshot> {
        self.call(|c| {
            let agents = agent_loads(c)?;
            let waiting = conversations_where(c, "status = ?1", "waiting", "queue_seq")?
                .into_iter()
                .map(|w| Waiting {
                    id: w.id,
                    site: w.site,
                    route: w.route,
                    created_at_ms: w.created_at_ms,
                })
                .collect();
            Ok(RoutingSnapshot { agents, waiting })
        })
        .await
    }

    pub(super) async fn assign_to(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        matched: Option<Match>,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let (id, agent) = (conversation.to_string(), agent.to_string());
        self.call(move |c| {
            let current = conversation_row(c, &id)?.ok_or(StoreError::NotFound)?;
            if current.status != ConversationStatus::Waiting {
                return Err(StoreError::Conflict("not waiting"));
            }
            hand_to(c, current, &agent, matched, at_ms)
        })
        .await
    }

    pub(super) async fn transfer_to(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        to: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let (id, from, to) = (conversation.to_string(), from.clone(), to.to_string());
        self.call(move |c| {
            let current = conversation_row(c, &id)?.ok_or(StoreError::NotFound)?;
            if !current.is_open() || current.agent.as_ref() != Some(&from) {
                return Err(StoreError::NotFound);
            }
            agent_row(c, &to)?.ok_or(StoreError::NotFound)?;
            if to == from.as_str() {
                return Err(StoreError::AgentUnavailable);
            }
            hand_to(c, current, &to, None, at_ms)
        })
        .await
    }

    pub(super) async fn requeue_from(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        since: Option<u64>,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let (id, from) = (conversation.to_string(), from.clone());
        self.call(move |c| {
            let current = conversation_row(c, &id)?.ok_or(StoreError::NotFound)?;
            if current.status != ConversationStatus::Assigned
                || current.agent.as_ref() != Some(&from)
            {
                return Err(StoreError::NotFound);
            }
            if since.is_some_and(|t| !unanswered_since(&current, t)) {
                return Err(StoreError::Conflict("answered"));
            }
            send_back(c, current, from, at_ms)
        })
        .await
    }

    pub(super) async fn routing_to(
        &self,
        agent: &AgentId,
        languages: &[String],
        skills: &[String],
        max_concurrent: u32,
    ) -> StoreResult<()> {
        let (agent, languages, skills) = (agent.clone(), languages.to_vec(), skills.to_vec());
        self.call(move |c| {
            update_agent(c, &agent, |a| {
                a.languages = languages;
                a.skills = skills;
                a.max_concurrent = max_concurrent;
            })
        })
        .await
    }
}
