//! Checking the signed identity a host page hands the widget
//! (`Switchboard.identify(token)`): a compact HS256 JWT signed with the
//! site's secret. The signature is verified by jsonwebtoken (the
//! ecosystem's audited JWT crate) with the algorithm pinned to HS256, so
//! `none` and algorithm-confusion tokens fail before any claim is read;
//! `exp` is required and checked here, with `nbf`, `aud` and `sub`,
//! against the relay's clock.

use std::collections::HashSet;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::Sha256;

/// Longest token accepted; real ones are a few hundred bytes.
pub const MAX_TOKEN_BYTES: usize = 4096;
/// Longest `sub` (the site's user id) accepted.
pub const MAX_SUBJECT_CHARS: usize = 256;
/// Clock skew tolerated between the site's servers and the relay.
pub const LEEWAY_SECS: u64 = 30;

/// Who the site says the visitor is, after the token verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// The site's own user id.
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
    /// Unix seconds after which the token is no longer accepted.
    pub expires_at: u64,
}

/// Why a token was refused. Each links nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("the identity token is not a well-formed JWT")]
    Malformed,
    #[error("the identity token is longer than {MAX_TOKEN_BYTES} bytes")]
    TooLong,
    #[error("the identity token must be signed with HS256, not {0:?}")]
    UnsupportedAlgorithm(String),
    #[error("the identity token's signature does not match this site's secret")]
    BadSignature,
    #[error("the identity token has expired")]
    Expired,
    #[error("the identity token is not valid yet")]
    NotYetValid,
    #[error("the identity token lacks the `{0}` claim")]
    MissingClaim(&'static str),
    #[error("the identity token's `{0}` claim is invalid")]
    InvalidClaim(&'static str),
    #[error("the identity token was issued for another site")]
    OtherSite,
    #[error(
        "the identity token lives longer than this relay accepts ({0} s); issue short-lived tokens"
    )]
    TooLongLived(u64),
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    exp: Option<u64>,
    nbf: Option<u64>,
    aud: Option<Audience>,
    email: Option<String>,
    name: Option<String>,
}

/// `aud` may be one string or a list (RFC 7519 §4.1.3).
#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn includes(&self, site: &str) -> bool {
        match self {
            Self::One(a) => a == site,
            Self::Many(list) => list.iter().any(|a| a == site),
        }
    }
}

/// Verifies `token` for `site` (whose secret is `secret`) at `now_secs`.
/// An `aud` claim, when present, must name the site.
pub fn verify(
    token: &str,
    site: &str,
    secret: &[u8],
    now_secs: u64,
) -> Result<VerifiedIdentity, IdentityError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(IdentityError::TooLong);
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(claims_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(IdentityError::Malformed);
    };
    // Our own look at `alg` first, only to name a refused one exactly;
    // jsonwebtoken then pins HS256 again and checks the signature.
    let header: Header = decode_json(header_b64)?;
    if header.alg != "HS256" {
        return Err(IdentityError::UnsupportedAlgorithm(header.alg));
    }
    if claims_b64.is_empty() || signature_b64.is_empty() {
        return Err(IdentityError::Malformed);
    }
    let claims = checked_signature(token, secret)?;
    let expires_at = claims.exp.ok_or(IdentityError::MissingClaim("exp"))?;
    if expires_at.saturating_add(LEEWAY_SECS) <= now_secs {
        return Err(IdentityError::Expired);
    }
    if claims
        .nbf
        .is_some_and(|nbf| nbf > now_secs.saturating_add(LEEWAY_SECS))
    {
        return Err(IdentityError::NotYetValid);
    }
    if claims.aud.as_ref().is_some_and(|aud| !aud.includes(site)) {
        return Err(IdentityError::OtherSite);
    }
    let subject = claims.sub.ok_or(IdentityError::MissingClaim("sub"))?;
    if subject.trim().is_empty()
        || subject.chars().count() > MAX_SUBJECT_CHARS
        || subject.chars().any(char::is_control)
    {
        return Err(IdentityError::InvalidClaim("sub"));
    }
    Ok(VerifiedIdentity {
        subject,
        email: claims.email.filter(|e| !e.trim().is_empty()),
        name: claims.name.filter(|n| !n.trim().is_empty()),
        expires_at,
    })
}

/// The claims, once jsonwebtoken verified the HS256 signature. Times are
/// checked by the caller against the relay's clock (`now_secs`), so the
/// library's own clock checks are off.
fn checked_signature(token: &str, secret: &[u8]) -> Result<Claims, IdentityError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims = HashSet::new();
    match jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation) {
        Ok(data) => Ok(data.claims),
        Err(e) => Err(match e.kind() {
            ErrorKind::InvalidSignature => IdentityError::BadSignature,
            _ => IdentityError::Malformed,
        }),
    }
}

fn decode_json<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, IdentityError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| IdentityError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| IdentityError::Malformed)
}

/// Signs `claims` with HS256: what a site's server does. Used by tests and
/// the demo site; the relay itself only verifies.
pub fn sign(claims: &serde_json::Value, secret: &[u8]) -> String {
    sign_with_header(
        &serde_json::json!({"alg": "HS256", "typ": "JWT"}),
        claims,
        secret,
    )
}

/// [`sign`] with any header (tests forge `alg: none` and friends with it).
pub fn sign_with_header(
    header: &serde_json::Value,
    claims: &serde_json::Value,
    secret: &[u8],
) -> String {
    let head = URL_SAFE_NO_PAD.encode(header.to_string());
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{head}.{body}");
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}
