//! The customer record's part of the hand-over to SQLite (see
//! `handover`): contacts (merged-away ones as forwarding rows),
//! identities, attributes, the name index, timelines, proposals and the
//! audit log, in the SQLite store's layout (`store::sqlite::schema`).

use rusqlite::{params, Transaction};
use shared::contacts::IdentityKind;

use super::state::State;
use crate::store::contacts::name_words;
use crate::store::sqlite::rows::{json, sql, to_sql};
use crate::store::StoreResult;

/// How the SQLite store spells an identity kind (serde's word).
fn kind_word(kind: IdentityKind) -> StoreResult<String> {
    Ok(json(&kind)?.trim_matches('"').to_owned())
}

pub(super) fn copy_contacts(state: &State, tx: &Transaction<'_>) -> StoreResult<()> {
    let c = &state.contacts;
    for contact in c.contacts.values() {
        tx.execute(
            "INSERT INTO contacts (id, site, name, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
            params![
                contact.id.as_str(),
                contact.site.as_str(),
                contact.name,
                to_sql(contact.created_at_ms)
            ],
        )
        .map_err(sql)?;
        for i in &contact.identities {
            tx.execute(
                "INSERT INTO identities (site, kind, value, contact, verified)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    contact.site.as_str(),
                    kind_word(i.kind)?,
                    i.value,
                    contact.id.as_str(),
                    i.verified
                ],
            )
            .map_err(sql)?;
        }
        for (key, value) in &contact.attributes {
            tx.execute(
                "INSERT INTO attributes (contact, key, value) VALUES (?1, ?2, ?3)",
                params![contact.id.as_str(), key, value],
            )
            .map_err(sql)?;
        }
        for word in contact.name.as_deref().map(name_words).unwrap_or_default() {
            tx.execute(
                "INSERT OR IGNORE INTO name_words (site, word, contact) VALUES (?1, ?2, ?3)",
                params![contact.site.as_str(), word, contact.id.as_str()],
            )
            .map_err(sql)?;
        }
    }
    for (from, into) in &c.forwards {
        let site = c
            .live(into)
            .map(|x| x.site.as_str().to_owned())
            .unwrap_or_default();
        tx.execute(
            "INSERT INTO contacts (id, site, name, created_at_ms, merged_into)
             VALUES (?1, ?2, NULL, 0, ?3)",
            params![from.as_str(), site, into.as_str()],
        )
        .map_err(sql)?;
    }
    // Each case's first item first: the SQLite store finds a case's first
    // item by insertion order.
    let firsts: std::collections::HashSet<_> = c.cases.values().collect();
    let mut items: Vec<_> = c.items.values().collect();
    items.sort_by_key(|(_, item)| (!firsts.contains(&item.id), item.at_ms, item.id.clone()));
    for (contact, item) in items {
        let site = c
            .live(contact)
            .map(|x| x.site.as_str().to_owned())
            .unwrap_or_default();
        tx.execute(
            "INSERT INTO timeline (id, contact, site, at_ms, external_id, case_code, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                item.id.as_str(),
                contact.as_str(),
                site,
                to_sql(item.at_ms),
                item.external_id,
                item.case_code,
                json(item)?
            ],
        )
        .map_err(sql)?;
    }
    let mut proposals: Vec<_> = c.proposals.values().collect();
    proposals.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
    for (n, p) in proposals.into_iter().enumerate() {
        let (a, b) = if p.from <= p.into {
            (&p.from, &p.into)
        } else {
            (&p.into, &p.from)
        };
        tx.execute(
            "INSERT INTO proposals (id, from_contact, into_contact, pair, created_seq, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                p.id.as_str(),
                p.from.as_str(),
                p.into.as_str(),
                json(&[a, b])?,
                to_sql(n as u64 + 1),
                json(p)?
            ],
        )
        .map_err(sql)?;
    }
    for (site, entries) in &state.audit {
        for entry in entries {
            tx.execute(
                "INSERT INTO audit (site, body) VALUES (?1, ?2)",
                params![site.as_str(), json(entry)?],
            )
            .map_err(sql)?;
        }
    }
    Ok(())
}
