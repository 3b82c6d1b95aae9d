//! What agents write for each other: canned replies (shared ones are
//! admins' to write, personal ones their owner's) and private notes in a
//! conversation. A note is a timeline item on the customer's record
//! (`Channel::Note`), so it follows merges and goes with an erasure, and
//! reaches only agents' sessions (`Event::NoteAdded`; a visitor's session
//! drops it).

use shared::canned::{valid_shortcut, CannedReply, Note, MAX_TEXT_CHARS};
use shared::card::TimelineCursor;
use shared::contacts::{Channel, Direction, TimelineItem};
use shared::{CannedReplyId, ConversationId, SiteId, TimelineItemId};

use super::{Actor, ConversationService, ServiceError, ServiceResult};
use crate::bus::Event;
use crate::store::{AgentRecord, Conversation};

const NO_REPLY: ServiceError = ServiceError::NotFound("no such canned reply");
/// Timeline items read at most when gathering one conversation's notes.
const MAX_NOTE_SCAN: usize = 2_000;
const PAGE: usize = 200;

fn check_text(text: &str) -> ServiceResult<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ServiceError::EmptyText);
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(ServiceError::TextTooLong {
            chars,
            max: MAX_TEXT_CHARS,
        });
    }
    Ok(text)
}

/// Whether `agent` may change `reply`: shared ones admins, personal ones their owner.
fn writable(agent: &AgentRecord, reply: &CannedReply) -> bool {
    match &reply.owner {
        None => agent.admin,
        Some(owner) => owner == &agent.id,
    }
}

fn note_of(item: TimelineItem, conversation: &ConversationId) -> Option<Note> {
    (item.channel == Channel::Note && item.conversation.as_ref() == Some(conversation)).then(|| {
        Note {
            id: item.id,
            conversation: conversation.clone(),
            agent_name: item.agent.unwrap_or_default(),
            text: item.text,
            at_ms: item.at_ms,
        }
    })
}

impl ConversationService {
    /// The site's shared replies and the agent's own.
    pub async fn canned_replies_for(
        &self,
        agent: &AgentRecord,
        site: &SiteId,
    ) -> ServiceResult<Vec<CannedReply>> {
        self.site(site).await?;
        let mut replies = self.store.canned_replies(site).await?;
        replies.retain(|r| r.owner.as_ref().is_none_or(|owner| owner == &agent.id));
        Ok(replies)
    }

    /// The site's shared replies (what other channels' tools may use).
    pub async fn shared_canned_replies(&self, site: &SiteId) -> ServiceResult<Vec<CannedReply>> {
        let mut replies = self.store.canned_replies(site).await?;
        replies.retain(|r| r.owner.is_none());
        Ok(replies)
    }

    async fn own_reply(
        &self,
        agent: &AgentRecord,
        site: &SiteId,
        id: &CannedReplyId,
    ) -> ServiceResult<CannedReply> {
        let replies = self.store.canned_replies(site).await?;
        let reply = replies.into_iter().find(|r| &r.id == id).ok_or(NO_REPLY)?;
        match (&reply.owner, writable(agent, &reply)) {
            (_, true) => Ok(reply),
            (None, false) => Err(ServiceError::Forbidden(
                "only admins can change shared replies",
            )),
            // Another agent's personal reply: not even its existence is told.
            (Some(_), false) => Err(NO_REPLY),
        }
    }

    /// Creates (`id` absent) or changes a canned reply; answers with the
    /// replies the agent may use.
    pub async fn save_canned_reply(
        &self,
        agent: &AgentRecord,
        site: &SiteId,
        id: Option<CannedReplyId>,
        shortcut: &str,
        text: &str,
        shared: bool,
    ) -> ServiceResult<Vec<CannedReply>> {
        self.site(site).await?;
        let shortcut = shortcut.trim().trim_start_matches('/');
        if !valid_shortcut(shortcut) {
            return Err(ServiceError::Invalid(
                "a shortcut has 1 to 32 letters, digits, - or _".into(),
            ));
        }
        let text = check_text(text)?;
        if shared && !agent.admin {
            return Err(ServiceError::Forbidden(
                "only admins can write shared replies",
            ));
        }
        let id = match id {
            Some(id) => self.own_reply(agent, site, &id).await?.id,
            None => CannedReplyId(crate::secrets::new_id("cr")),
        };
        let reply = CannedReply {
            id,
            site: site.clone(),
            shortcut: shortcut.to_owned(),
            text: text.to_owned(),
            owner: (!shared).then(|| agent.id.clone()),
        };
        self.store.put_canned_reply(&reply).await?;
        self.canned_replies_for(agent, site).await
    }

    /// Deletes a canned reply the agent may change.
    pub async fn delete_canned_reply(
        &self,
        agent: &AgentRecord,
        site: &SiteId,
        id: &CannedReplyId,
    ) -> ServiceResult<Vec<CannedReply>> {
        self.own_reply(agent, site, id).await?;
        self.store.delete_canned_reply(site, id).await?;
        self.canned_replies_for(agent, site).await
    }

    /// An agent leaves a private note in a conversation it may read.
    pub async fn add_note(
        &self,
        agent: &AgentRecord,
        id: &ConversationId,
        text: &str,
    ) -> ServiceResult<Note> {
        let text = check_text(text)?;
        let conversation = self.readable(Actor::Agent(agent), id).await?;
        self.record_note(&conversation, Some(agent.name.clone()), text)
            .await
    }

    /// Puts a note on the conversation's customer record and tells the
    /// agents watching it; an agent's note names them, routing's note
    /// (widened, returned to the queue) names no one.
    pub(super) async fn record_note(
        &self,
        conversation: &Conversation,
        author: Option<String>,
        text: &str,
    ) -> ServiceResult<Note> {
        let contact = self
            .store
            .visitor_contact(&conversation.visitor)
            .await?
            .ok_or(ServiceError::NotFound(
                "this conversation's customer record was erased",
            ))?;
        let item = TimelineItem {
            id: TimelineItemId(crate::secrets::new_id("note")),
            channel: Channel::Note,
            direction: Direction::Out,
            at_ms: crate::now_ms(),
            text: text.to_owned(),
            agent: author,
            // No case code: a case is found by its chat item, never a note.
            case_code: None,
            external_id: None,
            conversation: Some(conversation.id.clone()),
            csat: None,
        };
        self.store
            .record(&conversation.site, &contact, &item)
            .await?;
        let note = note_of(item, &conversation.id).ok_or(ServiceError::Internal)?;
        self.publisher
            .publish(Event::NoteAdded { note: note.clone() })
            .await;
        Ok(note)
    }

    /// The conversation's notes, oldest first: the customer's timeline
    /// read back to when the conversation started.
    pub async fn notes(
        &self,
        agent: &AgentRecord,
        id: &ConversationId,
    ) -> ServiceResult<Vec<Note>> {
        let conversation = self.readable(Actor::Agent(agent), id).await?;
        let Some(contact) = self.store.visitor_contact(&conversation.visitor).await? else {
            return Ok(Vec::new());
        };
        let mut notes = Vec::new();
        let mut cursor: Option<TimelineCursor> = None;
        let mut scanned = 0;
        while scanned < MAX_NOTE_SCAN {
            let page = self.store.timeline(&contact, cursor.as_ref(), PAGE).await?;
            let Some(last) = page.last() else { break };
            let done = page.len() < PAGE || last.at_ms < conversation.created_at_ms;
            cursor = Some(TimelineCursor::after(last));
            scanned += page.len();
            notes.extend(
                page.into_iter()
                    .filter_map(|item| note_of(item, &conversation.id)),
            );
            if done {
                break;
            }
        }
        notes.reverse();
        Ok(notes)
    }
}
