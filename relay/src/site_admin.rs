//! A site owner's credentials, made from the command line
//! (`switchboard api-key`, `switchboard identity-secret`): API keys for the
//! ingest API (only their hashes are kept, so a key is shown once; listed
//! by fingerprint and revoked) and the HS256 secret the site signs visitor
//! identities with (kept as is: HMAC verification needs it; rotated with a
//! grace period for the old one). Read-modify-write of the site record:
//! run one at a time.

use shared::SiteId;

use crate::secrets::{new_token, token_hash};
use crate::store::{Store, StoreError, StoreResult};

/// Prefix of every API key, so a leaked one is recognisable in logs and scanners.
pub const API_KEY_PREFIX: &str = "sbk_";
/// Prefix of identity secrets.
pub const SECRET_PREFIX: &str = "sbs_";

/// Makes a new API key for `site` and returns it (the only time it is seen).
pub async fn new_api_key(store: &dyn Store, site: &SiteId) -> StoreResult<String> {
    let mut record = store.site(site).await?.ok_or(StoreError::NotFound)?;
    let key = format!("{API_KEY_PREFIX}{}", new_token());
    record.api_key_hashes.push(token_hash(&key));
    store.put_site(&record).await?;
    Ok(key)
}

/// The site's identity secret, made first if it has none. `rotate`
/// replaces it; the old one is still accepted for `grace_ms` (tokens
/// already handed out live at most a day), none at all with 0.
pub async fn identity_secret(
    store: &dyn Store,
    site: &SiteId,
    rotate: bool,
) -> StoreResult<String> {
    rotate_identity_secret(store, site, rotate, 0).await
}

/// [`identity_secret`] with a grace period for the old secret.
pub async fn rotate_identity_secret(
    store: &dyn Store,
    site: &SiteId,
    rotate: bool,
    grace_ms: u64,
) -> StoreResult<String> {
    let mut record = store.site(site).await?.ok_or(StoreError::NotFound)?;
    match record.identity_secret.clone() {
        Some(secret) if !rotate => Ok(secret),
        old => {
            let secret = format!("{SECRET_PREFIX}{}", new_token());
            let keep_old = old.filter(|_| grace_ms > 0);
            record.previous_secret_until_ms = keep_old
                .as_ref()
                .map(|_| crate::now_ms().saturating_add(grace_ms));
            record.previous_identity_secret = keep_old;
            record.identity_secret = Some(secret.clone());
            store.put_site(&record).await?;
            Ok(secret)
        }
    }
}

/// Fingerprints of the site's API keys: the first 12 hex digits of each
/// key's SHA-256, enough to tell them apart and to revoke one.
pub async fn api_key_fingerprints(store: &dyn Store, site: &SiteId) -> StoreResult<Vec<String>> {
    let record = store.site(site).await?.ok_or(StoreError::NotFound)?;
    Ok(record
        .api_key_hashes
        .iter()
        .map(|hash| hash.chars().take(FINGERPRINT_CHARS).collect())
        .collect())
}

/// Hex digits of a key's hash that name it.
pub const FINGERPRINT_CHARS: usize = 12;

/// Revokes the API key given in full or by fingerprint; from the next
/// request on (on every node: each request reads the site) it is refused.
/// Returns how many keys were removed (0: no such key).
pub async fn revoke_api_key(store: &dyn Store, site: &SiteId, key: &str) -> StoreResult<usize> {
    let mut record = store.site(site).await?.ok_or(StoreError::NotFound)?;
    let full = token_hash(key);
    let by_fingerprint =
        key.len() == FINGERPRINT_CHARS && key.bytes().all(|b| b.is_ascii_hexdigit());
    let before = record.api_key_hashes.len();
    record
        .api_key_hashes
        .retain(|hash| *hash != full && !(by_fingerprint && hash.starts_with(key)));
    let removed = before - record.api_key_hashes.len();
    if removed > 0 {
        store.put_site(&record).await?;
    }
    Ok(removed)
}
