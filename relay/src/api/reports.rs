//! Service reports for other systems (a BI tool, a spreadsheet): the
//! same figures the console's reports page shows, as JSON, and each of its
//! tables as CSV. The site's API key speaks for the site's admin; the
//! period is `from`..`to` in Unix ms (`to` excluded), compared with the
//! period of the same length before it.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shared::reports::{Report, ReportQuery};

use super::{ApiError, SiteKey};
use crate::app::App;
use crate::conversations::{Actor, ServiceError};
use crate::reports::csv::{table_csv, Table};

/// `?from=<ms>&to=<ms>&business_hours=true|false`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: u64,
    pub to: u64,
    #[serde(default)]
    pub business_hours: bool,
}

impl Period {
    fn query(self) -> ReportQuery {
        ReportQuery {
            from_ms: self.from,
            to_ms: self.to,
            business_hours: self.business_hours,
        }
    }
}

/// The query string read, or a typed refusal naming what is wrong.
fn period(read: Result<Query<Period>, QueryRejection>) -> Result<ReportQuery, ApiError> {
    let Query(period) = read.map_err(|e| ApiError::invalid(e.body_text()))?;
    Ok(period.query())
}

async fn report(app: &App, key: &SiteKey, query: &ReportQuery) -> Result<Report, ApiError> {
    Ok(app
        .conversations
        .report(Actor::Integration(&key.site), &key.site.id, query)
        .await?)
}

/// `GET /api/v1/sites/{site}/reports`: the whole report.
pub async fn whole(
    State(app): State<Arc<App>>,
    key: SiteKey,
    read: Result<Query<Period>, QueryRejection>,
) -> Result<Json<Report>, ApiError> {
    let query = period(read)?;
    Ok(Json(report(&app, &key, &query).await?))
}

/// `GET /api/v1/sites/{site}/reports/{table}.csv`: one table as CSV.
pub async fn table(
    State(app): State<Arc<App>>,
    key: SiteKey,
    Path((_site, file)): Path<(String, String)>,
    read: Result<Query<Period>, QueryRejection>,
) -> Result<Response, ApiError> {
    let table = file
        .strip_suffix(".csv")
        .and_then(Table::named)
        .ok_or(ServiceError::NotFound(
            "no such report table: overview.csv, agents.csv, channels.csv, sites.csv, \
             heat_map.csv or first_response.csv",
        ))?;
    let query = period(read)?;
    let report = report(&app, &key, &query).await?;
    let disposition = format!("attachment; filename=\"{file}\"");
    let mut response = table_csv(&report, table).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
