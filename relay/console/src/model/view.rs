//! Read-only projections of the model for the components: the list's
//! order and rows, a conversation's transcript with private notes (inline
//! by time) and pending replies, and what needs attention (the title) or
//! was read (kept across reloads).
//! Rows are small owned values so the UI can compare them and re-render
//! only what changed.

use std::collections::BTreeMap;

use shared::{ConversationId, ConversationStatus, ErrorCode, Role, Seq, VisitorId};

use super::explain::RouteView;
use super::{Model, PendingState};

/// Longest preview, in characters.
const PREVIEW_CHARS: usize = 80;

/// One line of the "Conversations" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConvRow {
    pub(crate) id: ConversationId,
    pub(crate) visitor: VisitorId,
    pub(crate) status: ConversationStatus,
    /// The case code the visitor was given, once the relay assigned one.
    pub(crate) case_code: Option<String>,
    /// The newest message, shortened; `None` before any is known.
    pub(crate) preview: Option<String>,
    pub(crate) unread: u64,
    pub(crate) open: bool,
    pub(crate) fresh: bool,
    /// What routing asked and found, and why it waits where it does.
    pub(crate) route: RouteView,
}

/// Whether a transcript line is stored or still on its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum MsgState {
    Stored,
    Sending,
    Failed(ErrorCode),
}

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MsgRow {
    /// Unique within the transcript: the seq, or the client id while pending.
    pub(crate) key: String,
    pub(crate) role: Role,
    /// The author's name when the relay sent one.
    pub(crate) name: Option<String>,
    /// Written by the signed-in agent.
    pub(crate) own: bool,
    /// A private note (only agents see it), not a message.
    pub(crate) note: bool,
    pub(crate) text: String,
    pub(crate) state: MsgState,
}

impl Model {
    /// Conversations needing attention, for the title ("(2) ...").
    pub(crate) fn attention(&self) -> usize {
        self.convs
            .values()
            .filter(|c| self.listed(c) && c.summary.status != ConversationStatus::Closed)
            .filter(|c| c.fresh || c.unread() > 0)
            .count()
    }

    /// How far each listed conversation has been read, to keep across reloads.
    pub(crate) fn read_marks(&self) -> BTreeMap<ConversationId, Seq> {
        self.convs
            .iter()
            .filter(|(_, c)| c.read_seq > 0)
            .map(|(id, c)| (id.clone(), c.read_seq))
            .collect()
    }

    /// The listed conversations in display order: the agent's open ones
    /// (oldest first), the live queue (in routing order), then ones that
    /// closed. Offline messages have their own list.
    pub(crate) fn list(&self) -> Vec<ConversationId> {
        let mut mine: Vec<_> = self.convs.values().filter(|c| c.mine).collect();
        mine.sort_by_key(|c| c.summary.created_at_ms);
        let (open, closed): (Vec<_>, Vec<_>) = mine
            .into_iter()
            .partition(|c| c.summary.status != ConversationStatus::Closed);
        open.iter()
            .map(|c| c.summary.id.clone())
            .chain(self.live_queue())
            .chain(closed.iter().map(|c| c.summary.id.clone()))
            .collect()
    }

    pub(crate) fn row(&self, id: &ConversationId) -> Option<ConvRow> {
        let conv = self.convs.get(id)?;
        let newest = self
            .outbox
            .of(id)
            .last()
            .map(|p| p.text.as_str())
            .or_else(|| conv.messages.values().next_back().map(|m| m.text.as_str()));
        Some(ConvRow {
            id: id.clone(),
            visitor: conv.summary.visitor.clone(),
            status: conv.summary.status,
            case_code: conv.summary.case_code.clone(),
            preview: newest.map(preview),
            unread: conv.unread(),
            open: self.open.as_ref() == Some(id),
            fresh: conv.fresh,
            route: self.route_view(&conv.summary),
        })
    }

    /// Stored messages in seq order with the private notes among them by
    /// time (a note after the messages of its millisecond), then the
    /// pending replies.
    pub(crate) fn transcript(&self, id: &ConversationId) -> Vec<MsgRow> {
        let Some(conv) = self.convs.get(id) else {
            return Vec::new();
        };
        let me = self.my_id();
        let mut notes = self.kb.notes.of(id).into_iter().peekable();
        let mut rows = Vec::new();
        for m in conv.messages.values() {
            while let Some(note) = notes.next_if(|n| n.at_ms < m.sent_at_ms) {
                rows.push(note_row(note));
            }
            rows.push(MsgRow {
                key: format!("s{}", m.seq),
                role: m.author.role,
                name: m.author.name.clone(),
                own: m.author.role == Role::Agent && m.author.agent.as_ref() == me,
                note: false,
                text: m.text.clone(),
                state: MsgState::Stored,
            });
        }
        rows.extend(notes.map(note_row));
        let pending = self.outbox.of(id).map(|p| MsgRow {
            key: format!("p{}", p.client_msg_id),
            role: Role::Agent,
            name: self.me.as_ref().map(|a| a.name.clone()),
            own: true,
            note: false,
            text: p.text.clone(),
            state: match p.state {
                PendingState::Sending => MsgState::Sending,
                PendingState::Failed(code) => MsgState::Failed(code),
            },
        });
        rows.extend(pending);
        rows
    }
}

/// A private note as a transcript line.
fn note_row(note: &shared::canned::Note) -> MsgRow {
    MsgRow {
        key: format!("n{}", note.id),
        role: Role::Agent,
        name: Some(note.agent_name.clone()),
        own: false,
        note: true,
        text: note.text.clone(),
        state: MsgState::Stored,
    }
}

/// The first line of `text`, cut to [`PREVIEW_CHARS`] characters.
fn preview(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or_default();
    if line.chars().count() > PREVIEW_CHARS {
        let cut: String = line.chars().take(PREVIEW_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        line.to_owned()
    }
}
