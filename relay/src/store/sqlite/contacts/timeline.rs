//! Timelines, case numbers and search in the SQLite store. Items are JSON
//! bodies with the columns their indexes need: (contact, at_ms, id) pages
//! a timeline in the contract's order, (site, external_id) keeps a push
//! once, (site, case_code) finds a case. Search reads the name index by a
//! word's prefix and never walks a site's contacts.

use rusqlite::{params, Connection};
use shared::card::TimelineCursor;
use shared::contacts::{Contact, TimelineItem};
use shared::{ContactId, SiteId};

use super::super::chats::take_case_number;
use super::super::worker::sql;
use super::super::{from_json, to_json, to_sql};
use super::records::by_identity;
use super::{item_where, live, read_contact, sql_limit, survivor, texts};
use crate::store::contacts::{
    identity_queries, name_matches, rank_search, scan_word, Recorded, MAX_NAME_SCAN,
};
use crate::store::{StoreError, StoreResult};

/// Puts `item` on `contact`'s timeline (the caller has checked the
/// contact is live on `site`). `Conflict` if the item id is taken.
pub(super) fn insert_item(
    conn: &Connection,
    site: &SiteId,
    contact: &ContactId,
    item: &TimelineItem,
) -> StoreResult<()> {
    let taken: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM timeline WHERE id = ?1)")
        .map_err(sql)?
        .query_row([item.id.as_str()], |r| r.get(0))
        .map_err(sql)?;
    if taken {
        return Err(StoreError::Conflict("timeline item exists"));
    }
    conn.prepare_cached(
        "INSERT INTO timeline (id, contact, site, at_ms, external_id, case_code, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .map_err(sql)?
    .execute(params![
        item.id.as_str(),
        contact.as_str(),
        site.as_str(),
        to_sql(item.at_ms),
        item.external_id,
        item.case_code,
        to_json(item)?,
    ])
    .map_err(sql)?;
    Ok(())
}

pub(super) fn record(
    conn: &Connection,
    site: &SiteId,
    contact: &ContactId,
    item: &TimelineItem,
) -> StoreResult<Recorded> {
    // The external id first: a resend answers with the first item and
    // where it is now, whichever contact it names.
    if let Some(external) = &item.external_id {
        if let Some((contact, item)) = external_item(conn, site, external)? {
            return Ok(Recorded {
                item,
                contact,
                duplicate: true,
            });
        }
    }
    let record = live(conn, contact.as_str())?;
    if record.site != *site {
        return Err(StoreError::NotFound);
    }
    insert_item(conn, site, &record.id, item)?;
    Ok(Recorded {
        item: item.clone(),
        contact: record.id,
        duplicate: false,
    })
}

pub(super) fn external_item(
    conn: &Connection,
    site: &SiteId,
    external_id: &str,
) -> StoreResult<Option<(ContactId, TimelineItem)>> {
    item_where(
        conn,
        "site = ?1 AND external_id = ?2",
        params![site.as_str(), external_id],
    )
}

pub(super) fn timeline(
    conn: &Connection,
    contact: &ContactId,
    before: Option<&TimelineCursor>,
    limit: usize,
) -> StoreResult<Vec<TimelineItem>> {
    let Some(found) = survivor(conn, contact.as_str())? else {
        return Ok(Vec::new());
    };
    let (id, limit) = (found.id.as_str(), sql_limit(limit));
    let bodies = match before {
        None => texts(
            conn,
            "SELECT body FROM timeline WHERE contact = ?1
             ORDER BY at_ms DESC, id DESC LIMIT ?2",
            params![id, limit],
        )?,
        // A row value compares (at_ms, id) together, so a page that ended
        // inside a run of one at_ms goes on exactly where it stopped.
        Some(cursor) => texts(
            conn,
            "SELECT body FROM timeline WHERE contact = ?1 AND (at_ms, id) < (?2, ?3)
             ORDER BY at_ms DESC, id DESC LIMIT ?4",
            params![id, to_sql(cursor.at_ms), cursor.id.as_str(), limit],
        )?,
    };
    bodies.iter().map(|b| from_json(b)).collect()
}

/// The site's next case number, from the counter conversations take
/// theirs from, so a case number is never given out twice.
pub(super) fn next_case_number(conn: &Connection, site: &SiteId) -> StoreResult<u64> {
    take_case_number(conn, site.as_str())
}

/// The first item recorded with `code`: the lowest rowid, since a table
/// without an integer primary key numbers its rows in insertion order
/// (max + 1, so deleting rows never puts a new one before older ones).
pub(super) fn find_case(
    conn: &Connection,
    site: &SiteId,
    code: &str,
) -> StoreResult<Option<(ContactId, TimelineItem)>> {
    item_where(
        conn,
        "site = ?1 AND case_code = ?2 ORDER BY rowid LIMIT 1",
        params![site.as_str(), code],
    )
}

pub(super) fn search(
    conn: &Connection,
    site: &SiteId,
    query: &str,
    limit: usize,
) -> StoreResult<Vec<Contact>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut found_by_identity = Vec::new();
    for (kind, value) in identity_queries(query) {
        if let Some(holder) = by_identity(conn, site, kind, &value)? {
            found_by_identity.extend(read_contact(conn, holder.as_str())?);
        }
    }
    let mut found_by_name = Vec::new();
    if let Some(word) = scan_word(query) {
        for (id, name) in named(conn, site, &word)? {
            if name_matches(name.as_deref(), query) {
                found_by_name.extend(read_contact(conn, &id)?);
            }
        }
    }
    Ok(rank_search(found_by_identity, found_by_name, limit))
}

/// Up to [`MAX_NAME_SCAN`] index entries of `site` whose word begins with
/// `prefix`, as (live contact, its name), each contact once. The range
/// ends at `prefix` + U+10FFFF: the greatest code point, so every word
/// beginning with `prefix` sorts below it (UTF-8 bytes compare in code
/// point order), and never part of a word (words are letters and digits).
fn named(
    conn: &Connection,
    site: &SiteId,
    prefix: &str,
) -> StoreResult<Vec<(String, Option<String>)>> {
    let end = format!("{prefix}\u{10FFFF}");
    let mut found: Vec<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT w.contact, c.name FROM
               (SELECT contact FROM name_words WHERE site = ?1 AND word >= ?2 AND word < ?3
                ORDER BY word, contact LIMIT ?4) AS w
             JOIN contacts c ON c.id = w.contact AND c.merged_into IS NULL",
        )
        .map_err(sql)?
        .query_map(
            params![site.as_str(), prefix, end, sql_limit(MAX_NAME_SCAN)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(sql)?
        .collect::<Result<_, _>>()
        .map_err(sql)?;
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    Ok(found)
}
