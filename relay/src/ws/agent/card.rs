//! An agent's requests about customers, translated to the service: a
//! conversation's or a contact's card, older timeline pages, contact
//! search, settling merge proposals, and an admin's export and erasure. Visitors never reach these (they
//! are agent frames only).

use shared::{AgentFrame, ServerFrame};

use crate::conversations::{ConversationService, ServiceResult};
use crate::store::AgentRecord;

/// Answers one customer frame (the caller passes only those).
pub(super) async fn answer(
    service: &ConversationService,
    agent: &AgentRecord,
    frame: AgentFrame,
) -> ServiceResult<ServerFrame> {
    Ok(match frame {
        AgentFrame::Card { conversation } => {
            ServerFrame::Card(service.conversation_card(agent, &conversation).await?)
        }
        AgentFrame::Contact { contact } => {
            ServerFrame::Card(service.contact_card(agent, &contact).await?)
        }
        AgentFrame::Timeline { contact, before } => {
            let (items, next) = service.timeline_page(agent, &contact, &before).await?;
            ServerFrame::TimelinePage {
                contact,
                items,
                next,
            }
        }
        AgentFrame::SearchContacts { query } => {
            let hits = service.search_contacts(agent, &query).await?;
            ServerFrame::ContactResults { query, hits }
        }
        AgentFrame::DecideMerge { proposal, decision } => {
            ServerFrame::Card(service.decide_merge(agent, &proposal, decision).await?)
        }
        AgentFrame::ExportContact { contact } => ServerFrame::ContactExport(Box::new(
            service.export_contact_as_admin(agent, &contact).await?,
        )),
        AgentFrame::EraseContact { contact } => {
            ServerFrame::ContactErased(service.erase_contact_as_admin(agent, &contact).await?)
        }
        _ => {
            return Err(crate::conversations::ServiceError::Invalid(
                "not a customer frame".into(),
            ))
        }
    })
}
