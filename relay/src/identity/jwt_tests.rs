//! Every way a forged, stale or foreign identity token must fail.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::json;

use super::jwt::{sign, sign_with_header, verify, IdentityError, VerifiedIdentity};

const SITE: &str = "shop";
const SECRET: &[u8] = b"shop-secret-0123456789";
const NOW: u64 = 1_800_000_000;

fn claims() -> serde_json::Value {
    json!({"sub": "user-42", "email": "ada@example.com", "name": "Ada", "exp": NOW + 600})
}

#[test]
fn a_token_signed_with_the_site_secret_verifies() {
    let token = sign(&claims(), SECRET);
    assert_eq!(
        verify(&token, SITE, SECRET, NOW),
        Ok(VerifiedIdentity {
            subject: "user-42".into(),
            email: Some("ada@example.com".into()),
            name: Some("Ada".into()),
            expires_at: NOW + 600,
        })
    );
}

#[test]
fn another_sites_secret_fails_the_signature() {
    let token = sign(&claims(), b"other-site-secret");
    assert_eq!(
        verify(&token, SITE, SECRET, NOW),
        Err(IdentityError::BadSignature)
    );
}

#[test]
fn an_audience_naming_another_site_is_refused() {
    let mut c = claims();
    c["aud"] = json!("other-shop");
    assert_eq!(
        verify(&sign(&c, SECRET), SITE, SECRET, NOW),
        Err(IdentityError::OtherSite)
    );
    c["aud"] = json!(["other-shop", SITE]);
    assert!(verify(&sign(&c, SECRET), SITE, SECRET, NOW).is_ok());
}

#[test]
fn expired_and_future_tokens_are_refused() {
    let mut c = claims();
    c["exp"] = json!(NOW - 31);
    assert_eq!(
        verify(&sign(&c, SECRET), SITE, SECRET, NOW),
        Err(IdentityError::Expired)
    );
    c["exp"] = json!(NOW - 10);
    assert!(
        verify(&sign(&c, SECRET), SITE, SECRET, NOW).is_ok(),
        "within the leeway"
    );
    let mut c = claims();
    c["nbf"] = json!(NOW + 3600);
    assert_eq!(
        verify(&sign(&c, SECRET), SITE, SECRET, NOW),
        Err(IdentityError::NotYetValid)
    );
}

#[test]
fn exp_and_sub_are_required() {
    let mut c = claims();
    c.as_object_mut().unwrap().remove("exp");
    assert_eq!(
        verify(&sign(&c, SECRET), SITE, SECRET, NOW),
        Err(IdentityError::MissingClaim("exp"))
    );
    let mut c = claims();
    c.as_object_mut().unwrap().remove("sub");
    assert_eq!(
        verify(&sign(&c, SECRET), SITE, SECRET, NOW),
        Err(IdentityError::MissingClaim("sub"))
    );
    for bad in [
        json!(""),
        json!("  "),
        json!("a\nb"),
        json!("x".repeat(257)),
    ] {
        let mut c = claims();
        c["sub"] = bad;
        assert_eq!(
            verify(&sign(&c, SECRET), SITE, SECRET, NOW),
            Err(IdentityError::InvalidClaim("sub"))
        );
    }
}

#[test]
fn alg_none_and_other_algorithms_are_refused_before_the_signature() {
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(json!({"alg": "none"}).to_string()),
        URL_SAFE_NO_PAD.encode(claims().to_string())
    );
    assert_eq!(
        verify(&unsigned, SITE, SECRET, NOW),
        Err(IdentityError::UnsupportedAlgorithm("none".into()))
    );
    for alg in ["HS512", "RS256", "hs256", "None"] {
        let token = sign_with_header(&json!({"alg": alg}), &claims(), SECRET);
        assert_eq!(
            verify(&token, SITE, SECRET, NOW),
            Err(IdentityError::UnsupportedAlgorithm(alg.into()))
        );
    }
}

#[test]
fn tampered_claims_fail_the_signature() {
    let token = sign(&claims(), SECRET);
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut forged = claims();
    forged["sub"] = json!("admin");
    parts[1] = URL_SAFE_NO_PAD.encode(forged.to_string());
    assert_eq!(
        verify(&parts.join("."), SITE, SECRET, NOW),
        Err(IdentityError::BadSignature)
    );
}

#[test]
fn malformed_tokens_get_a_clear_error() {
    let good = sign(&claims(), SECRET);
    for bad in [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!!.??.**",
        &format!("{good}.x"),
    ] {
        assert_eq!(
            verify(bad, SITE, SECRET, NOW),
            Err(IdentityError::Malformed),
            "{bad:?}"
        );
    }
    let long = "a".repeat(5000);
    assert_eq!(
        verify(&long, SITE, SECRET, NOW),
        Err(IdentityError::TooLong)
    );
}
