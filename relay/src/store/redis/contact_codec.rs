//! The customer record to and from Redis values, in the style of `codec`:
//! plain hash fields that read well in `redis-cli`. Enums are stored as
//! the words serde gives them on the wire (`email`, `web_form`, `in`), so
//! another system sees the same spelling in Redis and in the API.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use shared::contacts::{Contact, Identity, IdentityKind, MergeProposal, TimelineItem};
use shared::{ContactId, ConversationId, MergeProposalId, SiteId, TimelineItemId};

use super::codec::{corrupt, json_or_default, number, optional, text, Fields};
pub(super) use crate::store::contacts::wire_word as word;
use crate::store::StoreResult;

fn from_word<T: DeserializeOwned>(what: &str, raw: &str) -> StoreResult<T> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .map_err(|_| corrupt(what, format_args!("unknown value {raw:?}")))
}

/// The field of `{p}contact:{id}:identities`: `kind:value`.
pub(super) fn identity_field(identity: &Identity) -> String {
    format!("{}:{}", word(identity.kind), identity.value)
}

fn flag(verified: bool) -> &'static str {
    if verified {
        "1"
    } else {
        "0"
    }
}

pub(super) fn verified_flag(identity: &Identity) -> &'static str {
    flag(identity.verified)
}

/// A contact from its hash, identities hash and attributes hash.
/// Identities come back ordered by kind, then value (as the trait says).
pub(super) fn contact(id: &str, f: &Fields, ids: Fields, attrs: Fields) -> StoreResult<Contact> {
    let what = "contact";
    let mut identities = ids
        .into_iter()
        .map(|(field, verified)| {
            let (kind, value) = field
                .split_once(':')
                .ok_or_else(|| corrupt(what, format_args!("identity field {field:?}")))?;
            Ok(Identity {
                kind: from_word::<IdentityKind>(what, kind)?,
                value: value.to_owned(),
                verified: verified == "1",
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    identities.sort_by(|a, b| (a.kind, &a.value).cmp(&(b.kind, &b.value)));
    Ok(Contact {
        id: ContactId::from(id),
        site: SiteId(text(f, what, "site")?),
        name: optional(f, "name"),
        identities,
        attributes: attrs.into_iter().collect::<BTreeMap<_, _>>(),
        created_at_ms: number(f, what, "created_at_ms")?,
    })
}

/// The fields of `{p}item:{id}` (besides `contact` and `site`, which the
/// script writes); optional ones only when set.
pub(super) fn item_fields(item: &TimelineItem) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("channel", word(item.channel)),
        ("direction", word(item.direction)),
        ("at_ms", item.at_ms.to_string()),
        ("text", item.text.clone()),
    ];
    let optional = [
        ("agent", item.agent.clone()),
        ("case_code", item.case_code.clone()),
        ("external_id", item.external_id.clone()),
        (
            "conversation",
            item.conversation.as_ref().map(|c| c.0.clone()),
        ),
        (
            "csat",
            item.csat
                .as_ref()
                .and_then(|c| serde_json::to_string(c).ok()),
        ),
    ];
    fields.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
    fields
}

pub(super) fn item(id: &str, f: &Fields) -> StoreResult<TimelineItem> {
    let what = "timeline item";
    Ok(TimelineItem {
        id: TimelineItemId::from(id),
        channel: from_word(what, &text(f, what, "channel")?)?,
        direction: from_word(what, &text(f, what, "direction")?)?,
        at_ms: number(f, what, "at_ms")?,
        text: text(f, what, "text")?,
        agent: optional(f, "agent"),
        case_code: optional(f, "case_code"),
        external_id: optional(f, "external_id"),
        conversation: optional(f, "conversation").map(ConversationId),
        csat: json_or_default(f, what, "csat")?,
    })
}

pub(super) fn proposal_args(p: &MergeProposal) -> [String; 4] {
    [
        word(p.matched.kind),
        p.matched.value.clone(),
        flag(p.matched.verified).to_owned(),
        p.created_at_ms.to_string(),
    ]
}

pub(super) fn proposal(id: &str, f: &Fields) -> StoreResult<MergeProposal> {
    let what = "merge proposal";
    Ok(MergeProposal {
        id: MergeProposalId::from(id),
        from: ContactId(text(f, what, "from")?),
        into: ContactId(text(f, what, "into")?),
        matched: Identity {
            kind: from_word(what, &text(f, what, "kind")?)?,
            value: text(f, what, "value")?,
            verified: text(f, what, "verified")? == "1",
        },
        created_at_ms: number(f, what, "created_at_ms")?,
    })
}
