//! Reading the customer record back from Redis: following a merged
//! contact's forwarding field to the survivor, loading contacts, timeline
//! items and proposals, and search. Kept apart from the writes in `contacts` because none
//! of this decides anything; the scripts re-check what they rely on.

use shared::contacts::{Contact, MergeProposal, TimelineItem};
use shared::{ContactId, SiteId};

use super::codec::{optional, text, Fields};
use super::{contact_codec, keys, RedisStore};
use crate::store::contacts::{
    identity_queries, name_matches, rank_search, scan_word, ContactStore, MAX_FORWARDS,
    MAX_NAME_SCAN,
};
use crate::store::{StoreError, StoreResult};

fn broken_chain(id: &str) -> StoreError {
    StoreError::Corrupt(format!("contact {id}: merge forwarding does not end"))
}

impl RedisStore {
    /// The live contact id that `id` forwards to; `None` if there is none.
    pub(super) async fn survivor_id(&self, id: &str) -> StoreResult<Option<String>> {
        let mut id = id.to_owned();
        for _ in 0..MAX_FORWARDS {
            if !keys::addressable(&id) {
                return Ok(None);
            }
            let (site, next): (Option<String>, Option<String>) = self
                .query(
                    redis::cmd("HMGET")
                        .arg(self.keys.contact(&id))
                        .arg("site")
                        .arg("merged_into"),
                )
                .await?;
            match (site, next) {
                (None, _) => return Ok(None),
                (Some(_), Some(next)) if !next.is_empty() => id = next,
                _ => return Ok(Some(id)),
            }
        }
        Err(broken_chain(&id))
    }

    /// The live contact that `id` forwards to. Each record is read in one
    /// MULTI, so a merge (one script) is seen before or after, never half.
    pub(super) async fn live_contact(&self, id: &str) -> StoreResult<Option<Contact>> {
        let mut id = id.to_owned();
        for _ in 0..MAX_FORWARDS {
            if !keys::addressable(&id) {
                return Ok(None);
            }
            let mut pipe = redis::pipe();
            pipe.atomic()
                .hgetall(self.keys.contact(&id))
                .hgetall(self.keys.contact_identities(&id))
                .hgetall(self.keys.contact_attrs(&id));
            let (fields, ids, attrs): (Fields, Fields, Fields) = self.read_pipe(&pipe).await?;
            if fields.is_empty() {
                return Ok(None);
            }
            match optional(&fields, "merged_into") {
                Some(next) => id = next,
                None => return contact_codec::contact(&id, &fields, ids, attrs).map(Some),
            }
        }
        Err(broken_chain(&id))
    }

    /// The live contacts among `ids`, in the order given.
    pub(super) async fn live_contacts(&self, ids: &[String]) -> StoreResult<Vec<Contact>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.live_contact(id).await?);
        }
        Ok(out)
    }

    /// The timeline items among `ids` that exist, in the order given.
    pub(super) async fn items(&self, ids: &[String]) -> StoreResult<Vec<TimelineItem>> {
        let hashes = self.hashes(ids.iter().map(|id| self.keys.item(id))).await?;
        ids.iter()
            .zip(hashes)
            .filter(|(_, fields)| !fields.is_empty())
            .map(|(id, fields)| contact_codec::item(id, &fields))
            .collect()
    }

    /// A proposal, if it is still open.
    pub(super) async fn proposal(&self, id: &str) -> StoreResult<Option<MergeProposal>> {
        if !keys::addressable(id) {
            return Ok(None);
        }
        let fields: Fields = self
            .query(redis::cmd("HGETALL").arg(self.keys.merge_proposal(id)))
            .await?;
        if fields.is_empty() {
            return Ok(None);
        }
        contact_codec::proposal(id, &fields).map(Some)
    }

    /// The item an index key (a case code or an external id) names, and
    /// the live contact it is on.
    pub(super) async fn indexed_item(
        &self,
        key: String,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>> {
        let first: Option<String> = self.query(redis::cmd("GET").arg(key)).await?;
        let Some(item_id) = first else {
            return Ok(None);
        };
        let fields: Fields = self
            .query(redis::cmd("HGETALL").arg(self.keys.item(&item_id)))
            .await?;
        if fields.is_empty() {
            return Ok(None);
        }
        let holder = text(&fields, "timeline item", "contact")?;
        let item = contact_codec::item(&item_id, &fields)?;
        Ok(self
            .survivor_id(&holder)
            .await?
            .map(|c| (ContactId(c), item)))
    }

    /// See [`ContactStore::search_contacts`] and the limits in `contacts`.
    pub(super) async fn search(
        &self,
        site: &SiteId,
        query: &str,
        limit: usize,
    ) -> StoreResult<Vec<Contact>> {
        if !keys::addressable(site.as_str()) || query.trim().is_empty() {
            return Ok(Vec::new());
        }
        let mut by_identity = Vec::new();
        for (kind, _) in identity_queries(query) {
            if let Some(id) = self.contact_by_identity(site, kind, query).await? {
                by_identity.extend(self.live_contact(id.as_str()).await?);
            }
        }
        let ids = match scan_word(query) {
            Some(word) => self.named(site, &word).await?,
            None => Vec::new(),
        };
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.hget(self.keys.contact(id), "name");
        }
        let names: Vec<Option<String>> = if ids.is_empty() {
            Vec::new()
        } else {
            self.read_pipe(&pipe).await?
        };
        let mut named: Vec<(String, String)> = ids
            .into_iter()
            .zip(names)
            .filter(|(_, name)| name_matches(name.as_deref(), query))
            .map(|(id, name)| (name.unwrap_or_default().to_lowercase(), id))
            .collect();
        named.sort();
        let wanted: Vec<String> = named.into_iter().take(limit).map(|(_, id)| id).collect();
        let by_name = self.live_contacts(&wanted).await?;
        Ok(rank_search(by_identity, by_name, limit))
    }

    /// Up to `MAX_NAME_SCAN` contact ids of the site with a name word
    /// beginning with `prefix`, each once (see `lua/prelude.lua`).
    async fn named(&self, site: &SiteId, prefix: &str) -> StoreResult<Vec<String>> {
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xff);
        let members: Vec<String> = self
            .query(
                redis::cmd("ZRANGEBYLEX")
                    .arg(self.keys.site_names(site.as_str()))
                    .arg([b"[", prefix.as_bytes()].concat())
                    .arg([b"[".as_slice(), &upper].concat())
                    .arg("LIMIT")
                    .arg(0)
                    .arg(MAX_NAME_SCAN),
            )
            .await?;
        let mut ids: Vec<String> = members
            .into_iter()
            .filter_map(|m| m.rsplit_once(':').map(|(_, id)| id.to_owned()))
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}
