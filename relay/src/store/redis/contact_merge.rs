//! Merge proposals in Redis: raising one (deduplicated by pair), listing a
//! contact's, and settling one. Accepting is a single script
//! (`lua/resolve_merge.lua`) that moves the whole record, so no reader and
//! no other node ever sees half a merge.

use shared::contacts::{Contact, MergeDecision, MergeProposal};
use shared::{AgentId, ContactId, MergeProposalId};

use super::scripts::unexpected;
use super::{contact_codec, keys, RedisStore};
use crate::store::contacts::merge_item;
use crate::store::{StoreError, StoreResult};

/// How often settling re-reads a proposal that another merge re-pointed
/// meanwhile before giving up (each retry means another merge succeeded).
const SETTLE_ATTEMPTS: usize = 5;

impl RedisStore {
    pub(super) async fn propose(&self, proposal: &MergeProposal) -> StoreResult<()> {
        let ids = [
            proposal.id.as_str(),
            proposal.from.as_str(),
            proposal.into.as_str(),
        ];
        if !ids.iter().all(|id| keys::addressable(id)) {
            return Err(StoreError::NotFound);
        }
        let mut call = self.scripts.propose_merge.prepare_invoke();
        call.key(self.keys.merge_proposal(ids[0]))
            .arg(self.keys.prefix())
            .arg(ids[0])
            .arg(ids[1])
            .arg(ids[2])
            .arg(&contact_codec::proposal_args(proposal)[..]);
        let (word, _) = self.eval(&call).await?;
        match word.as_str() {
            "ok" => Ok(()),
            other => Err(unexpected(other)),
        }
    }

    pub(super) async fn proposals_of(
        &self,
        contact: &ContactId,
    ) -> StoreResult<Vec<MergeProposal>> {
        let Some(id) = self.survivor_id(contact.as_str()).await? else {
            return Ok(Vec::new());
        };
        let ids: Vec<String> = self
            .query(redis::cmd("SMEMBERS").arg(self.keys.contact_proposals(&id)))
            .await?;
        let mut list = Vec::with_capacity(ids.len());
        for id in &ids {
            list.extend(self.proposal(id).await?);
        }
        list.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
        Ok(list)
    }

    /// Reads the proposal and the merged record's label, then lets the
    /// script settle it if the proposal still names the same pair.
    pub(super) async fn settle(
        &self,
        id: &MergeProposalId,
        decision: MergeDecision,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Contact> {
        let known = if keys::addressable(agent.as_str()) {
            self.agents_by_id(std::slice::from_ref(&agent.0))
                .await?
                .pop()
        } else {
            None
        };
        let agent_name = known.map_or_else(|| agent.to_string(), |a| a.name);
        for _ in 0..SETTLE_ATTEMPTS {
            let proposal = self
                .proposal(id.as_str())
                .await?
                .ok_or(StoreError::NotFound)?;
            let from = self.live_contact(proposal.from.as_str()).await?;
            let item = merge_item(&proposal, from.as_ref(), &agent_name, at_ms);
            let mut call = self.scripts.resolve_merge.prepare_invoke();
            call.key(self.keys.merge_proposal(id.as_str()))
                .arg(self.keys.prefix())
                .arg(id.as_str())
                .arg(u8::from(decision == MergeDecision::Accept))
                .arg(proposal.from.as_str())
                .arg(proposal.into.as_str())
                .arg(item.id.as_str())
                .arg(item.at_ms);
            for (field, value) in contact_codec::item_fields(&item) {
                call.arg(field).arg(value);
            }
            let (word, payload) = self.eval(&call).await?;
            match (word.as_str(), payload.first()) {
                ("ok", Some(survivor)) => {
                    return self
                        .live_contact(survivor)
                        .await?
                        .ok_or(StoreError::NotFound)
                }
                ("stale", _) => continue,
                (other, _) => return Err(unexpected(other)),
            }
        }
        Err(StoreError::Conflict("merge proposal keeps changing"))
    }
}
