//! [`ErasureStore`] for [`RedisStore`]: the erasure is one script
//! (`lua/erase_contact.lua`), the audit log a list per site
//! (`{p}site:{s}:audit`, newest first, JSON entries).

use async_trait::async_trait;
use shared::{ContactId, SiteId};

use super::scripts::unexpected;
use super::{keys, RedisStore};
use crate::store::erasure::{AuditEntry, Erased, ErasedCounts, ErasureStore, ERASED_TEXT};
use crate::store::{StoreError, StoreResult};

fn entry(json: &str) -> StoreResult<AuditEntry> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("audit entry: {e}")))
}

#[async_trait]
impl ErasureStore for RedisStore {
    async fn erase_contact(
        &self,
        site: &SiteId,
        contact: &ContactId,
        by: &str,
        at_ms: u64,
    ) -> StoreResult<Erased> {
        if !keys::addressable(site.as_str()) || !keys::addressable(contact.as_str()) {
            return Err(StoreError::NotFound);
        }
        let mut call = self.scripts.erase_contact.prepare_invoke();
        // The key routes the script on a cluster: it reaches every key
        // through the prefix, all in the prefix's one slot.
        call.key(self.keys.contact(contact.as_str()))
            .arg(self.keys.prefix())
            .arg(contact.as_str())
            .arg(site.as_str())
            .arg(ERASED_TEXT)
            .arg(by)
            .arg(at_ms);
        let payload = self.eval_ok(&call).await?;
        let [survivor, json] = payload.as_slice() else {
            return Err(unexpected("ok"));
        };
        let logged = entry(json)?;
        Ok(Erased::from_counts(
            ContactId(survivor.clone()),
            &logged.counts,
        ))
    }

    async fn audit_log(&self, site: &SiteId, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        if !keys::addressable(site.as_str()) || limit == 0 {
            return Ok(Vec::new());
        }
        let lines: Vec<String> = self
            .query(
                redis::cmd("LRANGE")
                    .arg(self.keys.site_audit(site.as_str()))
                    .arg(0)
                    .arg(limit - 1),
            )
            .await?;
        lines.iter().map(|l| entry(l)).collect()
    }
}
