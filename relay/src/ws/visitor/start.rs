//! A visitor starting a conversation: the pre-chat form's answers are
//! checked and put on the visitor's contact, the conversation is opened
//! (or the open one returned), a new one goes on the contact's timeline
//! and into routing, and the visitor is told its case code and what
//! happens next (queue place, expected wait, or when the team is back).

use shared::card::{Acknowledgement, Away, DetailsProblem, PrechatDetails};
use shared::{ConversationId, ErrorCode, ServerFrame};

use super::VisitorSession;
use crate::customers::chat_record::{contact_of_visitor, record_chat, take_details};
use crate::secrets::new_id;
use crate::store::{Conversation, Site, StoreResult, VisitorRecord};
use crate::ws::outbox::Outbox;

impl VisitorSession {
    pub(super) async fn start(&mut self, details: Option<PrechatDetails>, out: &mut Outbox) {
        let Some(visitor) = self.visitor.clone() else {
            return out.error(ErrorCode::HelloRequired, "send hello first");
        };
        if let Some(problem) = details.as_ref().and_then(|d| d.check().err()) {
            return out.error(ErrorCode::InvalidDetails, describe(problem));
        }
        let now = crate::now_ms();
        let store = self.app.store.as_ref();
        // Details land before the conversation exists, so the agent who
        // gets it sees them; without details the contact is only needed
        // for a new conversation (a repeated start costs nothing more).
        let mut contact = None;
        if let Some(details) = &details {
            match self.customer(&visitor, details, now).await {
                Ok(id) => contact = Some(id),
                Err(e) => return out.store_error(&e, None),
            }
        }
        let new_id: ConversationId = new_id("c").as_str().into();
        let (conversation, created) = match store.open_conversation(&visitor, &new_id, now).await {
            Ok(result) => result,
            Err(e) => return out.store_error(&e, None),
        };
        self.owned
            .insert(conversation.id.clone(), conversation.status);
        self.sub.watch_conversation(&conversation.id);
        if self.delivery.position(&conversation.id).is_none() {
            self.delivery
                .set_position(&conversation.id, conversation.last_seq);
        }
        out.push(ServerFrame::Conversation(conversation.summary()));
        if !created {
            return;
        }
        tracing::info!(conversation = %conversation.id, visitor = %conversation.visitor, "conversation started");
        let contact = match contact {
            Some(id) => Ok(id),
            None => contact_of_visitor(store, &visitor, now).await,
        };
        let recorded = match contact {
            Ok(id) => record_chat(store, &id, &conversation).await,
            Err(e) => Err(e),
        };
        if let Err(e) = recorded {
            // The conversation itself is stored and goes on; only its line
            // on the customer's timeline is missing.
            tracing::warn!(error = %e, conversation = %conversation.id, "chat not recorded on the timeline");
        }
        // No ConversationChanged for the new conversation: only this
        // socket watches it yet, and it has its frame above. Once stored,
        // a concurrent routing pass may assign it before we get here; a
        // "waiting" summary published now would arrive after the
        // assignment and make the agent drop the conversation. Agents
        // learn of it from the queue and the assignment, both published
        // by `route`.
        if let Err(e) = self.app.dispatcher.route(true).await {
            tracing::warn!(error = %e, "routing failed; the sweep will retry");
        }
        self.send_positions_from_store(out).await;
        out.push(self.acknowledgement(&conversation, now));
    }

    /// The visitor's contact, with the pre-chat answers added.
    async fn customer(
        &self,
        visitor: &VisitorRecord,
        details: &PrechatDetails,
        now: u64,
    ) -> StoreResult<shared::ContactId> {
        let store = self.app.store.as_ref();
        let contact = contact_of_visitor(store, visitor, now).await?;
        let resolved = take_details(store, visitor, &contact, details, now).await?;
        if !resolved.proposals.is_empty() {
            tracing::info!(contact = %contact, proposals = resolved.proposals.len(), "pre-chat details match another contact; proposed a merge");
        }
        Ok(contact)
    }

    /// What the visitor is told about a conversation that just started.
    fn acknowledgement(&self, conversation: &Conversation, now: u64) -> ServerFrame {
        let queue_position = self.positions.get(&conversation.id).copied();
        ServerFrame::Acknowledgement(Acknowledgement {
            conversation: conversation.id.clone(),
            case_code: conversation.case_code.clone().unwrap_or_default(),
            queue_position,
            expected_wait_ms: queue_position.and(self.app.dispatcher.waits.expected_ms()),
            away: away(&self.site, now),
        })
    }
}

/// Set when `now` is outside the site's hours.
fn away(site: &Site, now: u64) -> Option<Away> {
    let hours = site.hours.as_ref().filter(|h| !h.is_open(now))?;
    Some(Away {
        opens_at_ms: hours.next_opening_ms(now),
        hours: hours.clone(),
    })
}

/// The refusal's text; the widget shows its own, translated.
fn describe(problem: DetailsProblem) -> String {
    match problem {
        DetailsProblem::NameTooLong => format!(
            "the name is longer than {} characters",
            PrechatDetails::MAX_NAME_CHARS
        ),
        DetailsProblem::BadEmail => "that email address cannot be right".into(),
        DetailsProblem::BadPhone => "a phone number has 7 to 15 digits".into(),
        DetailsProblem::NoContactWay => "give an email address or a phone number".into(),
    }
}
