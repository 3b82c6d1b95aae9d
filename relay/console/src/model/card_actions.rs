//! What the agent does with the customer card, as model changes and the
//! frames to send: follow the open conversation, open a contact from
//! search, page the timeline back, filter it, settle merge proposals, and
//! ask again after a reconnect (answers on the old socket are lost).

use shared::contacts::{Channel, MergeDecision};
use shared::{AgentFrame, ContactId, ConversationId, MergeProposalId};

use super::card::{lists, Subject};
use super::requests::{Fetch, Request};
use super::{Effect, Model};

impl Model {
    /// Sends for `subject`'s card and shows it as loading.
    fn ask_card(&mut self, subject: Subject) -> AgentFrame {
        let frame = subject.frame();
        self.requests.push(Request::Card(subject.clone()));
        let panel = &mut self.card;
        if panel.subject.as_ref() != Some(&subject) {
            // They were about the card being left.
            panel.confirm_erase = None;
            panel.note = None;
        }
        panel.subject = Some(subject);
        panel.fetch = Fetch::Pending;
        frame
    }

    /// The card beside a conversation just opened: asked for unless the
    /// card on screen is already its customer's (a past conversation opened
    /// from the card keeps the card and its loaded pages).
    pub(super) fn card_for_conversation(&mut self, id: &ConversationId) -> Option<AgentFrame> {
        let panel = &mut self.card;
        let subject = Subject::Conversation(id.clone());
        if panel.card.as_ref().is_some_and(|c| lists(c, id)) {
            panel.subject = Some(subject);
            return None;
        }
        if panel.subject.as_ref() == Some(&subject) && panel.fetch == Fetch::Pending {
            return None;
        }
        panel.card = None;
        panel.deciding = None;
        Some(self.ask_card(subject))
    }

    /// Shows a contact's card on its own, leaving the open conversation.
    pub(crate) fn open_contact(&mut self, contact: &ContactId) -> AgentFrame {
        self.open = None;
        self.reading = None;
        self.prune();
        if self.card.card.as_ref().map(|c| &c.contact.id) != Some(contact) {
            self.card.card = None;
            self.card.deciding = None;
        }
        self.ask_card(Subject::Contact(contact.clone()))
    }

    /// Leaves a contact's card shown on its own.
    pub(crate) fn close_contact(&mut self) {
        if matches!(self.card.subject, Some(Subject::Contact(_))) {
            self.card = Default::default();
        }
    }

    /// Asks again for a card that could not be loaded.
    pub(crate) fn retry_card(&mut self) -> Option<AgentFrame> {
        let subject = self.card.subject.clone()?;
        Some(self.ask_card(subject))
    }

    /// "Load older": the next timeline page, if there is one and none is
    /// on its way.
    pub(crate) fn load_older(&mut self) -> Option<AgentFrame> {
        let panel = &mut self.card;
        let card = panel.card.as_ref()?;
        let before = card.next.clone()?;
        if panel.older == Fetch::Pending {
            return None;
        }
        let contact = card.contact.id.clone();
        panel.older = Fetch::Pending;
        self.requests.push(Request::Older {
            contact: contact.clone(),
            before: before.clone(),
        });
        Some(AgentFrame::Timeline { contact, before })
    }

    /// Shows only one channel's timeline items (`None`: all of them).
    pub(crate) fn filter_channel(&mut self, channel: Option<Channel>) {
        self.card.channel = channel;
    }

    /// Accepts or rejects a proposal on the shown card; one at a time.
    pub(crate) fn decide_merge(
        &mut self,
        proposal: &MergeProposalId,
        decision: MergeDecision,
    ) -> Option<AgentFrame> {
        let panel = &mut self.card;
        if panel.deciding.is_some() {
            return None;
        }
        let view = panel
            .card
            .as_ref()?
            .proposals
            .iter()
            .find(|p| p.proposal.id == *proposal)?;
        let contacts = [view.proposal.from.clone(), view.proposal.into.clone()];
        panel.deciding = Some(proposal.clone());
        panel.merge_failed = None;
        self.requests.push(Request::Merge {
            proposal: proposal.clone(),
            contacts,
        });
        Some(AgentFrame::DecideMerge {
            proposal: proposal.clone(),
            decision,
        })
    }

    /// After `agent_welcome`: what was asked on the old socket is asked
    /// again (the card, a search); a page or a decision is left to the
    /// agent to repeat, since the card may have changed meanwhile.
    pub(super) fn ask_again(&mut self) -> Vec<Effect> {
        self.requests.clear();
        self.card.older = Fetch::Settled;
        self.card.deciding = None;
        let mut frames = Vec::new();
        let wanted = match &self.card.subject {
            Some(Subject::Conversation(id)) => self.open.as_ref() == Some(id),
            // An erased contact's card is gone for good.
            Some(Subject::Contact(id)) => !self.card.erased(id),
            None => false,
        };
        if let Some(subject) = self.card.subject.clone().filter(|_| wanted) {
            frames.push(self.ask_card(subject));
        }
        if let Some(query) = self
            .search
            .as_ref()
            .filter(|s| s.fetch == Fetch::Pending)
            .map(|s| s.query.clone())
        {
            frames.extend(self.search_contacts(&query));
        }
        frames.into_iter().map(Effect::Send).collect()
    }
}
