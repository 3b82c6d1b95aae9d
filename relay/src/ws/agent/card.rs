//! An agent's requests about customers: a conversation's or a contact's
//! card, older timeline pages, contact search, and settling merge
//! proposals. Any signed-in agent may read any customer of the company;
//! visitors never reach these (they are agent frames only).

use shared::{AgentFrame, ErrorCode, ServerFrame};

use crate::app::App;
use crate::customers::card::{card, card_of_conversation, search, timeline_page, MAX_QUERY_CHARS};
use crate::store::{AgentRecord, StoreError};
use crate::ws::outbox::Outbox;

/// Answers one customer frame (the caller passes only those).
pub(super) async fn answer(app: &App, agent: &AgentRecord, frame: AgentFrame, out: &mut Outbox) {
    let store = app.store.as_ref();
    let result = match frame {
        AgentFrame::Card { conversation } => card_of_conversation(store, &conversation)
            .await
            .map(|found| found.map(ServerFrame::Card)),
        AgentFrame::Contact { contact } => card(store, &contact)
            .await
            .map(|found| found.map(ServerFrame::Card)),
        AgentFrame::Timeline { contact, before } => match store.contact(&contact).await {
            Ok(Some(_)) => {
                timeline_page(store, &contact, Some(&before))
                    .await
                    .map(|(items, next)| {
                        Some(ServerFrame::TimelinePage {
                            contact,
                            items,
                            next,
                        })
                    })
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        },
        AgentFrame::SearchContacts { query } => {
            if query.chars().count() > MAX_QUERY_CHARS {
                return out.error(
                    ErrorCode::InvalidFrame,
                    format!("a search is at most {MAX_QUERY_CHARS} characters"),
                );
            }
            search(store, &query)
                .await
                .map(|hits| Some(ServerFrame::ContactResults { query, hits }))
        }
        AgentFrame::DecideMerge { proposal, decision } => {
            match store
                .resolve_merge(&proposal, decision, &agent.id, crate::now_ms())
                .await
            {
                Ok(survivor) => {
                    tracing::info!(agent = %agent.id, proposal = %proposal, ?decision, "merge proposal settled");
                    card(store, &survivor.id)
                        .await
                        .map(|found| found.map(ServerFrame::Card))
                }
                Err(StoreError::NotFound) => {
                    return out.error(
                        ErrorCode::NotFound,
                        "no such open proposal (it may have been settled already)",
                    )
                }
                Err(e) => Err(e),
            }
        }
        _ => return,
    };
    match result {
        Ok(Some(frame)) => out.push(frame),
        Ok(None) => out.error(ErrorCode::NotFound, "no such customer record"),
        Err(e) => out.store_error(&e, None),
    }
}
