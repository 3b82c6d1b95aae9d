//! The integrators' REST API, per site, authenticated with the site's API
//! key (`Authorization: Bearer <key>`): push interactions from other
//! channels onto the customer record ([`ingest`]) and read the record back
//! ([`records`]), read the knowledge base and shared canned replies
//! ([`knowledge`]), and read service reports as JSON or CSV ([`reports`]).
//! JSON in and out; every failure is a typed JSON error
//! (`{"error": {"code", "message"}}`) with a fitting status, and a refused
//! request changes nothing.

pub mod error;
pub mod ingest;
pub mod knowledge;
pub mod records;
pub mod reports;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use shared::SiteId;

use crate::app::App;
use crate::conversations::ServiceError;
use crate::store::Site;

pub use error::ApiError;

/// Largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The API's routes (merged into the relay's router).
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/sites/{site}/items", post(ingest::push))
        .route("/api/v1/sites/{site}/contacts", get(records::search))
        .route(
            "/api/v1/sites/{site}/contacts/{contact}",
            get(records::contact).delete(records::erase),
        )
        .route("/api/v1/sites/{site}/audit", get(records::audit))
        .route(
            "/api/v1/sites/{site}/contacts/{contact}/export",
            get(records::export),
        )
        .route("/api/v1/sites/{site}/cases/{code}", get(records::case))
        .route("/api/v1/sites/{site}/kb/search", get(knowledge::search))
        .route(
            "/api/v1/sites/{site}/kb/articles/{article}",
            get(knowledge::article),
        )
        .route(
            "/api/v1/sites/{site}/canned-replies",
            get(knowledge::canned_replies),
        )
        .route("/api/v1/sites/{site}/reports", get(reports::whole))
        // `{table}.csv`: the router takes no suffix after a parameter.
        .route("/api/v1/sites/{site}/reports/{table}", get(reports::table))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(private))
}

/// Every API answer may carry personal data: no cache keeps it, and no
/// browser reads it as anything but JSON.
async fn private(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A request that proved it speaks for `site` with one of its API keys.
#[derive(Debug)]
pub struct SiteKey {
    pub site: Site,
}

impl FromRequestParts<Arc<App>> for SiteKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .ok_or(ApiError::Unauthorized)?;
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, app)
            .await
            .map_err(|_| ServiceError::NotFound("no such route"))?;
        let site = params
            .iter()
            .find(|(name, _)| name == "site")
            .map(|(_, value)| SiteId::from(value.as_str()))
            .ok_or(ServiceError::NotFound("no such route"))?;
        let site = app
            .conversations
            .integration_site(&site, &key)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Ok(Self { site })
    }
}
