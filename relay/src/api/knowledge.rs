//! The knowledge base for other channels' tools: search, read an article,
//! and list the site's shared canned replies, so an email or phone tool
//! gives the same answers as the chat. Published articles only; a site's
//! key reads only its own site.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::canned::CannedReply;
use shared::knowledge::{ArticleView, SearchHit};
use shared::ArticleId;

use super::{ApiError, SiteKey};
use crate::app::App;
use crate::knowledge::markdown;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    pub q: String,
    #[serde(default)]
    pub lang: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SearchAnswer {
    pub query: String,
    pub hits: Vec<SearchHit>,
}

pub async fn search(
    State(app): State<Arc<App>>,
    key: SiteKey,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::invalid(e.body_text()))?;
    let hits = app
        .conversations
        .search_articles("api", &key.site.id, query.lang.as_deref(), &query.q)
        .await?;
    Ok(Json(SearchAnswer {
        query: query.q,
        hits,
    }))
}

/// An article as the API gives it: the blocks, and the same body as HTML
/// (escaped, safe to put into an email) and as plain text.
#[derive(Debug, Serialize)]
pub struct ArticleAnswer {
    #[serde(flatten)]
    pub article: ArticleView,
    pub html: String,
    pub text: String,
    /// The article's page in the public help center.
    pub url: String,
}

pub async fn article(
    State(app): State<Arc<App>>,
    key: SiteKey,
    Path((_site, article)): Path<(String, String)>,
) -> Result<Json<ArticleAnswer>, ApiError> {
    let article = app
        .conversations
        .published_article(&key.site.id, &ArticleId(article))
        .await?;
    let url = crate::web::help::article_url(&app.public_url, &article);
    Ok(Json(ArticleAnswer {
        html: markdown::to_html(&article.blocks),
        text: markdown::plain_text(&article.blocks),
        url,
        article,
    }))
}

#[derive(Debug, Serialize)]
pub struct CannedAnswer {
    pub replies: Vec<CannedReply>,
}

pub async fn canned_replies(
    State(app): State<Arc<App>>,
    key: SiteKey,
) -> Result<Json<CannedAnswer>, ApiError> {
    let replies = app
        .conversations
        .shared_canned_replies(&key.site.id)
        .await?;
    Ok(Json(CannedAnswer { replies }))
}
