//! Reading the customer record back: one contact with its timeline and
//! open merge proposals, a search, and a case by its code. A site's key
//! reads only that site's records; another site's contact id answers 404
//! like a missing one.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::card::TimelineCursor;
use shared::contacts::Contact;
use shared::{ContactId, TimelineItemId};

use super::{ApiError, SiteKey};
use crate::app::App;
use crate::conversations::customers::{Case, ContactRecord};
use crate::conversations::export::ContactExport;
use crate::store::AuditEntry;
use shared::privacy::Erased;

/// Timeline items one read returns at most.
pub const MAX_PAGE: usize = 200;

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
) -> Result<Json<ContactRecord>, ApiError> {
    let Query(page) = page.map_err(|e| ApiError::invalid(e.body_text()))?;
    let limit = page.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let before = page.before_ms.map(|at_ms| TimelineCursor {
        at_ms,
        // The empty id sorts before every id: "strictly before at_ms".
        id: TimelineItemId(page.before_id.unwrap_or_default()),
    });
    let record = app
        .conversations
        .contact_record(&key.site, &ContactId(contact), before.as_ref(), limit)
        .await?;
    Ok(Json(record))
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
    let Query(search) = query.map_err(|e| ApiError::invalid(e.body_text()))?;
    let q = search.q.trim();
    if q.is_empty() || q.chars().count() > 256 {
        return Err(ApiError::invalid(
            "q must be 1 to 256 characters: a name, email, phone or case code",
        ));
    }
    let contacts = app
        .conversations
        .site_contacts(&key.site, q, MAX_FOUND)
        .await?;
    Ok(Json(Found { contacts }))
}

/// `GET /api/v1/sites/{site}/contacts/{contact}/export`: everything
/// stored about the contact (the GDPR right of access).
pub async fn export(
    State(app): State<Arc<App>>,
    key: SiteKey,
    Path((_site, contact)): Path<(String, String)>,
) -> Result<Json<ContactExport>, ApiError> {
    let export = app
        .conversations
        .export_contact(&key.site, &ContactId(contact))
        .await?;
    Ok(Json(export))
}

/// `DELETE /api/v1/sites/{site}/contacts/{contact}`: erases the contact
/// (the GDPR right to erasure; see `store::erasure`), answering what went.
pub async fn erase(
    State(app): State<Arc<App>>,
    key: SiteKey,
    Path((_site, contact)): Path<(String, String)>,
) -> Result<Json<Erased>, ApiError> {
    let erased = app
        .conversations
        .erase_contact(&key.site, &ContactId(contact), "api")
        .await?;
    Ok(Json(erased))
}

/// The audit log's answer.
#[derive(Debug, Serialize)]
pub struct Audit {
    pub entries: Vec<AuditEntry>,
}

/// `?limit=` for the audit log.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    #[serde(default = "default_audit_limit")]
    pub limit: usize,
}

fn default_audit_limit() -> usize {
    100
}

/// `GET /api/v1/sites/{site}/audit`: the site's audit log, newest first.
pub async fn audit(
    State(app): State<Arc<App>>,
    key: SiteKey,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Audit>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::invalid(e.body_text()))?;
    let entries = app.conversations.audit_log(&key.site, query.limit).await?;
    Ok(Json(Audit { entries }))
}

/// `GET /api/v1/sites/{site}/cases/{code}`.
pub async fn case(
    State(app): State<Arc<App>>,
    key: SiteKey,
    Path((_site, code)): Path<(String, String)>,
) -> Result<Json<Case>, ApiError> {
    Ok(Json(app.conversations.case(&key.site, &code).await?))
}
