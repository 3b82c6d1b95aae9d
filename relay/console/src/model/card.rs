//! The customer card: beside the open conversation (its customer's) or on
//! its own (a contact found by search). Holds the card as the relay last
//! sent it plus the older timeline pages loaded since, and decides which
//! `card` frames belong on screen: answers arrive late, and one for a
//! conversation the agent has since left must not replace the card of the
//! one in view. The agent's card actions are in `card_actions.rs`, an
//! admin's export and erasure in `privacy.rs`.

use shared::card::{CustomerCard, TimelineCursor};
use shared::contacts::{Channel, TimelineItem};
use shared::{
    AgentFrame, ContactId, ConversationId, ConversationSummary, ErrorCode, MergeProposalId,
};

use super::requests::{Answer, Fetch, Request};
use super::{Effect, Model, Note};

/// Whose card the agent wants to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Subject {
    /// The customer of a conversation (the open one).
    Conversation(ConversationId),
    /// A contact picked from search.
    Contact(ContactId),
}

impl Subject {
    pub(crate) fn frame(&self) -> AgentFrame {
        match self {
            Subject::Conversation(id) => AgentFrame::Card {
                conversation: id.clone(),
            },
            Subject::Contact(id) => AgentFrame::Contact {
                contact: id.clone(),
            },
        }
    }
}

/// The card panel's state.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct CardPanel {
    pub(crate) subject: Option<Subject>,
    /// The subject's card, with every older page loaded so far.
    pub(crate) card: Option<CustomerCard>,
    /// The card itself (asked, answered, refused).
    pub(crate) fetch: Fetch,
    /// "Load older".
    pub(crate) older: Fetch,
    /// A merge decision on its way.
    pub(crate) deciding: Option<MergeProposalId>,
    /// Why the last merge decision was refused.
    pub(crate) merge_failed: Option<ErrorCode>,
    /// Only this channel's timeline items are shown; `None` shows all.
    pub(crate) channel: Option<Channel>,
    /// The contact whose erasure the agent is asked to confirm.
    pub(crate) confirm_erase: Option<ContactId>,
    /// What came of the last export or erasure, or why it was refused.
    pub(crate) note: Option<Note>,
}

impl CardPanel {
    /// Whether `card` is the subject's by what it says (a contact's id, or
    /// a conversation among its chats), or a newer copy of the one shown.
    fn belongs(&self, card: &CustomerCard) -> bool {
        let same_contact = self
            .card
            .as_ref()
            .is_some_and(|shown| shown.contact.id == card.contact.id);
        match &self.subject {
            Some(Subject::Contact(id)) => card.contact.id == *id,
            Some(Subject::Conversation(id)) => same_contact || lists(card, id),
            None => false,
        }
    }

    /// Puts a card on screen; the channel filter, an open confirm step and
    /// the last note stay for the same contact.
    fn show(&mut self, card: CustomerCard) {
        if self.card.as_ref().map(|c| &c.contact.id) != Some(&card.contact.id) {
            self.channel = None;
            self.confirm_erase = None;
            self.note = None;
        }
        self.card = Some(card);
        self.fetch = Fetch::Settled;
        self.older = Fetch::Settled;
        self.merge_failed = None;
    }

    /// The loaded timeline, newest first, through the channel filter.
    pub(crate) fn timeline(&self) -> Vec<TimelineItem> {
        self.card
            .iter()
            .flat_map(|c| &c.timeline)
            .filter(|item| self.channel.is_none_or(|ch| item.channel == ch))
            .cloned()
            .collect()
    }

    /// A conversation of the shown card's contact.
    pub(crate) fn conversation(&self, id: &ConversationId) -> Option<&ConversationSummary> {
        self.card
            .as_ref()?
            .conversations
            .iter()
            .find(|c| c.id == *id)
    }
}

/// Whether `conversation` is one of the card's contact's chats.
pub(super) fn lists(card: &CustomerCard, conversation: &ConversationId) -> bool {
    card.conversations.iter().any(|c| c.id == *conversation)
}

impl Model {
    /// A `card` frame: the answer to `card`, `contact` or `decide_merge`.
    pub(super) fn on_card(&mut self, card: CustomerCard) -> Vec<Effect> {
        let panel = &mut self.card;
        let mut fx = Vec::new();
        let accept = match self.requests.answer(Answer::Card) {
            Some(Request::Card(asked)) => {
                // Answers come in order: this one is the card asked for.
                panel.subject.as_ref() == Some(&asked) || panel.belongs(&card)
            }
            Some(Request::Merge { contacts, .. }) => {
                panel.deciding = None;
                let survivor = contacts.contains(&card.contact.id);
                if survivor {
                    match &mut panel.subject {
                        Some(Subject::Contact(id)) => id.clone_from(&card.contact.id),
                        // Shown beside a conversation: if the survivor is not
                        // its customer (a rejected proposal), ask again.
                        Some(Subject::Conversation(id)) if !lists(&card, id) => {
                            let subject = Subject::Conversation(id.clone());
                            fx.push(Effect::Send(subject.frame()));
                            self.requests.push(Request::Card(subject));
                            panel.fetch = Fetch::Pending;
                            return fx;
                        }
                        _ => {}
                    }
                }
                survivor
            }
            // Unasked (or the request was written off by an error).
            _ => panel.belongs(&card),
        };
        if accept {
            panel.show(card);
        }
        fx
    }

    /// A `timeline_page`: appended if it continues the shown timeline from
    /// where it ended when asked.
    pub(super) fn on_timeline_page(
        &mut self,
        contact: &ContactId,
        items: Vec<TimelineItem>,
        next: Option<TimelineCursor>,
    ) {
        let Some(Request::Older { before, .. }) = self.requests.answer(Answer::TimelinePage) else {
            return;
        };
        let panel = &mut self.card;
        let Some(card) = panel
            .card
            .as_mut()
            .filter(|c| c.contact.id == *contact && c.next.as_ref() == Some(&before))
        else {
            return;
        };
        for item in items {
            // Only strictly older items; never one twice.
            if before.precedes(&item) && !card.timeline.iter().any(|i| i.id == item.id) {
                card.timeline.push(item);
            }
        }
        card.next = next;
        panel.older = Fetch::Settled;
    }
}
