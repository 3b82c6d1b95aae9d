//! Applying an accepted merge to the embedded state: the one place that
//! moves a whole record, mirroring `redis/lua/resolve_merge.lua` step for
//! step (identities, attributes, name, timeline, visitors, other
//! proposals, forwarding, the merge's own item).

use shared::contacts::TimelineItem;
use shared::{ContactId, MergeProposalId};

use super::contact_state::{ContactOp, ContactState};

impl ContactState {
    pub(super) fn merge(&mut self, proposal: &MergeProposalId, item: TimelineItem) {
        let Some(proposal) = self.drop_proposal(proposal) else {
            return;
        };
        let (from, into) = (proposal.from, proposal.into);
        if !self.contacts.contains_key(&into) {
            return;
        }
        let Some(gone) = self.contacts.remove(&from) else {
            return;
        };
        for identity in gone.identities {
            self.put_identity(&into, identity);
        }
        if let Some(survivor) = self.contacts.get_mut(&into) {
            for (key, value) in gone.attributes {
                survivor.attributes.entry(key).or_insert(value);
            }
            if survivor.name.is_none() {
                survivor.name = gone.name;
            }
        }
        for entry in self.timelines.remove(&from).unwrap_or_default() {
            if let Some((holder, _)) = self.items.get_mut(&entry.1) {
                holder.clone_from(&into);
            }
            self.timelines
                .entry(into.clone())
                .or_default()
                .insert(entry);
        }
        for visitor in self.visitors.remove(&from).unwrap_or_default() {
            self.visitor_contact.insert(visitor.clone(), into.clone());
            self.visitors
                .entry(into.clone())
                .or_default()
                .insert(visitor);
        }
        self.repoint_proposals(&from, &into);
        self.forwards.insert(from, into.clone());
        self.put_item(into, item);
    }

    /// Proposals that involved `from` now involve `into`; one that would
    /// pair `into` with itself or repeat an open pair is dropped.
    fn repoint_proposals(&mut self, from: &ContactId, into: &ContactId) {
        let mut ids: Vec<MergeProposalId> = self
            .proposals
            .values()
            .filter(|p| &p.from == from || &p.into == from)
            .map(|p| p.id.clone())
            .collect();
        // Sorted, so replay drops the same ones whatever the map's order.
        ids.sort();
        for id in ids {
            let Some(mut proposal) = self.drop_proposal(&id) else {
                continue;
            };
            for side in [&mut proposal.from, &mut proposal.into] {
                if side == from {
                    side.clone_from(into);
                }
            }
            let open = self.is_proposed(&proposal.from, &proposal.into);
            if proposal.from != proposal.into && !open {
                self.apply(ContactOp::ProposeMerge(proposal));
            }
        }
    }
}
