//! The customer record in the SQLite store: [`ContactStore`] and
//! [`ErasureStore`] for [`super::SqliteStore`]. Every trait method is one
//! worker call, so each check and the write it guards are one atomic step,
//! as in the embedded store's lock and the Redis scripts; the rules all
//! stores share (normalising identities, name words, search ranking, the
//! merge's own item) are computed by `store::contacts`, never here.
//!
//! The parts: `records` (contacts, identities, attributes, visitors),
//! `timeline` (items, cases, search), `merges`, `erase`, and `store_impl`,
//! which names the function behind each trait method. Below are what they
//! all lean on: following merges, reading a record whole, and keeping the
//! name index in step with names.
//!
//! A merged-away record stays as a `contacts` row with `merged_into` set
//! and nothing else (no name, identities, items or visitors), so a lookup
//! by its old id forwards to the survivor.
//!
//! [`ContactStore`]: crate::store::contacts::ContactStore
//! [`ErasureStore`]: crate::store::erasure::ErasureStore

mod erase;
mod merges;
mod records;
mod store_impl;
mod timeline;

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use shared::contacts::{Contact, Identity, IdentityKind, TimelineItem};
use shared::{ContactId, SiteId};

use super::worker::sql;
use super::{from_json, from_sql};
use crate::store::contacts::{name_words, MAX_FORWARDS};
use crate::store::{StoreError, StoreResult};

/// A live record, as following merges finds it.
#[derive(Debug)]
struct Live {
    id: ContactId,
    site: SiteId,
}

/// The live record `id` forwards to (itself when not merged); `None` for
/// no such contact. A chain longer than [`MAX_FORWARDS`] is damage.
fn survivor(conn: &Connection, id: &str) -> StoreResult<Option<Live>> {
    let mut stmt = conn
        .prepare_cached("SELECT site, merged_into FROM contacts WHERE id = ?1")
        .map_err(sql)?;
    let mut id = id.to_owned();
    for _ in 0..MAX_FORWARDS {
        let row: Option<(String, Option<String>)> = stmt
            .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(sql)?;
        match row {
            None => return Ok(None),
            Some((site, None)) => {
                return Ok(Some(Live {
                    id: ContactId(id),
                    site: SiteId(site),
                }))
            }
            Some((_, Some(next))) => id = next,
        }
    }
    Err(StoreError::Corrupt(format!(
        "contact {id}: merge forwarding does not end"
    )))
}

/// The live record `id` forwards to, or `NotFound`.
fn live(conn: &Connection, id: &str) -> StoreResult<Live> {
    survivor(conn, id)?.ok_or(StoreError::NotFound)
}

/// The live contact `id` forwards to, whole.
fn live_contact(conn: &Connection, id: &str) -> StoreResult<Option<Contact>> {
    match survivor(conn, id)? {
        Some(found) => read_contact(conn, found.id.as_str()),
        None => Ok(None),
    }
}

/// The live contact stored as exactly `id` (no forwarding), whole: its
/// identities ordered by kind, then value, as the contract says (kinds in
/// their declared order, which the stored word does not sort by).
fn read_contact(conn: &Connection, id: &str) -> StoreResult<Option<Contact>> {
    let row: Option<(String, Option<String>, i64)> = conn
        .prepare_cached(
            "SELECT site, name, created_at_ms FROM contacts WHERE id = ?1 AND merged_into IS NULL",
        )
        .map_err(sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
        .map_err(sql)?;
    let Some((site, name, created_at_ms)) = row else {
        return Ok(None);
    };
    let rows = conn
        .prepare_cached("SELECT kind, value, verified FROM identities WHERE contact = ?1")
        .map_err(sql)?
        .query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, bool>(2)?))
        })
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    let mut identities = rows
        .into_iter()
        .map(|(kind, value, verified)| {
            Ok(Identity {
                kind: kind_of(&kind)?,
                value,
                verified,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    identities.sort_by(|a, b| (a.kind, &a.value).cmp(&(b.kind, &b.value)));
    let attributes = conn
        .prepare_cached("SELECT key, value FROM attributes WHERE contact = ?1")
        .map_err(sql)?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql)?
        .collect::<Result<BTreeMap<String, String>, _>>()
        .map_err(sql)?;
    Ok(Some(Contact {
        id: ContactId(id.to_owned()),
        site: SiteId(site),
        name,
        identities,
        attributes,
        created_at_ms: from_sql(created_at_ms),
    }))
}

/// An identity kind read back from its stored word (the wire spelling,
/// `store::contacts::wire_word`).
fn kind_of(word: &str) -> StoreResult<IdentityKind> {
    serde_json::from_value(serde_json::Value::String(word.to_owned()))
        .map_err(|e| StoreError::Corrupt(format!("identity kind {word:?}: {e}")))
}

/// Adds (`add`) or removes the name words of the live record `id` in the
/// search index, like the embedded store's `index_name`: a caller takes a
/// record's words out before its name changes or it stops being live, and
/// puts them back after, so the index holds exactly the live names' words.
fn index_name(conn: &Connection, id: &str, add: bool) -> StoreResult<()> {
    let row: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT site, name FROM contacts WHERE id = ?1 AND merged_into IS NULL")
        .map_err(sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(sql)?;
    let Some((site, Some(name))) = row else {
        return Ok(());
    };
    let mut stmt = conn
        .prepare_cached(if add {
            "INSERT OR IGNORE INTO name_words (site, word, contact) VALUES (?1, ?2, ?3)"
        } else {
            "DELETE FROM name_words WHERE site = ?1 AND word = ?2 AND contact = ?3"
        })
        .map_err(sql)?;
    for word in name_words(&name) {
        stmt.execute(params![site, word, id]).map_err(sql)?;
    }
    Ok(())
}

/// The first timeline item `filter` (a fixed `WHERE` clause, values as
/// parameters) selects, with the live record it is on.
fn item_where(
    conn: &Connection,
    filter: &'static str,
    params: impl rusqlite::Params,
) -> StoreResult<Option<(ContactId, TimelineItem)>> {
    let row: Option<(String, String)> = conn
        .prepare_cached(&format!(
            "SELECT contact, body FROM timeline WHERE {filter}"
        ))
        .map_err(sql)?
        .query_row(params, |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(sql)?;
    let Some((contact, body)) = row else {
        return Ok(None);
    };
    let Some(holder) = survivor(conn, &contact)? else {
        return Ok(None);
    };
    Ok(Some((holder.id, from_json(&body)?)))
}

/// A caller's `limit` as SQLite's `LIMIT`.
fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// The first column (text: ids, JSON bodies) of each row `query`
/// lists, in the query's order.
fn texts(
    conn: &Connection,
    query: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<String>> {
    conn.prepare_cached(query)
        .map_err(sql)?
        .query_map(params, |r| r.get(0))
        .map_err(sql)?
        .collect::<Result<Vec<String>, _>>()
        .map_err(sql)
}
