//! `POST /api/v1/sites/{site}/items`: an email, call, SMS, social message
//! or web form from another system lands on the customer's timeline.
//!
//! Idempotent by the caller's `external_id`: a retry returns the first
//! result (200, `duplicate: true`) and changes nothing. The contact is
//! found by the rules of [`crate::customers::resolve`]: identities count as
//! verified only when the request says the site vouches for them
//! (`"verified": true`); an unverified one that matches another contact
//! raises a merge proposal instead of attaching the item to that person.
//! Every new item gets a case code, or joins the case named in `case_code`.
//! A satisfaction survey answered on that channel comes as an item with
//! `csat` (`rating` 1–5, optional `comment`); its `text` may then be left
//! out. It counts in the reports' CSAT figures under the item's channel.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::contacts::{Channel, Direction, Identity, IdentityKind, TimelineItem};
use shared::csat::Csat;
use shared::ContactId;

use super::{ApiError, SiteKey};
use crate::app::App;
use crate::conversations::csat::rating_text;
use crate::conversations::ingest::NewItem;
use crate::conversations::ServiceError;
use crate::customers::Claim;

/// Longest text or summary of one item, in characters.
pub const MAX_ITEM_CHARS: usize = 20_000;
/// Longest identity value, name, agent, id, attribute key or value.
pub const MAX_FIELD_CHARS: usize = 256;
/// Most attributes one push may set.
pub const MAX_ATTRIBUTES: usize = 50;

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushItem {
    pub external_id: String,
    pub channel: Channel,
    pub direction: Direction,
    /// When it happened (Unix ms); now if absent.
    #[serde(default)]
    pub at_ms: Option<u64>,
    /// May be left out for a rating (`csat`): a summary of it is shown.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub agent: Option<String>,
    /// Join this existing case instead of opening a new one.
    #[serde(default)]
    pub case_code: Option<String>,
    pub contact: ContactClaim,
    /// A satisfaction rating the customer gave on this channel.
    #[serde(default)]
    pub csat: Option<Rating>,
}

/// A satisfaction rating as pushed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub rating: u32,
    #[serde(default)]
    pub comment: Option<String>,
}

/// Who the item is from or to.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactClaim {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// The site's own user id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// `network:handle`.
    #[serde(default)]
    pub social: Option<String>,
    /// The site vouches for these identities.
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// The response body.
#[derive(Debug, Serialize)]
pub struct Pushed {
    pub item: TimelineItem,
    pub contact: ContactId,
    pub duplicate: bool,
    /// A merge proposal was raised for an agent to settle.
    pub merge_proposed: bool,
}

pub async fn push(
    State(app): State<Arc<App>>,
    key: SiteKey,
    body: Result<Json<PushItem>, JsonRejection>,
) -> Result<(StatusCode, Json<Pushed>), ApiError> {
    let Json(push) = body?;
    let csat = match &push.csat {
        // The item's time is set by the service.
        Some(r) => Some(
            Csat::new(r.rating, r.comment.as_deref(), 0)
                .map_err(|p| ApiError::Service(ServiceError::Csat(p)))?,
        ),
        None => None,
    };
    let text = match &csat {
        Some(csat) if push.text.trim().is_empty() => rating_text(csat),
        _ => push.text.clone(),
    };
    let push = PushItem { text, ..push };
    validate(&push)?;
    let new = NewItem {
        csat,
        claim: claim(&push.contact),
        external_id: push.external_id,
        channel: push.channel,
        direction: push.direction,
        at_ms: push.at_ms,
        text: push.text,
        agent: push.agent,
        case_code: push.case_code,
    };
    let ingested = app.conversations.ingest(&key.site, new).await?;
    let status = if ingested.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(Pushed {
            item: ingested.item,
            contact: ingested.contact,
            duplicate: ingested.duplicate,
            merge_proposed: ingested.merge_proposed,
        }),
    ))
}

fn claim(contact: &ContactClaim) -> Claim {
    let verified = contact.verified;
    let identities = [
        (IdentityKind::External, &contact.external_id),
        (IdentityKind::Email, &contact.email),
        (IdentityKind::Phone, &contact.phone),
        (IdentityKind::Social, &contact.social),
    ]
    .into_iter()
    .filter_map(|(kind, value)| value.as_deref().map(|v| Identity::new(kind, v, verified)))
    .filter(|identity| !identity.value.is_empty())
    .collect();
    Claim {
        name: contact.name.clone().filter(|n| !n.trim().is_empty()),
        identities,
        attributes: contact.attributes.clone(),
    }
}

fn validate(push: &PushItem) -> Result<(), ApiError> {
    let invalid = |message: String| Err(ApiError::invalid(message));
    if !Channel::INGESTIBLE.contains(&push.channel) {
        return invalid("channel must be one of email, phone, sms, social, web_form".into());
    }
    if push.external_id.trim().is_empty() {
        return invalid("external_id must not be empty".into());
    }
    if push.text.trim().is_empty() {
        return invalid("text must not be empty".into());
    }
    if push.text.chars().count() > MAX_ITEM_CHARS {
        return invalid(format!("text is longer than {MAX_ITEM_CHARS} characters"));
    }
    let c = &push.contact;
    let fields = [
        ("external_id", Some(&push.external_id)),
        ("agent", push.agent.as_ref()),
        ("contact.name", c.name.as_ref()),
        ("contact.email", c.email.as_ref()),
        ("contact.phone", c.phone.as_ref()),
        ("contact.external_id", c.external_id.as_ref()),
        ("contact.social", c.social.as_ref()),
    ];
    for (name, value) in fields {
        if value
            .is_some_and(|v| v.chars().count() > MAX_FIELD_CHARS || v.chars().any(char::is_control))
        {
            return invalid(format!(
                "{name} is longer than {MAX_FIELD_CHARS} characters or has control characters"
            ));
        }
    }
    if claim(c).identities.is_empty() {
        return invalid("contact needs at least one of email, phone, external_id, social".into());
    }
    if c.email.as_deref().is_some_and(|e| !looks_like_email(e)) {
        return invalid("contact.email is not an email address".into());
    }
    if c.attributes.len() > MAX_ATTRIBUTES
        || c.attributes.iter().any(|(k, v)| {
            k.trim().is_empty()
                || k.chars().count() > MAX_FIELD_CHARS
                || v.chars().count() > MAX_FIELD_CHARS
        })
    {
        return invalid(format!(
            "contact.attributes: at most {MAX_ATTRIBUTES}, keys non-empty, keys and values at most {MAX_FIELD_CHARS} characters"
        ));
    }
    Ok(())
}

/// Deliberately loose: one `@` with something on each side and a dot in the
/// domain. Mail systems decide the rest.
fn looks_like_email(email: &str) -> bool {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }
        None => false,
    }
}
