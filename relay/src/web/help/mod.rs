//! The public help center: every site's published articles as plain,
//! server-rendered pages, readable without JavaScript and linkable from
//! emails.
//!
//! - `GET /help/{site}`: to the site's first language.
//! - `GET /help/{site}/{lang}`: the articles by category; `?q=` searches.
//! - `GET /help/{site}/{lang}/{slug}`: one article and its translations.
//!
//! Who may read what (published only) is the service's rule; this only
//! lays pages out ([`render`], in the reader's language: [`text`]). The
//! pages carry no script and their CSP allows none.

mod render;
mod text;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine as _;
use render::Frame;
use sha2::{Digest, Sha256};
use shared::knowledge::{Article, ArticleView, Category, MAX_QUERY_CHARS};
use shared::SiteId;

use crate::app::App;
use crate::conversations::knowledge::{valid_lang, MAX_SLUG_CHARS};
use crate::conversations::ServiceError;
use crate::store::Site;

/// Nothing may run, load or submit elsewhere; the one inline stylesheet
/// is allowed by its hash, article images from the web.
static CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(render::STYLE));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src https: http:; \
         form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
});

/// Pages change when an admin publishes; a minute of staleness is fine.
const CACHE: &str = "public, max-age=60";
/// Where the help center searches from, for the metrics.
const SEARCHED_BY: &str = "help_center";

/// The help center's routes (merged into the pages' router).
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/help/{site}", get(home))
        .route("/help/{site}/{lang}", get(index))
        .route("/help/{site}/{lang}/{slug}", get(article))
}

/// Where an article lives in the help center.
pub fn article_url(public_url: &str, article: &ArticleView) -> String {
    format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        href(&article.site, &article.lang, &article.slug)
    )
}

/// The path of an article's page, each segment percent-encoded (slugs may
/// be in any script).
fn href(site: &SiteId, lang: &str, slug: &str) -> String {
    format!(
        "/help/{}/{}/{}",
        segment(site.as_str()),
        segment(lang),
        segment(slug)
    )
}

fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A request that gets a page saying why it has none.
#[derive(Debug)]
struct Refused {
    lang: String,
    site: Option<Site>,
    status: StatusCode,
}

impl Refused {
    fn not_found(lang: &str, site: Option<Site>) -> Self {
        Self {
            lang: lang.to_owned(),
            site,
            status: StatusCode::NOT_FOUND,
        }
    }

    fn service(lang: &str, site: Option<&Site>, error: ServiceError) -> Self {
        let status = error.http().0;
        if status.is_server_error() {
            tracing::warn!(error = %error, "help center page failed");
        }
        Self {
            lang: lang.to_owned(),
            site: site.cloned(),
            status,
        }
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let unavailable = self.status != StatusCode::NOT_FOUND;
        let body = render::refusal(&self.lang, self.site.as_ref(), unavailable);
        let mut response = respond(body, "no-cache");
        *response.status_mut() = self.status;
        response
    }
}

fn respond(body: String, cache: &'static str) -> Response {
    let mut response = super::html(body, Some(CSP.clone()));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The site, if it is one and `lang` is a language tag.
async fn open(app: &App, site: &str, lang: &str) -> Result<Site, Refused> {
    if !valid_lang(lang) {
        return Err(Refused::not_found("en", None));
    }
    app.conversations
        .site(&SiteId::from(site))
        .await
        .map_err(|e| Refused::service(lang, None, e))
}

/// `GET /help/{site}`: to the index in the site's first language.
async fn home(State(app): State<Arc<App>>, Path(site): Path<String>) -> Result<Response, Refused> {
    let site = open(&app, &site, "en").await?;
    let lang = site
        .languages
        .first()
        .map(String::as_str)
        .filter(|l| valid_lang(l))
        .unwrap_or("en");
    let mut response =
        Redirect::to(&format!("/help/{}/{lang}", segment(site.id.as_str()))).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    Ok(response)
}

/// `GET /help/{site}/{lang}[?q=]`: the index, or the search's hits.
async fn index(
    State(app): State<Arc<App>>,
    Path((site, lang)): Path<(String, String)>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, Refused> {
    let site = open(&app, &site, &lang).await?;
    let query: String = query
        .ok()
        .and_then(|Query(mut q)| q.remove("q"))
        .map(|q| q.trim().chars().take(MAX_QUERY_CHARS).collect())
        .unwrap_or_default();
    let frame = Frame {
        site: &site,
        lang: &lang,
        query: &query,
    };
    let refuse = |e| Refused::service(&lang, Some(&site), e);
    if !query.is_empty() {
        let hits = app
            .conversations
            .search_articles(SEARCHED_BY, &site.id, Some(&lang), &query)
            .await
            .map_err(refuse)?;
        return Ok(respond(render::results(frame, &hits), CACHE));
    }
    let (articles, categories) = app
        .conversations
        .published_articles(&site.id)
        .await
        .map_err(refuse)?;
    let sections = sections(&articles, &categories, &lang);
    let languages = languages(&site, &articles);
    Ok(respond(render::index(frame, &sections, &languages), CACHE))
}

/// `GET /help/{site}/{lang}/{slug}`: one published article.
async fn article(
    State(app): State<Arc<App>>,
    Path((site, lang, slug)): Path<(String, String, String)>,
) -> Result<Response, Refused> {
    let site = open(&app, &site, &lang).await?;
    if slug.is_empty() || slug.chars().count() > MAX_SLUG_CHARS {
        return Err(Refused::not_found(&lang, Some(site)));
    }
    let article = app
        .conversations
        .published_article_by_slug(&site.id, &lang, &slug)
        .await
        .map_err(|e| Refused::service(&lang, Some(&site), e))?;
    let frame = Frame {
        site: &site,
        lang: &lang,
        query: "",
    };
    Ok(respond(render::article(frame, &article), CACHE))
}

/// One category's articles on the index; `name` is `None` for those
/// without a (known) category.
#[derive(Debug)]
struct Section<'a> {
    name: Option<&'a str>,
    articles: Vec<&'a Article>,
}

/// The articles in `lang` by category, categories in their position
/// order, the uncategorised last; empty categories left out.
fn sections<'a>(
    articles: &'a [Article],
    categories: &'a [Category],
    lang: &str,
) -> Vec<Section<'a>> {
    let mut ordered: Vec<&Category> = categories.iter().collect();
    ordered.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
    let in_lang = || articles.iter().filter(move |a| a.lang == lang);
    let mut sections: Vec<Section<'a>> = ordered
        .iter()
        .map(|c| Section {
            name: Some(c.name.as_str()),
            articles: in_lang()
                .filter(|a| a.category.as_ref() == Some(&c.id))
                .collect(),
        })
        .collect();
    let known = |a: &&Article| {
        a.category
            .as_ref()
            .is_some_and(|id| categories.iter().any(|c| &c.id == id))
    };
    sections.push(Section {
        name: None,
        articles: in_lang().filter(|a| !known(a)).collect(),
    });
    sections.retain(|s| !s.articles.is_empty());
    sections
}

/// The site's languages, then any other its articles are written in.
fn languages(site: &Site, articles: &[Article]) -> Vec<String> {
    let mut languages: Vec<String> = site
        .languages
        .iter()
        .filter(|l| valid_lang(l))
        .cloned()
        .collect();
    let mut more: Vec<String> = articles
        .iter()
        .map(|a| a.lang.clone())
        .filter(|l| !languages.contains(l))
        .collect();
    more.sort();
    more.dedup();
    languages.extend(more);
    languages
}

#[cfg(test)]
mod tests;
