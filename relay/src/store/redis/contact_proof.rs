//! What only a signed identity may do, in Redis: link a visitor (proven
//! or not, `link_visitor.lua`), list a contact's proven visitors
//! (`proven_visitors.lua`), and take a verified identity from a contact
//! that holds it unverified (`take_identity.lua`). Each is one script, so
//! racing nodes see it whole.

use shared::contacts::Identity;
use shared::{ContactId, VisitorId};

use super::contact_codec::{identity_field, word};
use super::{keys, RedisStore};
use crate::store::contacts::normalised;
use crate::store::{StoreError, StoreResult};

impl RedisStore {
    pub(super) async fn link(
        &self,
        visitor: &VisitorId,
        contact: &ContactId,
        proven: bool,
    ) -> StoreResult<()> {
        let (v, c) = (visitor.as_str(), contact.as_str());
        if !keys::addressable(v) || !keys::addressable(c) {
            return Err(StoreError::NotFound);
        }
        let mut call = self.scripts.link_visitor.prepare_invoke();
        call.key(self.keys.visitor(v))
            .key(self.keys.visitor_contact(v))
            .key(self.keys.visitors_by_time())
            .arg(self.keys.prefix())
            .arg(v)
            .arg(c)
            .arg(if proven { "1" } else { "0" });
        self.eval_ok(&call).await.map(drop)
    }

    pub(super) async fn proven(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>> {
        let Some(id) = self.survivor_id(contact.as_str()).await? else {
            return Ok(Vec::new());
        };
        let mut call = self.scripts.proven_visitors.prepare_invoke();
        call.key(self.keys.contact_visitors(&id))
            .arg(self.keys.prefix());
        let mut ids: Vec<String> = self.invoke(&call, true).await?;
        ids.sort();
        Ok(ids.into_iter().map(VisitorId).collect())
    }

    pub(super) async fn take(
        &self,
        contact: &ContactId,
        identity: &Identity,
    ) -> StoreResult<Option<ContactId>> {
        let identity = normalised(identity);
        let key = self.identity_key_of(contact, &identity).await?;
        let mut call = self.scripts.take_identity.prepare_invoke();
        call.key(key)
            .arg(self.keys.prefix())
            .arg(contact.as_str())
            .arg(identity_field(&identity));
        let reply = self.eval_ok(&call).await?;
        Ok(reply
            .get(1)
            .filter(|taken| !taken.is_empty())
            .map(|taken| ContactId(taken.clone())))
    }

    /// The index key of `identity` (normalised) on the contact's site.
    pub(super) async fn identity_key_of(
        &self,
        contact: &ContactId,
        identity: &Identity,
    ) -> StoreResult<String> {
        let c = contact.as_str();
        if !keys::addressable(c) {
            return Err(StoreError::NotFound);
        }
        // A site never changes, merged or not: reading it first is safe.
        let site: Option<String> = self
            .query(redis::cmd("HGET").arg(self.keys.contact(c)).arg("site"))
            .await?;
        let site = site.ok_or(StoreError::NotFound)?;
        Ok(self
            .keys
            .identity(&site, &word(identity.kind), &identity.value))
    }
}
