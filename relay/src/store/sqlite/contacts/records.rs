//! Contacts, their identities and attributes, and the visitors linked to
//! them, in the SQLite store. The `identities` primary key (site, kind,
//! value) is what makes an identity belong to one contact; each function
//! checks the contract's rule first and then writes, within one worker
//! call, so a refused call changes nothing.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use shared::contacts::{Contact, Identity, IdentityKind};
use shared::{ContactId, SiteId, VisitorId};

use super::super::to_sql;
use super::super::worker::sql;
use super::{index_name, live, live_contact, survivor, texts};
use crate::store::contacts::{normalised, normalised_identities, wire_word};
use crate::store::{StoreError, StoreResult};

/// A blank name is no name (as in the other stores).
fn clean_name(name: Option<&str>) -> Option<&str> {
    name.filter(|n| !n.is_empty())
}

/// Who holds the identity on the site as stored (maybe merged away since
/// the caller's check; callers follow it), and whether verified.
fn holder(
    conn: &Connection,
    site: &SiteId,
    kind: IdentityKind,
    value: &str,
) -> StoreResult<Option<(String, bool)>> {
    conn.prepare_cached(
        "SELECT contact, verified FROM identities WHERE site = ?1 AND kind = ?2 AND value = ?3",
    )
    .map_err(sql)?
    .query_row(params![site.as_str(), wire_word(kind), value], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()
    .map_err(sql)
}

/// Gives the (normalised) identity to `contact`; a copy it already holds
/// only ever becomes verified.
fn put_identity(
    conn: &Connection,
    site: &SiteId,
    contact: &ContactId,
    identity: &Identity,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO identities (site, kind, value, contact, verified) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (site, kind, value) DO UPDATE SET
           contact = excluded.contact, verified = MAX(verified, excluded.verified)",
    )
    .map_err(sql)?
    .execute(params![
        site.as_str(),
        wire_word(identity.kind),
        identity.value,
        contact.as_str(),
        identity.verified,
    ])
    .map_err(sql)?;
    Ok(())
}

pub(super) fn create(conn: &Connection, contact: &Contact) -> StoreResult<()> {
    let identities = normalised_identities(&contact.identities);
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ?1)")
        .map_err(sql)?
        .query_row([contact.id.as_str()], |r| r.get(0))
        .map_err(sql)?;
    if exists {
        return Err(StoreError::Conflict("contact exists"));
    }
    for identity in &identities {
        if holder(conn, &contact.site, identity.kind, &identity.value)?.is_some() {
            return Err(StoreError::Conflict("identity held by another contact"));
        }
    }
    conn.prepare_cached(
        "INSERT INTO contacts (id, site, name, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
    )
    .map_err(sql)?
    .execute(params![
        contact.id.as_str(),
        contact.site.as_str(),
        clean_name(contact.name.as_deref()),
        to_sql(contact.created_at_ms),
    ])
    .map_err(sql)?;
    for identity in &identities {
        put_identity(conn, &contact.site, &contact.id, identity)?;
    }
    let mut attribute = conn
        .prepare_cached("INSERT INTO attributes (contact, key, value) VALUES (?1, ?2, ?3)")
        .map_err(sql)?;
    for (key, value) in contact.attributes.iter().filter(|(_, v)| !v.is_empty()) {
        attribute
            .execute(params![contact.id.as_str(), key, value])
            .map_err(sql)?;
    }
    index_name(conn, contact.id.as_str(), true)
}

pub(super) fn contact(conn: &Connection, id: &ContactId) -> StoreResult<Option<Contact>> {
    live_contact(conn, id.as_str())
}

pub(super) fn by_identity(
    conn: &Connection,
    site: &SiteId,
    kind: IdentityKind,
    value: &str,
) -> StoreResult<Option<ContactId>> {
    let value = Identity::normalise(kind, value);
    let Some((held_by, _)) = holder(conn, site, kind, &value)? else {
        return Ok(None);
    };
    Ok(survivor(conn, &held_by)?.map(|found| found.id))
}

pub(super) fn add_identity(
    conn: &Connection,
    contact: &ContactId,
    identity: &Identity,
) -> StoreResult<()> {
    let identity = normalised(identity);
    let record = live(conn, contact.as_str())?;
    if let Some((held_by, _)) = holder(conn, &record.site, identity.kind, &identity.value)? {
        if survivor(conn, &held_by)?.map(|h| h.id) != Some(record.id.clone()) {
            return Err(StoreError::Conflict("identity held by another contact"));
        }
    }
    put_identity(conn, &record.site, &record.id, &identity)
}

/// `take_identity`: a verified claim. Another record holding the identity
/// unverified (someone typed it) loses it to `contact`, and is returned.
pub(super) fn take_identity(
    conn: &Connection,
    contact: &ContactId,
    identity: &Identity,
) -> StoreResult<Option<ContactId>> {
    let identity = Identity {
        verified: true,
        ..normalised(identity)
    };
    let record = live(conn, contact.as_str())?;
    let mut taken_from = None;
    if let Some((held_by, verified)) = holder(conn, &record.site, identity.kind, &identity.value)? {
        let other = survivor(conn, &held_by)?
            .map(|h| h.id)
            .filter(|h| *h != record.id);
        if other.is_some() && verified {
            return Err(StoreError::Conflict(
                "identity held verified by another contact",
            ));
        }
        taken_from = other;
    }
    // One row per identity: giving it to `contact` is taking it away.
    put_identity(conn, &record.site, &record.id, &identity)?;
    Ok(taken_from)
}

pub(super) fn update(
    conn: &Connection,
    contact: &ContactId,
    name: Option<&str>,
    attributes: &BTreeMap<String, String>,
) -> StoreResult<Contact> {
    let id = live(conn, contact.as_str())?.id;
    if let Some(name) = name {
        index_name(conn, id.as_str(), false)?;
        conn.prepare_cached("UPDATE contacts SET name = ?2 WHERE id = ?1")
            .map_err(sql)?
            .execute(params![id.as_str(), clean_name(Some(name))])
            .map_err(sql)?;
        index_name(conn, id.as_str(), true)?;
    }
    for (key, value) in attributes {
        if value.is_empty() {
            conn.prepare_cached("DELETE FROM attributes WHERE contact = ?1 AND key = ?2")
                .map_err(sql)?
                .execute(params![id.as_str(), key])
                .map_err(sql)?;
        } else {
            conn.prepare_cached(
                "INSERT INTO attributes (contact, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (contact, key) DO UPDATE SET value = excluded.value",
            )
            .map_err(sql)?
            .execute(params![id.as_str(), key, value])
            .map_err(sql)?;
        }
    }
    live_contact(conn, id.as_str())?.ok_or(StoreError::NotFound)
}

pub(super) fn visitor_contact(
    conn: &Connection,
    visitor: &VisitorId,
) -> StoreResult<Option<ContactId>> {
    let linked: Option<Option<String>> = conn
        .prepare_cached("SELECT contact FROM visitors WHERE id = ?1")
        .map_err(sql)?
        .query_row([visitor.as_str()], |r| r.get(0))
        .optional()
        .map_err(sql)?;
    match linked.flatten() {
        Some(contact) => Ok(survivor(conn, &contact)?.map(|found| found.id)),
        None => Ok(None),
    }
}

/// Links (or re-links) the visitor to the contact's survivor; `proven`
/// marks it proven, and a proven visitor stays proven. `NotFound` unless
/// the visitor exists on the contact's site.
pub(super) fn link_visitor(
    conn: &Connection,
    visitor: &VisitorId,
    contact: &ContactId,
    proven: bool,
) -> StoreResult<()> {
    let record = live(conn, contact.as_str())?;
    let changed = conn
        .prepare_cached(
            "UPDATE visitors SET contact = ?3, proven = MAX(proven, ?4)
             WHERE id = ?1 AND site = ?2",
        )
        .map_err(sql)?
        .execute(params![
            visitor.as_str(),
            record.site.as_str(),
            record.id.as_str(),
            proven,
        ])
        .map_err(sql)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The visitors linked to the contact's survivor (only the proven ones
/// when `proven_only`), sorted by id.
pub(super) fn visitors(
    conn: &Connection,
    contact: &ContactId,
    proven_only: bool,
) -> StoreResult<Vec<VisitorId>> {
    let Some(found) = survivor(conn, contact.as_str())? else {
        return Ok(Vec::new());
    };
    let query = if proven_only {
        "SELECT id FROM visitors WHERE contact = ?1 AND proven = 1 ORDER BY id"
    } else {
        "SELECT id FROM visitors WHERE contact = ?1 ORDER BY id"
    };
    Ok(texts(conn, query, [found.id.as_str()])?
        .into_iter()
        .map(VisitorId)
        .collect())
}
