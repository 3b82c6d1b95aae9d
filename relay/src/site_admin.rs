//! A site owner's credentials, made from the command line
//! (`switchboard api-key`, `switchboard identity-secret`): API keys for the
//! ingest API (only their hashes are kept, so a key is shown once) and the
//! HS256 secret the site signs visitor identities with (kept as is: HMAC
//! verification needs it). Read-modify-write of the site record: run one
//! at a time.

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

/// The site's identity secret, made first if it has none (or `rotate`,
/// which makes every token signed with the old one fail from now on).
pub async fn identity_secret(
    store: &dyn Store,
    site: &SiteId,
    rotate: bool,
) -> StoreResult<String> {
    let mut record = store.site(site).await?.ok_or(StoreError::NotFound)?;
    match &record.identity_secret {
        Some(secret) if !rotate => Ok(secret.clone()),
        _ => {
            let secret = format!("{SECRET_PREFIX}{}", new_token());
            record.identity_secret = Some(secret.clone());
            store.put_site(&record).await?;
            Ok(secret)
        }
    }
}
