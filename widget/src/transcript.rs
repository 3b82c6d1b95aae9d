//! What the visitor sees: each conversation's stored messages, kept in a
//! map by seq so every message is on screen exactly once and in order,
//! however often the relay replays it.
//!
//! The transcript is not kept in localStorage: on a fresh page load the
//! session asks the relay to replay the recent conversations from seq 0
//! (`resume {after_seq: 0}`), so the relay stays the one source of truth
//! and nothing stale or forged can sit in the browser. Within one page life
//! the last seq per conversation is the resume point sent on reconnect.
//! Messages the visitor typed but the relay has not stored yet come from
//! the outbox and are shown after the stored ones, marked as sending.
//! A conversation opens with its acknowledgement (case code, queue, hours)
//! when this page received one; the relay sends it only once, so after a
//! reload the conversation opens with a short reference line instead.
//! Pure data: no web-sys, tested natively.

use std::collections::{BTreeMap, BTreeSet};

use shared::card::Acknowledgement;
use shared::{
    ChatMessage, ClientMsgId, ConversationId, ConversationStatus, ConversationSummary, ResumePoint,
    Role, Seq,
};

use crate::outbox::Outbox;

/// Last seq the visitor has looked at, per conversation (for unread counts).
pub(crate) type Seen = BTreeMap<ConversationId, Seq>;

/// One conversation as this page knows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Thread {
    pub(crate) summary: ConversationSummary,
    messages: BTreeMap<Seq, ChatMessage>,
    /// Messages up to here were stored before this page heard of the
    /// conversation: history, not news (no sound, no `message` event).
    history_upto: Seq,
    /// The seq after which a gap fill was last asked for.
    gap_asked: Option<Seq>,
    /// What the visitor was told when it started (this page only).
    ack: Option<Acknowledgement>,
}

impl Thread {
    fn last_seq(&self) -> Seq {
        self.messages.keys().next_back().copied().unwrap_or(0)
    }
}

/// What became of a received message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Received {
    /// Shown now. `live` is false for history replayed on page load.
    New { live: bool },
    /// Already shown (or of an unknown conversation); ignored.
    Ignored,
    /// Messages before it are missing: ask the relay to resume after this
    /// seq (the message itself comes again in the replay).
    Gap { after: Seq },
}

/// One row of the message list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) kind: EntryKind,
    /// The author's display name, when one is known.
    pub(crate) name: Option<String>,
    /// The message; the case code for `Acknowledgement` and `Reference`.
    pub(crate) text: String,
    /// Set for `Acknowledgement`: the rest is worded by the view.
    pub(crate) ack: Option<Acknowledgement>,
}

impl Entry {
    fn new(kind: EntryKind, name: Option<String>, text: String) -> Self {
        Self {
            kind,
            name,
            text,
            ack: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryKind {
    Visitor,
    Agent,
    System,
    /// Typed by the visitor, not stored yet.
    Pending,
    /// The conversation above was closed.
    Ended,
    /// What the visitor was told when the conversation started.
    Acknowledgement,
    /// The conversation's case code, when its acknowledgement is not here.
    Reference,
}

/// All conversations on screen, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Transcript {
    threads: Vec<Thread>,
    /// Client ids of stored messages, to hide their pending copies.
    stored_ids: BTreeSet<ClientMsgId>,
}

impl Transcript {
    /// Adds a conversation or updates what is known about it.
    pub(crate) fn upsert(&mut self, summary: ConversationSummary) {
        if let Some(thread) = self.thread_mut(&summary.id) {
            thread.summary = summary;
            return;
        }
        let at = self.threads.partition_point(|t| {
            (t.summary.created_at_ms, &t.summary.id) < (summary.created_at_ms, &summary.id)
        });
        self.threads.insert(
            at,
            Thread {
                history_upto: summary.last_seq,
                summary,
                messages: BTreeMap::new(),
                gap_asked: None,
                ack: None,
            },
        );
    }

    pub(crate) fn knows(&self, id: &ConversationId) -> bool {
        self.threads.iter().any(|t| &t.summary.id == id)
    }

    /// No conversation on screen.
    pub(crate) fn is_empty(&self) -> bool {
        self.threads.is_empty()
    }

    /// Keeps a conversation's acknowledgement; false (and dropped) when
    /// the conversation is not on screen.
    pub(crate) fn acknowledge(&mut self, ack: Acknowledgement) -> bool {
        match self.thread_mut(&ack.conversation) {
            Some(thread) => {
                thread.ack = Some(ack);
                true
            }
            None => false,
        }
    }

    fn thread_mut(&mut self, id: &ConversationId) -> Option<&mut Thread> {
        self.threads.iter_mut().find(|t| &t.summary.id == id)
    }

    /// Takes a message from the relay.
    pub(crate) fn receive(&mut self, message: ChatMessage) -> Received {
        let Some(thread) = self
            .threads
            .iter_mut()
            .find(|t| t.summary.id == message.conversation)
        else {
            return Received::Ignored;
        };
        let last = thread.last_seq();
        if message.seq <= last {
            return Received::Ignored;
        }
        if message.seq > last + 1 {
            if thread.gap_asked == Some(last) {
                return Received::Ignored;
            }
            thread.gap_asked = Some(last);
            return Received::Gap { after: last };
        }
        let live = message.seq > thread.history_upto;
        if message.author.role == Role::Visitor {
            self.stored_ids.insert(message.client_msg_id.clone());
        }
        thread.messages.insert(message.seq, message);
        Received::New { live }
    }

    /// The conversation that still takes messages, if any (the newest open one).
    pub(crate) fn open(&self) -> Option<&ConversationSummary> {
        self.threads
            .iter()
            .rev()
            .map(|t| &t.summary)
            .find(|s| s.status != ConversationStatus::Closed)
    }

    /// Conversations known to be closed.
    pub(crate) fn closed_ids(&self) -> Vec<ConversationId> {
        self.threads
            .iter()
            .filter(|t| t.summary.status == ConversationStatus::Closed)
            .map(|t| t.summary.id.clone())
            .collect()
    }

    /// The relay refused a message because this conversation is closed or
    /// gone: stop offering it for new messages.
    pub(crate) fn mark_closed(&mut self, id: &ConversationId) {
        if let Some(thread) = self.thread_mut(id) {
            thread.summary.status = ConversationStatus::Closed;
        }
    }

    /// The newest conversation on screen (the survey's candidate).
    pub(crate) fn latest(&self) -> Option<&ConversationSummary> {
        self.threads.last().map(|t| &t.summary)
    }

    /// The relay stored the visitor's rating of `id`.
    pub(crate) fn rated(&mut self, id: &ConversationId, csat: shared::csat::Csat) {
        if let Some(thread) = self.thread_mut(id) {
            thread.summary.csat = Some(csat);
        }
    }

    /// Where to resume each known conversation after a reconnect.
    pub(crate) fn resume_points(&self) -> Vec<ResumePoint> {
        self.threads
            .iter()
            .map(|t| ResumePoint {
                conversation: t.summary.id.clone(),
                after_seq: t.last_seq(),
            })
            .collect()
    }

    /// Agent messages after what the visitor has seen.
    pub(crate) fn unread(&self, seen: &Seen) -> u32 {
        let count = self
            .threads
            .iter()
            .flat_map(|t| {
                let seen = seen.get(&t.summary.id).copied().unwrap_or(0);
                t.messages.range(seen + 1..).map(|(_, m)| m)
            })
            .filter(|m| m.author.role == Role::Agent)
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// Marks everything on screen as seen.
    pub(crate) fn mark_seen(&self, seen: &mut Seen) {
        for t in &self.threads {
            let last = t.last_seq();
            let entry = seen.entry(t.summary.id.clone()).or_insert(0);
            *entry = (*entry).max(last);
        }
    }

    /// The rows to show, with the outbox's not-yet-stored messages last.
    pub(crate) fn entries(&self, outbox: &Outbox) -> Vec<Entry> {
        let mut rows = Vec::new();
        for t in &self.threads {
            if let Some(ack) = &t.ack {
                rows.push(Entry {
                    ack: Some(ack.clone()),
                    ..Entry::new(EntryKind::Acknowledgement, None, ack.case_code.clone())
                });
            } else if let Some(code) = &t.summary.case_code {
                rows.push(Entry::new(EntryKind::Reference, None, code.clone()));
            }
            for m in t.messages.values() {
                let kind = match m.author.role {
                    Role::Visitor => EntryKind::Visitor,
                    Role::Agent => EntryKind::Agent,
                    Role::System => EntryKind::System,
                };
                rows.push(Entry::new(kind, m.author.name.clone(), m.text.clone()));
            }
            if t.summary.status == ConversationStatus::Closed {
                rows.push(Entry::new(EntryKind::Ended, None, String::new()));
            }
        }
        for item in outbox.items() {
            if !self.stored_ids.contains(&item.client_msg_id) {
                rows.push(Entry::new(EntryKind::Pending, None, item.text.clone()));
            }
        }
        rows
    }
}

#[cfg(test)]
#[path = "transcript_tests.rs"]
mod tests;
