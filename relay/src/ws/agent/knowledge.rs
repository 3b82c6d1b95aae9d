//! An agent's knowledge-base, canned-reply and note frames, translated to
//! the service. Every answer is one frame; a note also reaches the other
//! agents watching the conversation through `Event::NoteAdded`.

use shared::{AgentFrame, ServerFrame};

use crate::conversations::{ConversationService, ServiceError, ServiceResult};
use crate::store::AgentRecord;

/// Answers one knowledge frame (the caller passes only those).
pub(super) async fn answer(
    service: &ConversationService,
    agent: &AgentRecord,
    frame: AgentFrame,
) -> ServiceResult<ServerFrame> {
    Ok(match frame {
        AgentFrame::KbSearch { site, query, lang } => {
            let hits = service
                .search_articles("agent", &site, lang.as_deref(), &query)
                .await?;
            ServerFrame::KbResults { query, hits }
        }
        AgentFrame::KbArticle { site, article } => {
            ServerFrame::KbArticle(Box::new(service.article_for_agent(&site, &article).await?))
        }
        AgentFrame::ListArticles { site } => {
            let (articles, categories) = service.list_articles(&site).await?;
            ServerFrame::Articles {
                site,
                articles,
                categories,
            }
        }
        AgentFrame::SaveArticle(draft) => {
            ServerFrame::ArticleSaved(Box::new(service.save_article(agent, *draft).await?))
        }
        AgentFrame::ArticleRevisions { site, article } => {
            let revisions = service.article_revisions(&site, &article).await?;
            ServerFrame::ArticleRevisions { article, revisions }
        }
        AgentFrame::DeleteArticle { site, article } => {
            service.delete_article(agent, &site, &article).await?;
            ServerFrame::ArticleDeleted { article }
        }
        AgentFrame::PreviewArticle { body } => ServerFrame::ArticlePreview {
            blocks: service.preview_article(&body)?,
        },
        AgentFrame::SaveCategory {
            site,
            id,
            name,
            position,
        } => {
            let categories = service
                .save_category(agent, &site, id, &name, position)
                .await?;
            ServerFrame::Categories { site, categories }
        }
        AgentFrame::DeleteCategory { site, category } => {
            let categories = service.delete_category(agent, &site, &category).await?;
            ServerFrame::Categories { site, categories }
        }
        AgentFrame::CannedReplies { site } => {
            let replies = service.canned_replies_for(agent, &site).await?;
            ServerFrame::CannedReplies { site, replies }
        }
        AgentFrame::SaveCannedReply {
            site,
            id,
            shortcut,
            text,
            shared,
        } => {
            let replies = service
                .save_canned_reply(agent, &site, id, &shortcut, &text, shared)
                .await?;
            ServerFrame::CannedReplies { site, replies }
        }
        AgentFrame::DeleteCannedReply { site, id } => {
            let replies = service.delete_canned_reply(agent, &site, &id).await?;
            ServerFrame::CannedReplies { site, replies }
        }
        AgentFrame::AddNote { conversation, text } => {
            ServerFrame::Note(service.add_note(agent, &conversation, &text).await?)
        }
        AgentFrame::Notes { conversation } => {
            let notes = service.notes(agent, &conversation).await?;
            ServerFrame::Notes {
                conversation,
                notes,
            }
        }
        _ => return Err(ServiceError::Invalid("not a knowledge frame".into())),
    })
}
