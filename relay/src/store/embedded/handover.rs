//! The journal store's last job: a data directory written by a version
//! before the SQLite store holds `journal.jsonl`; this replays it into the
//! state it describes, exactly as the journal store did at start-up, and
//! writes that state into the SQLite tables in the importer's transaction.
//! Contacts and their timelines go through [`contact_rows`].

use std::path::Path;

use rusqlite::{params, Transaction};

use super::journal::read_all;
use super::state::{Op, State};
use crate::store::sqlite::rows::{json, sql, to_sql};
use crate::store::StoreResult;

pub(crate) use super::journal::JOURNAL_FILE;

/// Replays the journal at `path` and writes the state it describes into
/// the (empty) SQLite tables of `tx`.
pub(crate) fn import(path: &Path, tx: &Transaction<'_>) -> StoreResult<()> {
    let mut state = State::default();
    for op in read_all::<Op>(path)? {
        state.apply(op);
    }
    copy_into(&state, tx)
}

fn copy_into(state: &State, tx: &Transaction<'_>) -> StoreResult<()> {
    for site in state.sites.values() {
        tx.execute(
            "INSERT INTO sites (id, body) VALUES (?1, ?2)",
            params![site.id.as_str(), json(site)?],
        )
        .map_err(sql)?;
    }
    for id in &state.agent_order {
        let Some(agent) = state.agents.get(id) else {
            continue;
        };
        tx.execute(
            "INSERT INTO agents (id, email, body) VALUES (?1, ?2, ?3)",
            params![agent.id.as_str(), agent.email, json(agent)?],
        )
        .map_err(sql)?;
    }
    for (hash, (agent, expires)) in &state.sessions {
        tx.execute(
            "INSERT INTO sessions (token_hash, agent, expires_at_ms) VALUES (?1, ?2, ?3)",
            params![hash, agent.as_str(), to_sql(*expires)],
        )
        .map_err(sql)?;
    }
    for v in state.visitors.values() {
        let contact = state.contacts.visitor_contact.get(&v.id);
        let proven = state.contacts.proven.contains(&v.id);
        tx.execute(
            "INSERT INTO visitors (id, site, token_hash, created_at_ms, contact, proven)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                v.id.as_str(),
                v.site.as_str(),
                v.token_hash,
                to_sql(v.created_at_ms),
                contact.map(|c| c.as_str()),
                proven
            ],
        )
        .map_err(sql)?;
    }
    copy_conversations(state, tx)?;
    for (site, last) in &state.contacts.case_seq {
        tx.execute(
            "INSERT INTO case_numbers (site, last) VALUES (?1, ?2)",
            params![site.as_str(), to_sql(*last)],
        )
        .map_err(sql)?;
    }
    super::contact_rows::copy_contacts(state, tx)
}

fn copy_conversations(state: &State, tx: &Transaction<'_>) -> StoreResult<()> {
    for c in state.conversations.values() {
        let queue_seq = state
            .queue
            .iter()
            .position(|id| id == &c.id)
            .map(|at| to_sql(at as u64 + 1));
        tx.execute(
            "INSERT INTO conversations (id, site, visitor, status, agent, agent_name, last_seq,
               created_at_ms, closed_at_ms, case_code, version, visitor_seen_ms, queue_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                c.id.as_str(),
                c.site.as_str(),
                c.visitor.as_str(),
                json(&c.status)?.trim_matches('"'),
                c.agent.as_ref().map(|a| a.as_str()),
                c.agent_name,
                to_sql(c.last_seq),
                to_sql(c.created_at_ms),
                c.closed_at_ms.map(to_sql),
                c.case_code,
                to_sql(c.version),
                c.visitor_seen_ms.map(to_sql),
                queue_seq
            ],
        )
        .map_err(sql)?;
        for m in state.messages.get(&c.id).into_iter().flatten() {
            tx.execute(
                "INSERT INTO messages (conversation, seq, client_msg_id, author, text, sent_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    m.conversation.as_str(),
                    to_sql(m.seq),
                    m.client_msg_id.as_str(),
                    json(&m.author)?,
                    m.text,
                    to_sql(m.sent_at_ms)
                ],
            )
            .map_err(sql)?;
        }
    }
    Ok(())
}
