//! [`ContactStore`] for [`RedisStore`]. Each rule that must hold across
//! nodes is one Lua script: claiming identities (`create_contact`,
//! `add_identity`), storing an item once per external id (`record`),
//! linking visitors, and merging (see `contact_merge`). Case numbers are a
//! plain `INCR`. Reads follow merges in `contact_reads`.
//!
//! Search finds names through the site's name index (`{p}site:{s}:names`,
//! one `ZRANGEBYLEX` over word prefixes, at most `MAX_NAME_SCAN` entries)
//! and identities through the identity index, one `GET` per kind.

use std::collections::BTreeMap;

use async_trait::async_trait;
use shared::card::TimelineCursor;
use shared::contacts::{
    Contact, Identity, IdentityKind, MergeDecision, MergeProposal, TimelineItem,
};
use shared::{AgentId, ContactId, MergeProposalId, SiteId, VisitorId};

use super::codec::{pairs, text};
use super::contact_codec::{self, identity_field, verified_flag, word};
use super::scripts::unexpected;
use super::{keys, RedisStore};
use crate::store::contacts::{
    name_words, normalised, normalised_identities, ContactStore, Recorded,
};
use crate::store::{StoreError, StoreResult};

impl RedisStore {
    /// Indexes the names of contacts stored before the name index existed,
    /// once per Redis (a flag key records it). Safe on several nodes at
    /// once: indexing a name twice leaves the same index.
    pub(super) async fn index_old_names(&self) -> StoreResult<()> {
        let flag = self.keys.names_indexed();
        if self.query::<bool>(redis::cmd("EXISTS").arg(&flag)).await? {
            return Ok(());
        }
        let sites: Vec<String> = self
            .query(redis::cmd("SMEMBERS").arg(self.keys.sites()))
            .await?;
        let mut indexed = 0usize;
        for site in sites.iter().filter(|s| keys::addressable(s)) {
            let ids: Vec<String> = self
                .query(redis::cmd("SMEMBERS").arg(self.keys.site_contacts(site)))
                .await?;
            for id in ids.iter().filter(|id| keys::addressable(id)) {
                let name: Option<String> = self
                    .query(redis::cmd("HGET").arg(self.keys.contact(id)).arg("name"))
                    .await?;
                let mut call = self.scripts.index_name.prepare_invoke();
                call.key(self.keys.contact(id))
                    .key(self.keys.site_names(site))
                    .arg(id)
                    .arg(indexed_words(name.as_deref()));
                self.eval_ok(&call).await?;
                indexed += 1;
            }
        }
        let _: () = self.write(redis::cmd("SET").arg(&flag).arg("1")).await?;
        if indexed > 0 {
            tracing::info!(
                indexed,
                "indexed the names of contacts stored before search had an index"
            );
        }
        Ok(())
    }

    /// Runs a script that replies `ok` (and maybe a payload).
    pub(super) async fn eval_ok(
        &self,
        call: &redis::ScriptInvocation<'_>,
    ) -> StoreResult<Vec<String>> {
        match self.eval(call).await? {
            (word, payload) if word == "ok" => Ok(payload),
            (word, _) => Err(unexpected(&word)),
        }
    }
}

/// A name's words as the scripts index them (see `lua/prelude.lua`).
pub(super) fn indexed_words(name: Option<&str>) -> String {
    name.map(name_words).unwrap_or_default().join(" ")
}

fn invalid_id() -> StoreError {
    StoreError::Conflict("invalid id")
}

#[async_trait]
impl ContactStore for RedisStore {
    async fn create_contact(&self, contact: &Contact) -> StoreResult<()> {
        let (id, site) = (contact.id.as_str(), contact.site.as_str());
        if !keys::addressable(id) || !keys::addressable(site) {
            return Err(invalid_id());
        }
        let identities = normalised_identities(&contact.identities);
        let mut call = self.scripts.create_contact.prepare_invoke();
        call.key(self.keys.contact(id))
            .key(self.keys.contact_identities(id))
            .key(self.keys.contact_attrs(id))
            .key(self.keys.site_contacts(site))
            .key(self.keys.site_names(site));
        for i in &identities {
            call.key(self.keys.identity(site, &word(i.kind), &i.value));
        }
        call.arg(id)
            .arg(site)
            .arg(contact.name.as_deref().unwrap_or(""))
            .arg(contact.created_at_ms)
            .arg(indexed_words(contact.name.as_deref()))
            .arg(identities.len());
        for i in &identities {
            call.arg(identity_field(i)).arg(verified_flag(i));
        }
        for (key, value) in contact.attributes.iter().filter(|(_, v)| !v.is_empty()) {
            call.arg(key).arg(value);
        }
        self.eval_ok(&call).await.map(drop)
    }

    async fn contact(&self, id: &ContactId) -> StoreResult<Option<Contact>> {
        self.live_contact(id.as_str()).await
    }

    async fn contact_by_identity(
        &self,
        site: &SiteId,
        kind: IdentityKind,
        value: &str,
    ) -> StoreResult<Option<ContactId>> {
        if !keys::addressable(site.as_str()) {
            return Ok(None);
        }
        let value = Identity::normalise(kind, value);
        let key = self.keys.identity(site.as_str(), &word(kind), &value);
        let holder: Option<String> = self.query(redis::cmd("GET").arg(key)).await?;
        match holder {
            Some(id) => Ok(self.survivor_id(&id).await?.map(ContactId)),
            None => Ok(None),
        }
    }

    async fn add_identity(&self, contact: &ContactId, identity: &Identity) -> StoreResult<()> {
        let identity = normalised(identity);
        let key = self.identity_key_of(contact, &identity).await?;
        let mut call = self.scripts.add_identity.prepare_invoke();
        call.key(key)
            .arg(self.keys.prefix())
            .arg(contact.as_str())
            .arg(identity_field(&identity))
            .arg(verified_flag(&identity));
        self.eval_ok(&call).await.map(drop)
    }

    async fn update_contact(
        &self,
        contact: &ContactId,
        name: Option<&str>,
        attributes: &BTreeMap<String, String>,
    ) -> StoreResult<Contact> {
        if !keys::addressable(contact.as_str()) {
            return Err(StoreError::NotFound);
        }
        let mut call = self.scripts.update_contact.prepare_invoke();
        // Routes the script on a cluster (its keys come from the prefix).
        call.key(self.keys.contact(contact.as_str()))
            .arg(self.keys.prefix())
            .arg(contact.as_str())
            .arg(u8::from(name.is_some()))
            .arg(name.unwrap_or(""))
            .arg(indexed_words(name));
        for (key, value) in attributes {
            call.arg(key).arg(value);
        }
        let payload = self.eval_ok(&call).await?;
        let survivor = payload.first().ok_or_else(|| unexpected("ok"))?;
        self.live_contact(survivor)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn visitor_contact(&self, visitor: &VisitorId) -> StoreResult<Option<ContactId>> {
        if !keys::addressable(visitor.as_str()) {
            return Ok(None);
        }
        let linked: Option<String> = self
            .query(redis::cmd("GET").arg(self.keys.visitor_contact(visitor.as_str())))
            .await?;
        match linked {
            Some(id) => Ok(self.survivor_id(&id).await?.map(ContactId)),
            None => Ok(None),
        }
    }

    async fn link_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()> {
        self.link(visitor, contact, false).await
    }

    async fn prove_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()> {
        self.link(visitor, contact, true).await
    }

    async fn proven_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>> {
        self.proven(contact).await
    }

    async fn take_identity(
        &self,
        contact: &ContactId,
        identity: &Identity,
    ) -> StoreResult<Option<ContactId>> {
        self.take(contact, identity).await
    }

    async fn contact_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>> {
        let Some(id) = self.survivor_id(contact.as_str()).await? else {
            return Ok(Vec::new());
        };
        let mut ids: Vec<String> = self
            .query(redis::cmd("SMEMBERS").arg(self.keys.contact_visitors(&id)))
            .await?;
        ids.sort();
        Ok(ids.into_iter().map(VisitorId).collect())
    }

    async fn record(
        &self,
        site: &SiteId,
        contact: &ContactId,
        item: &TimelineItem,
    ) -> StoreResult<Recorded> {
        let (s, c, i) = (site.as_str(), contact.as_str(), item.id.as_str());
        if !keys::addressable(s) || !keys::addressable(c) {
            return Err(StoreError::NotFound);
        }
        if !keys::addressable(i) {
            return Err(invalid_id());
        }
        let mut call = self.scripts.record.prepare_invoke();
        call.key(self.keys.item(i));
        let mut optional_keys = [0; 2];
        let optional = [
            item.external_id.as_ref().map(|e| self.keys.external(s, e)),
            item.case_code.as_ref().map(|code| self.keys.case(s, code)),
        ];
        let mut next = 2;
        for (index, key) in optional_keys.iter_mut().zip(optional) {
            if let Some(key) = key {
                call.key(key);
                (*index, next) = (next, next + 1);
            }
        }
        call.arg(self.keys.prefix())
            .arg(s)
            .arg(c)
            .arg(i)
            .arg(&optional_keys[..])
            .arg(item.at_ms);
        for (field, value) in contact_codec::item_fields(item) {
            call.arg(field).arg(value);
        }
        let (word, mut payload) = self.eval(&call).await?;
        let duplicate = match word.as_str() {
            "ok" => false,
            "duplicate" => true,
            other => return Err(unexpected(other)),
        };
        if payload.is_empty() {
            return Err(unexpected(&word));
        }
        let fields = pairs(payload.split_off(1));
        Ok(Recorded {
            item: contact_codec::item(&payload[0], &fields)?,
            contact: ContactId(text(&fields, "timeline item", "contact")?),
            duplicate,
        })
    }

    async fn timeline(
        &self,
        contact: &ContactId,
        before: Option<&TimelineCursor>,
        limit: usize,
    ) -> StoreResult<Vec<TimelineItem>> {
        let Some(id) = self.survivor_id(contact.as_str()).await? else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let key = self.keys.contact_timeline(&id);
        // Redis orders equal scores by member bytes, as Rust orders ids:
        // the rest of the cursor's own millisecond first, then older ones.
        let mut ids: Vec<String> = Vec::new();
        if let Some(cursor) = before {
            let same_ms: Vec<String> = self
                .query(
                    redis::cmd("ZREVRANGEBYSCORE")
                        .arg(&key)
                        .arg(cursor.at_ms)
                        .arg(cursor.at_ms),
                )
                .await?;
            ids.extend(
                same_ms
                    .into_iter()
                    .filter(|m| m.as_str() < cursor.id.as_str())
                    .take(limit),
            );
        }
        if ids.len() < limit {
            let max = before.map_or_else(|| "+inf".to_owned(), |c| format!("({}", c.at_ms));
            let older: Vec<String> = self
                .query(
                    redis::cmd("ZREVRANGEBYSCORE")
                        .arg(&key)
                        .arg(max)
                        .arg("-inf")
                        .arg("LIMIT")
                        .arg(0)
                        .arg(limit - ids.len()),
                )
                .await?;
            ids.extend(older);
        }
        self.items(&ids).await
    }

    async fn next_case_number(&self, site: &SiteId) -> StoreResult<u64> {
        if !keys::addressable(site.as_str()) {
            return Err(invalid_id());
        }
        self.write(redis::cmd("INCR").arg(self.keys.case_seq(site.as_str())))
            .await
    }

    async fn find_case(
        &self,
        site: &SiteId,
        code: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>> {
        if !keys::addressable(site.as_str()) {
            return Ok(None);
        }
        self.indexed_item(self.keys.case(site.as_str(), code)).await
    }

    async fn item_by_external_id(
        &self,
        site: &SiteId,
        external_id: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>> {
        if !keys::addressable(site.as_str()) {
            return Ok(None);
        }
        self.indexed_item(self.keys.external(site.as_str(), external_id))
            .await
    }

    async fn search_contacts(
        &self,
        site: &SiteId,
        query: &str,
        limit: usize,
    ) -> StoreResult<Vec<Contact>> {
        self.search(site, query, limit).await
    }

    async fn propose_merge(&self, proposal: &MergeProposal) -> StoreResult<()> {
        self.propose(proposal).await
    }

    async fn merge_proposals(&self, contact: &ContactId) -> StoreResult<Vec<MergeProposal>> {
        self.proposals_of(contact).await
    }

    async fn resolve_merge(
        &self,
        proposal: &MergeProposalId,
        decision: MergeDecision,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Contact> {
        if !keys::addressable(proposal.as_str()) {
            return Err(StoreError::NotFound);
        }
        self.settle(proposal, decision, agent, at_ms).await
    }
}
