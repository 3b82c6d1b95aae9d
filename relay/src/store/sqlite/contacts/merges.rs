//! Merge proposals in the SQLite store: raising one (once per pair of
//! survivors), listing a contact's, and settling one. Accepting moves the
//! whole record in the one worker call, step for step as the embedded
//! store's `contact_merge` and `redis/lua/resolve_merge.lua`: name index,
//! identities, attributes and name, timeline, visitors, other proposals,
//! forwarding, then the merge's own item. Nobody reads half a merge.

use rusqlite::{params, Connection};
use shared::contacts::{Contact, MergeDecision, MergeProposal, TimelineItem};
use shared::{AgentId, ContactId, MergeProposalId};

use super::super::core::agent_row;
use super::super::worker::sql;
use super::super::{body, from_json, to_json};
use super::timeline::insert_item;
use super::{index_name, live, live_contact, read_contact, survivor, texts};
use crate::store::contacts::merge_item;
use crate::store::{StoreError, StoreResult};

/// The `pair` column: the two ids in order, as a JSON array, so no id
/// (untrusted text) can make two different pairs spell the same key.
fn pair_key(a: &ContactId, b: &ContactId) -> StoreResult<String> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    to_json(&[a, b])
}

fn proposed(conn: &Connection, a: &ContactId, b: &ContactId) -> StoreResult<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM proposals WHERE pair = ?1)")
        .map_err(sql)?
        .query_row([pair_key(a, b)?], |r| r.get(0))
        .map_err(sql)
}

fn proposal_row(conn: &Connection, id: &str) -> StoreResult<Option<MergeProposal>> {
    body(conn, "SELECT body FROM proposals WHERE id = ?1", [id])
}

pub(super) fn propose(conn: &Connection, proposal: &MergeProposal) -> StoreResult<()> {
    let from = live(conn, proposal.from.as_str())?;
    let into = live(conn, proposal.into.as_str())?;
    if from.site != into.site {
        return Err(StoreError::NotFound);
    }
    if from.id == into.id || proposed(conn, &from.id, &into.id)? {
        return Ok(());
    }
    if proposal_row(conn, proposal.id.as_str())?.is_some() {
        return Err(StoreError::Conflict("merge proposal exists"));
    }
    let stored = MergeProposal {
        from: from.id,
        into: into.id,
        ..proposal.clone()
    };
    // `created_seq` numbers proposals in the order they were raised.
    conn.prepare_cached(
        "INSERT INTO proposals (id, from_contact, into_contact, pair, created_seq, body)
         VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM proposals), ?5)",
    )
    .map_err(sql)?
    .execute(params![
        stored.id.as_str(),
        stored.from.as_str(),
        stored.into.as_str(),
        pair_key(&stored.from, &stored.into)?,
        to_json(&stored)?,
    ])
    .map_err(sql)?;
    Ok(())
}

/// Ids of the open proposals on either side of the live record `id`, in
/// id order.
fn proposal_ids(conn: &Connection, id: &ContactId) -> StoreResult<Vec<String>> {
    texts(
        conn,
        "SELECT id FROM proposals WHERE from_contact = ?1 OR into_contact = ?1 ORDER BY id",
        [id.as_str()],
    )
}

/// Open proposals on either side of the contact's survivor, oldest first
/// (by `created_at_ms`, then id, as in the other stores).
pub(super) fn involving(conn: &Connection, contact: &ContactId) -> StoreResult<Vec<MergeProposal>> {
    let Some(found) = survivor(conn, contact.as_str())? else {
        return Ok(Vec::new());
    };
    let bodies = texts(
        conn,
        "SELECT body FROM proposals WHERE from_contact = ?1 OR into_contact = ?1",
        [found.id.as_str()],
    )?;
    let mut list = bodies
        .iter()
        .map(|b| from_json(b))
        .collect::<StoreResult<Vec<MergeProposal>>>()?;
    list.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
    Ok(list)
}

pub(super) fn settle(
    conn: &Connection,
    id: &MergeProposalId,
    decision: MergeDecision,
    agent: &AgentId,
    at_ms: u64,
) -> StoreResult<Contact> {
    let proposal = proposal_row(conn, id.as_str())?.ok_or(StoreError::NotFound)?;
    conn.prepare_cached("DELETE FROM proposals WHERE id = ?1")
        .map_err(sql)?
        .execute([id.as_str()])
        .map_err(sql)?;
    if decision == MergeDecision::Accept {
        let agent_name =
            agent_row(conn, agent.as_str())?.map_or_else(|| agent.to_string(), |a| a.name);
        let from = read_contact(conn, proposal.from.as_str())?;
        let item = merge_item(&proposal, from.as_ref(), &agent_name, at_ms);
        merge(conn, &proposal.from, &proposal.into, &item)?;
    }
    live_contact(conn, proposal.into.as_str())?.ok_or(StoreError::NotFound)
}

/// Moves the live record `from` into the live record `into` (proposals
/// always name live records: a merge re-points the others).
fn merge(
    conn: &Connection,
    from: &ContactId,
    into: &ContactId,
    item: &TimelineItem,
) -> StoreResult<()> {
    let site = match (
        survivor(conn, from.as_str())?,
        survivor(conn, into.as_str())?,
    ) {
        (Some(gone), Some(kept)) if gone.id == *from && kept.id == *into => kept.site,
        _ => {
            return Err(StoreError::Corrupt(format!(
                "merge proposal between {from} and {into}: not both live records"
            )))
        }
    };
    // Out of the name index while names change; the survivor goes back in.
    index_name(conn, from.as_str(), false)?;
    index_name(conn, into.as_str(), false)?;
    let moves: [&str; 5] = [
        // One row per identity (site, kind, value), so `into` cannot hold
        // a copy already: moving the rows is the union.
        "UPDATE identities SET contact = ?2 WHERE contact = ?1",
        // The surviving record's attribute values win (the rest of
        // `from`'s rows are removed below).
        "INSERT OR IGNORE INTO attributes (contact, key, value)
           SELECT ?2, key, value FROM attributes WHERE contact = ?1",
        // The name too, taken only when the survivor has none.
        "UPDATE contacts SET name = (SELECT name FROM contacts WHERE id = ?1)
           WHERE id = ?2 AND name IS NULL",
        // Items, and with them their case and external-id entries.
        "UPDATE timeline SET contact = ?2 WHERE contact = ?1",
        "UPDATE visitors SET contact = ?2 WHERE contact = ?1",
    ];
    for step in moves {
        conn.prepare_cached(step)
            .map_err(sql)?
            .execute(params![from.as_str(), into.as_str()])
            .map_err(sql)?;
    }
    conn.prepare_cached("DELETE FROM attributes WHERE contact = ?1")
        .map_err(sql)?
        .execute([from.as_str()])
        .map_err(sql)?;
    repoint_proposals(conn, from, into)?;
    // The forwarding record keeps only where to go.
    conn.prepare_cached("UPDATE contacts SET name = NULL, merged_into = ?2 WHERE id = ?1")
        .map_err(sql)?
        .execute(params![from.as_str(), into.as_str()])
        .map_err(sql)?;
    index_name(conn, into.as_str(), true)?;
    insert_item(conn, &site, into, item)
}

/// Proposals that involved `from` now involve `into`; one that would pair
/// `into` with itself or repeat an open pair is dropped. In id order, so
/// which of two now-equal proposals is kept never depends on row order.
fn repoint_proposals(conn: &Connection, from: &ContactId, into: &ContactId) -> StoreResult<()> {
    for id in proposal_ids(conn, from)? {
        let Some(mut proposal) = proposal_row(conn, &id)? else {
            continue;
        };
        for side in [&mut proposal.from, &mut proposal.into] {
            if side == from {
                side.clone_from(into);
            }
        }
        if proposal.from == proposal.into || proposed(conn, &proposal.from, &proposal.into)? {
            conn.prepare_cached("DELETE FROM proposals WHERE id = ?1")
                .map_err(sql)?
                .execute([id.as_str()])
                .map_err(sql)?;
            continue;
        }
        conn.prepare_cached(
            "UPDATE proposals SET from_contact = ?2, into_contact = ?3, pair = ?4, body = ?5
             WHERE id = ?1",
        )
        .map_err(sql)?
        .execute(params![
            id,
            proposal.from.as_str(),
            proposal.into.as_str(),
            pair_key(&proposal.from, &proposal.into)?,
            to_json(&proposal)?,
        ])
        .map_err(sql)?;
    }
    Ok(())
}
