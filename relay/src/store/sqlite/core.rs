//! Sites, agents, sessions and presence in the SQLite store, and its
//! in-memory sign-in counters (see `store::sign_ins`).

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use shared::{AgentId, Presence, SiteId};

use super::worker::sql;
use super::{body, from_json, from_sql, to_json, to_sql, SqliteStore};
use crate::store::sign_ins::{Failures, SignInFailures};
use crate::store::{AgentRecord, AgentStatus, Site, StoreError, StoreResult};

pub(super) fn presence_word(p: Presence) -> &'static str {
    match p {
        Presence::Online => "online",
        Presence::Away => "away",
        Presence::Offline => "offline",
    }
}

pub(super) fn presence_of(word: &str) -> Presence {
    match word {
        "online" => Presence::Online,
        "away" => Presence::Away,
        _ => Presence::Offline,
    }
}

/// The agent as stored, or `None`.
pub(super) fn agent_row(conn: &Connection, id: &str) -> StoreResult<Option<AgentRecord>> {
    body(conn, "SELECT body FROM agents WHERE id = ?1", [id])
}

/// Rewrites an existing agent's record; `NotFound` for no such agent.
pub(super) fn update_agent(
    conn: &Connection,
    id: &AgentId,
    change: impl FnOnce(&mut AgentRecord),
) -> StoreResult<()> {
    let mut agent = agent_row(conn, id.as_str())?.ok_or(StoreError::NotFound)?;
    change(&mut agent);
    conn.execute(
        "UPDATE agents SET body = ?2 WHERE id = ?1",
        params![id.as_str(), to_json(&agent)?],
    )
    .map_err(sql)?;
    Ok(())
}

pub(super) fn agent_status(conn: &Connection, id: &str) -> StoreResult<AgentStatus> {
    let row: Option<(String, i64)> = conn
        .prepare_cached("SELECT presence, last_activity_ms FROM agents WHERE id = ?1")
        .map_err(sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(sql)?;
    Ok(row.map_or(
        AgentStatus {
            presence: Presence::Offline,
            last_activity_ms: 0,
        },
        |(p, at)| AgentStatus {
            presence: presence_of(&p),
            last_activity_ms: from_sql(at),
        },
    ))
}

impl SqliteStore {
    pub(super) async fn put_site_row(&self, site: &Site) -> StoreResult<()> {
        let (id, json) = (site.id.to_string(), to_json(site)?);
        self.call(move |c| {
            c.execute(
                "INSERT INTO sites (id, body) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                params![id, json],
            )
            .map_err(sql)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn site_row(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        let id = id.to_string();
        self.call(move |c| body(c, "SELECT body FROM sites WHERE id = ?1", [id]))
            .await
    }

    pub(super) async fn site_ids(&self) -> StoreResult<Vec<SiteId>> {
        self.call(|c| {
            let mut stmt = c
                .prepare_cached("SELECT id FROM sites ORDER BY id")
                .map_err(sql)?;
            let ids = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(sql)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sql)?;
            Ok(ids.into_iter().map(SiteId).collect())
        })
        .await
    }

    pub(super) async fn insert_agent(&self, agent: &AgentRecord) -> StoreResult<()> {
        let (id, email, json) = (agent.id.to_string(), agent.email.clone(), to_json(agent)?);
        self.call(move |c| {
            let taken: bool = c
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM agents WHERE email = ?1 OR id = ?2)",
                    params![email, id],
                    |r| r.get(0),
                )
                .map_err(sql)?;
            if taken {
                return Err(StoreError::Conflict("email taken"));
            }
            c.execute(
                "INSERT INTO agents (id, email, body) VALUES (?1, ?2, ?3)",
                params![id, email, json],
            )
            .map_err(sql)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn agent_by(
        &self,
        column: &'static str,
        value: &str,
    ) -> StoreResult<Option<AgentRecord>> {
        let value = value.to_owned();
        self.call(move |c| {
            body(
                c,
                &format!("SELECT body FROM agents WHERE {column} = ?1"),
                [value],
            )
        })
        .await
    }

    pub(super) async fn all_agents(&self) -> StoreResult<Vec<AgentRecord>> {
        self.call(|c| {
            let mut stmt = c
                .prepare_cached("SELECT body FROM agents ORDER BY seq")
                .map_err(sql)?;
            let bodies = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(sql)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sql)?;
            bodies.iter().map(|b| from_json(b)).collect()
        })
        .await
    }

    pub(super) async fn status_of(&self, id: &AgentId) -> StoreResult<AgentStatus> {
        let id = id.to_string();
        self.call(move |c| agent_status(c, &id)).await
    }

    pub(super) async fn presence_to(
        &self,
        id: &AgentId,
        presence: Presence,
        at_ms: u64,
    ) -> StoreResult<()> {
        let id = id.to_string();
        self.call(move |c| {
            // Going online counts as activity (routing prefers the idle).
            let changed = c
                .execute(
                    "UPDATE agents SET presence = ?2,
                       last_activity_ms = CASE WHEN ?2 = 'online' THEN ?3 ELSE last_activity_ms END
                     WHERE id = ?1",
                    params![id, presence_word(presence), to_sql(at_ms)],
                )
                .map_err(sql)?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    pub(super) async fn insert_session(
        &self,
        token_hash: &str,
        agent: &AgentId,
        expires_at_ms: u64,
    ) -> StoreResult<()> {
        let (hash, agent) = (token_hash.to_owned(), agent.to_string());
        self.call(move |c| {
            c.execute(
                "INSERT OR REPLACE INTO sessions (token_hash, agent, expires_at_ms) VALUES (?1, ?2, ?3)",
                params![hash, agent, to_sql(expires_at_ms)],
            )
            .map_err(sql)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn session_owner(
        &self,
        token_hash: &str,
        now_ms: u64,
    ) -> StoreResult<Option<AgentId>> {
        let hash = token_hash.to_owned();
        self.call(move |c| {
            c.prepare_cached(
                "SELECT agent FROM sessions WHERE token_hash = ?1 AND expires_at_ms > ?2",
            )
            .map_err(sql)?
            .query_row(params![hash, to_sql(now_ms)], |r| r.get::<_, String>(0))
            .optional()
            .map_err(sql)
            .map(|a| a.map(AgentId))
        })
        .await
    }

    pub(super) async fn remove_session(&self, token_hash: &str) -> StoreResult<()> {
        let hash = token_hash.to_owned();
        self.call(move |c| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])
                .map_err(sql)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn end_sessions(
        &self,
        agent: &AgentId,
        keep: Option<&str>,
    ) -> StoreResult<usize> {
        let (agent, keep) = (agent.to_string(), keep.unwrap_or("").to_owned());
        self.call(move |c| {
            c.execute(
                "DELETE FROM sessions WHERE agent = ?1 AND token_hash != ?2",
                params![agent, keep],
            )
            .map_err(sql)
        })
        .await
    }

    pub(super) async fn set_password(&self, agent: &AgentId, hash: &str) -> StoreResult<()> {
        let (agent, hash) = (agent.clone(), hash.to_owned());
        self.call(move |c| update_agent(c, &agent, |a| a.password_hash = hash))
            .await
    }

    pub(super) async fn set_disabled(&self, agent: &AgentId, disabled: bool) -> StoreResult<()> {
        let agent = agent.clone();
        self.call(move |c| update_agent(c, &agent, |a| a.disabled = disabled))
            .await
    }
}

#[async_trait]
impl SignInFailures for SqliteStore {
    async fn note_sign_in_failure(
        &self,
        key: &str,
        at_ms: u64,
        window_ms: u64,
    ) -> StoreResult<Failures> {
        Ok(self.sign_ins.note(key, at_ms, window_ms))
    }

    async fn sign_in_failures(&self, key: &str, now_ms: u64) -> StoreResult<Failures> {
        Ok(self.sign_ins.get(key, now_ms))
    }

    async fn clear_sign_in_failures(&self, key: &str) -> StoreResult<()> {
        self.sign_ins.clear(key);
        Ok(())
    }
}
