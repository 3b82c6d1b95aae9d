//! The knowledge base as tests set it up: an admin's socket that saves
//! articles, categories and canned replies through the real frames, and a
//! small multilingual set of articles (English, Hebrew, Persian, Russian,
//! Armenian) that several suites share.

use std::net::SocketAddr;

use shared::canned::CannedReply;
use shared::knowledge::{Article, ArticleDraft, ArticleStatus};
use shared::{AgentFrame, ArticleId, ServerFrame, SiteId};

use crate::client::Client;
use crate::relay_harness::{ADMIN_EMAIL, ADMIN_PASSWORD};

/// The first admin, signed in, for writing the knowledge base.
pub async fn admin(addr: SocketAddr) -> anyhow::Result<Client> {
    let mut admin = Client::agent(addr).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    Ok(admin)
}

/// A new published article's draft (change fields before saving if needed).
pub fn draft(site: &str, lang: &str, title: &str, body: &str) -> ArticleDraft {
    ArticleDraft {
        site: SiteId::from(site),
        id: None,
        translation_of: None,
        lang: lang.into(),
        slug: String::new(),
        title: title.into(),
        body: body.into(),
        category: None,
        status: ArticleStatus::Published,
        base_revision: None,
    }
}

/// Saves `draft` as the admin and returns the stored article; an error
/// frame fails with its code.
pub async fn save(admin: &mut Client, draft: ArticleDraft) -> anyhow::Result<Article> {
    admin
        .send(&AgentFrame::SaveArticle(Box::new(draft)))
        .await?;
    match admin
        .recv_until(|f| matches!(f, ServerFrame::ArticleSaved(_) | ServerFrame::Error { .. }))
        .await?
    {
        ServerFrame::ArticleSaved(article) => Ok(*article),
        other => anyhow::bail!("save_article refused: {other:?}"),
    }
}

/// Saves a translation of `of`.
pub async fn translate(
    admin: &mut Client,
    of: &ArticleId,
    mut draft: ArticleDraft,
) -> anyhow::Result<Article> {
    draft.translation_of = Some(of.clone());
    save(admin, draft).await
}

/// Saves a canned reply as the admin (`shared`: for every agent).
pub async fn canned(
    admin: &mut Client,
    site: &str,
    shortcut: &str,
    text: &str,
    shared: bool,
) -> anyhow::Result<Vec<CannedReply>> {
    admin
        .send(&AgentFrame::SaveCannedReply {
            site: SiteId::from(site),
            id: None,
            shortcut: shortcut.into(),
            text: text.into(),
            shared,
        })
        .await?;
    match admin
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::CannedReplies { .. } | ServerFrame::Error { .. }
            )
        })
        .await?
    {
        ServerFrame::CannedReplies { replies, .. } => Ok(replies),
        other => anyhow::bail!("save_canned_reply refused: {other:?}"),
    }
}

/// The shared set: a refund article in English with its Hebrew, Persian
/// and Russian translations, an Armenian one, and a draft nobody outside
/// the console may see. Returns them in that order.
pub async fn seed(admin: &mut Client, site: &str) -> anyhow::Result<Vec<Article>> {
    let en = save(
        admin,
        draft(
            site,
            "en",
            "How do I get a refund?",
            "Ask for a **refund** within 30 days.\n\n1. Open your order\n2. Press *Refund*\n\nSee [our policy](https://example.com/policy).",
        ),
    )
    .await?;
    let he = translate(
        admin,
        &en.id,
        draft(
            site,
            "he",
            "איך מקבלים החזר כספי?",
            "בקשו **החזר** תוך 30 יום מההזמנה.",
        ),
    )
    .await?;
    let fa = translate(
        admin,
        &en.id,
        draft(
            site,
            "fa",
            "چگونه پول خود را پس بگیرم؟",
            "برای بازپرداخت، کتاب یا کالای خود را ظرف ۳۰ روز برگردانید.",
        ),
    )
    .await?;
    let ru = translate(
        admin,
        &en.id,
        draft(
            site,
            "ru",
            "Как вернуть деньги за заказ",
            "Верните заказ в течение 30 дней.",
        ),
    )
    .await?;
    let hy = save(
        admin,
        draft(site, "hy", "Առաքման ժամկետներ", "Առաքումը տևում է 3 օր։"),
    )
    .await?;
    let mut hidden = draft(
        site,
        "en",
        "Unreleased pricing",
        "Secret plans for next year.",
    );
    hidden.status = ArticleStatus::Draft;
    let hidden = save(admin, hidden).await?;
    Ok(vec![en, he, fa, ru, hy, hidden])
}

/// A visitor's search: the titles found, best first; a refusal is an error.
pub async fn visitor_search(
    visitor: &mut Client,
    query: &str,
    lang: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    visitor
        .send(&shared::VisitorFrame::KbSearch {
            query: query.into(),
            lang: lang.map(str::to_owned),
        })
        .await?;
    match visitor
        .recv_until(|f| matches!(f, ServerFrame::KbResults { .. } | ServerFrame::Error { .. }))
        .await?
    {
        ServerFrame::KbResults { hits, .. } => Ok(hits.into_iter().map(|h| h.title).collect()),
        other => anyhow::bail!("search refused: {other:?}"),
    }
}

/// A visitor's feedback on an article: `FeedbackRecorded`, or the error frame.
pub async fn feedback(
    visitor: &mut Client,
    article: &ArticleId,
    feedback: shared::knowledge::Feedback,
) -> anyhow::Result<ServerFrame> {
    visitor
        .send(&shared::VisitorFrame::KbFeedback {
            article: article.clone(),
            feedback,
        })
        .await?;
    visitor
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::FeedbackRecorded { .. } | ServerFrame::Error { .. }
            )
        })
        .await
}
