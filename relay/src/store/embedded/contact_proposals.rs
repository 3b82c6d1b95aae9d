//! Merge proposals in the embedded store, the checking side: raising one
//! (deduplicated by pair, between survivors), listing a contact's, and
//! settling one. What an accepted merge does to the state is
//! `contact_merge`, applied from the journaled op.

use shared::contacts::{Contact, MergeDecision, MergeProposal};
use shared::{AgentId, ContactId, MergeProposalId};

use super::contact_state::{ContactOp, ContactState};
use super::contacts::{change, live};
use super::Inner;
use crate::store::contacts::merge_item;
use crate::store::{StoreError, StoreResult};

pub(super) fn propose(i: &mut Inner, mut proposal: MergeProposal) -> StoreResult<()> {
    let c = &i.state.contacts;
    let (from, into) = (live(c, &proposal.from)?, live(c, &proposal.into)?);
    if from.site != into.site {
        return Err(StoreError::NotFound);
    }
    if from.id == into.id || c.is_proposed(&from.id, &into.id) {
        return Ok(());
    }
    if c.proposals.contains_key(&proposal.id) {
        return Err(StoreError::Conflict("merge proposal exists"));
    }
    (proposal.from, proposal.into) = (from.id, into.id);
    change(i, ContactOp::ProposeMerge(proposal))
}

/// Open proposals on either side of the contact's survivor, oldest first.
pub(super) fn involving(c: &ContactState, contact: &ContactId) -> Vec<MergeProposal> {
    let Some(id) = c.survivor(contact) else {
        return Vec::new();
    };
    let mut list: Vec<MergeProposal> = c
        .proposals
        .values()
        .filter(|p| p.from == id || p.into == id)
        .cloned()
        .collect();
    list.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
    list
}

pub(super) fn settle(
    i: &mut Inner,
    id: &MergeProposalId,
    decision: MergeDecision,
    agent: &AgentId,
    at_ms: u64,
) -> StoreResult<Contact> {
    let c = &i.state.contacts;
    let proposal = c.proposals.get(id).cloned().ok_or(StoreError::NotFound)?;
    let op = match decision {
        MergeDecision::Reject => ContactOp::RejectMerge {
            proposal: id.clone(),
        },
        MergeDecision::Accept => {
            let agent_name = i.state.agents.get(agent).map(|a| a.name.clone());
            let name = agent_name.unwrap_or_else(|| agent.to_string());
            let from = c.contacts.get(&proposal.from);
            let item = merge_item(&proposal, from, &name, at_ms);
            ContactOp::AcceptMerge {
                proposal: id.clone(),
                item,
            }
        }
    };
    change(i, op)?;
    live(&i.state.contacts, &proposal.into)
}
