//! Reading the customer record back: one contact with its timeline and
//! open merge proposals, a search, and a case by its code. A site's key
//! reads only that site's records; another site's contact id answers 404
//! like a missing one.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::card::TimelineCursor;
use shared::contacts::{Contact, MergeProposal, TimelineItem};
use shared::{ContactId, TimelineItemId};

use super::{ApiError, SiteKey};
use crate::app::App;
use crate::customers::card::next_cursor;
use crate::identity::case_code::CaseCode;

/// Timeline items one read returns at most.
pub const MAX_PAGE: usize = 200;

/// A contact with what an integrator needs to act on it.
#[derive(Debug, Serialize)]
pub struct Record {
    pub contact: Contact,
    /// Newest first.
    pub timeline: Vec<TimelineItem>,
    /// Where the next page starts (`before_ms` + `before_id`), when this
    /// one was full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<TimelineCursor>,
    pub merge_proposals: Vec<MergeProposal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Only items before this time (Unix ms), for paging back.
    #[serde(default)]
    pub before_ms: Option<u64>,
    /// With `before_ms`: also the items of that same millisecond whose
    /// id sorts before this one (the `next` cursor of the previous page).
    #[serde(default)]
    pub before_id: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
}

pub async fn contact(
    State(app): State<Arc<App>>,
    key: SiteKey,
    Path((_site, contact)): Path<(String, String)>,
    page: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Record>, ApiError> {
    let Query(page) = page.map_err(|e| ApiError::Invalid(e.body_text()))?;
    let store = app.store.as_ref();
    let contact = store
        .contact(&ContactId(contact))
        .await?
        .filter(|c| c.site == key.site.id)
        .ok_or(ApiError::NotFound("no such contact on this site"))?;
    let limit = page.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let before = page.before_ms.map(|at_ms| TimelineCursor {
        at_ms,
        // The empty id sorts before every id: "strictly before at_ms".
        id: TimelineItemId(page.before_id.unwrap_or_default()),
    });
    let timeline = store.timeline(&contact.id, before.as_ref(), limit).await?;
    let next = next_cursor(&timeline, limit);
    let merge_proposals = store.merge_proposals(&contact.id).await?;
    Ok(Json(Record {
        contact,
        timeline,
        next,
        merge_proposals,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    pub q: String,
}

/// Contacts found by a search.
#[derive(Debug, Serialize)]
pub struct Found {
    pub contacts: Vec<Contact>,
}

/// Contacts a search returns at most.
pub const MAX_FOUND: usize = 50;

pub async fn search(
    State(app): State<Arc<App>>,
    key: SiteKey,
    query: Result<Query<Search>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Found>, ApiError> {
    let Query(search) = query.map_err(|e| ApiError::Invalid(e.body_text()))?;
    let q = search.q.trim();
    if q.is_empty() || q.chars().count() > 256 {
        return Err(ApiError::Invalid(
            "q must be 1 to 256 characters: a name, email, phone or case code".into(),
        ));
    }
    let store = app.store.as_ref();
    let mut contacts = Vec::new();
    if let Some(code) = CaseCode::parse(q) {
        if let Some((id, _)) = store.find_case(&key.site.id, &code.to_string()).await? {
            contacts.extend(store.contact(&id).await?);
        }
    }
    for contact in store.search_contacts(&key.site.id, q, MAX_FOUND).await? {
        if !contacts.iter().any(|c| c.id == contact.id) {
            contacts.push(contact);
        }
    }
    contacts.truncate(MAX_FOUND);
    Ok(Json(Found { contacts }))
}

/// A case: its first item and the contact it belongs to.
#[derive(Debug, Serialize)]
pub struct Case {
    pub case_code: String,
    pub contact: Contact,
    pub item: TimelineItem,
}

pub async fn case(
    State(app): State<Arc<App>>,
    key: SiteKey,
    Path((_site, code)): Path<(String, String)>,
) -> Result<Json<Case>, ApiError> {
    let code = CaseCode::parse(&code)
        .ok_or(ApiError::NotFound("no case with this code on this site"))?
        .to_string();
    let store = app.store.as_ref();
    let (contact, item) = store
        .find_case(&key.site.id, &code)
        .await?
        .ok_or(ApiError::NotFound("no case with this code on this site"))?;
    let contact = store
        .contact(&contact)
        .await?
        .ok_or(ApiError::NotFound("no case with this code on this site"))?;
    Ok(Json(Case {
        case_code: code,
        contact,
        item,
    }))
}
