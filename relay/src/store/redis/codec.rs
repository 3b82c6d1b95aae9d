//! Records to and from Redis values. Records are hashes of plain fields so
//! they read well in `redis-cli`; JSON appears only where a value is a list
//! (site origins and languages, agent skills) or a structure (a message, a
//! site's routing settings, a conversation's route). Anything that does not
//! decode is [`StoreError::Corrupt`]: Redis is shared with other systems,
//! so a malformed value is reported, never guessed at.

use std::collections::HashMap;

use shared::{
    AgentId, ChatMessage, ConversationId, ConversationStatus, Presence, SiteId, VisitorId,
};

use crate::identity::case_code::CaseCode;
use crate::store::{
    AgentRecord, AgentStatus, Conversation, NewMessage, Site, StoreError, StoreResult,
    VisitorRecord,
};

/// A hash as `HGETALL` returns it.
pub(super) type Fields = HashMap<String, String>;

/// Pairs up a flat `field, value, ...` list (a script's payload).
pub(super) fn pairs(flat: Vec<String>) -> Fields {
    let mut fields = Fields::new();
    let mut iter = flat.into_iter();
    while let (Some(k), Some(v)) = (iter.next(), iter.next()) {
        fields.insert(k, v);
    }
    fields
}

pub(super) fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

pub(super) fn text(f: &Fields, what: &str, name: &str) -> StoreResult<String> {
    f.get(name)
        .cloned()
        .ok_or_else(|| corrupt(what, format_args!("missing field {name}")))
}

pub(super) fn number(f: &Fields, what: &str, name: &str) -> StoreResult<u64> {
    let raw = text(f, what, name)?;
    raw.parse()
        .map_err(|_| corrupt(what, format_args!("field {name} is not a number: {raw:?}")))
}

/// Absent and empty both mean "none" (scripts write no field for none).
pub(super) fn optional(f: &Fields, name: &str) -> Option<String> {
    f.get(name).filter(|v| !v.is_empty()).cloned()
}

fn json_list(f: &Fields, what: &str, name: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(&text(f, what, name)?)
        .map_err(|e| corrupt(what, format_args!("field {name}: {e}")))
}

/// A JSON field that records written before it existed lack (or, written
/// by a script, hold empty): those read as the default.
pub(super) fn json_or_default<T: serde::de::DeserializeOwned + Default>(
    f: &Fields,
    what: &str,
    name: &str,
) -> StoreResult<T> {
    match optional(f, name) {
        Some(raw) => {
            serde_json::from_str(&raw).map_err(|e| corrupt(what, format_args!("field {name}: {e}")))
        }
        None => Ok(T::default()),
    }
}

fn optional_number(f: &Fields, what: &str, name: &str) -> StoreResult<Option<u64>> {
    match optional(f, name) {
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| corrupt(what, format_args!("bad {name}"))),
        None => Ok(None),
    }
}

pub(super) fn json(value: &impl serde::Serialize, what: &str) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| corrupt(what, e))
}

pub(super) fn site_fields(site: &Site) -> StoreResult<[(&'static str, String); 10]> {
    let what = "site";
    Ok([
        ("name", site.name.clone()),
        ("origins", json(&site.origins, what)?),
        ("languages", json(&site.languages, what)?),
        (
            "identity_secret",
            site.identity_secret.clone().unwrap_or_default(),
        ),
        (
            "previous_identity_secret",
            site.previous_identity_secret.clone().unwrap_or_default(),
        ),
        (
            "previous_secret_until_ms",
            site.previous_secret_until_ms
                .map(|ms| ms.to_string())
                .unwrap_or_default(),
        ),
        ("api_key_hashes", json(&site.api_key_hashes, what)?),
        ("prechat_form", u8::from(site.prechat_form).to_string()),
        (
            "hours",
            match &site.hours {
                Some(hours) => json(hours, what)?,
                None => String::new(),
            },
        ),
        ("routing", json(&site.routing, what)?),
    ])
}

pub(super) fn site(id: &str, f: &Fields) -> StoreResult<Site> {
    let what = "site";
    Ok(Site {
        id: SiteId::from(id),
        name: text(f, what, "name")?,
        origins: json_list(f, what, "origins")?,
        languages: json_list(f, what, "languages")?,
        // Sites written before these fields existed have none of them.
        identity_secret: optional(f, "identity_secret"),
        previous_identity_secret: optional(f, "previous_identity_secret"),
        previous_secret_until_ms: optional_number(f, what, "previous_secret_until_ms")?,
        api_key_hashes: match f.get("api_key_hashes") {
            Some(_) => json_list(f, what, "api_key_hashes")?,
            None => Vec::new(),
        },
        prechat_form: f.get("prechat_form").is_some_and(|v| v == "1"),
        hours: match optional(f, "hours") {
            Some(json) => Some(serde_json::from_str(&json).map_err(|e| corrupt(what, e))?),
            None => None,
        },
        routing: json_or_default(f, what, "routing")?,
    })
}

pub(super) fn agent(id: &str, f: &Fields) -> StoreResult<AgentRecord> {
    let what = "agent";
    let max = number(f, what, "max_concurrent")?;
    Ok(AgentRecord {
        id: AgentId::from(id),
        email: text(f, what, "email")?,
        name: text(f, what, "name")?,
        password_hash: text(f, what, "password_hash")?,
        admin: text(f, what, "admin")? == "1",
        max_concurrent: u32::try_from(max).map_err(|e| corrupt(what, e))?,
        created_at_ms: number(f, what, "created_at_ms")?,
        disabled: f.get("disabled").is_some_and(|v| v == "1"),
        languages: json_or_default(f, what, "languages")?,
        skills: json_or_default(f, what, "skills")?,
    })
}

pub(super) fn presence_word(presence: Presence) -> &'static str {
    match presence {
        Presence::Online => "online",
        Presence::Away => "away",
        Presence::Offline => "offline",
    }
}

/// Unknown or missing presence reads as offline: such an agent must not
/// receive conversations.
pub(super) fn presence(word: Option<&str>) -> Presence {
    match word {
        Some("online") => Presence::Online,
        Some("away") => Presence::Away,
        _ => Presence::Offline,
    }
}

/// From `HMGET presence last_activity_ms`.
pub(super) fn agent_status(presence_word: Option<String>, last: Option<String>) -> AgentStatus {
    AgentStatus {
        presence: presence(presence_word.as_deref()),
        last_activity_ms: last.and_then(|v| v.parse().ok()).unwrap_or(0),
    }
}

pub(super) fn visitor(id: &str, f: &Fields) -> StoreResult<VisitorRecord> {
    let what = "visitor";
    Ok(VisitorRecord {
        id: VisitorId::from(id),
        site: SiteId(text(f, what, "site")?),
        token_hash: text(f, what, "token_hash")?,
        created_at_ms: number(f, what, "created_at_ms")?,
    })
}

pub(super) fn conversation(id: &str, f: &Fields) -> StoreResult<Conversation> {
    let what = "conversation";
    let status = match text(f, what, "status")?.as_str() {
        "waiting" => ConversationStatus::Waiting,
        "assigned" => ConversationStatus::Assigned,
        "closed" => ConversationStatus::Closed,
        other => return Err(corrupt(what, format_args!("unknown status {other:?}"))),
    };
    let case_code = match optional(f, "case_number") {
        Some(v) => {
            let n: u64 = v.parse().map_err(|_| corrupt(what, "bad case_number"))?;
            Some(CaseCode::nth(n).to_string())
        }
        None => None,
    };
    Ok(Conversation {
        id: ConversationId::from(id),
        site: SiteId(text(f, what, "site")?),
        visitor: VisitorId(text(f, what, "visitor")?),
        status,
        agent: optional(f, "agent").map(AgentId),
        agent_name: optional(f, "agent_name"),
        last_seq: number(f, what, "last_seq")?,
        created_at_ms: number(f, what, "created_at_ms")?,
        closed_at_ms: optional_number(f, what, "closed_at_ms")?,
        case_code,
        visitor_seen_ms: optional_number(f, what, "visitor_seen_ms")?,
        version: optional_number(f, what, "version")?.unwrap_or(0),
        route: json_or_default(f, what, "route")?,
        assigned_at_ms: optional_number(f, what, "assigned_at_ms")?,
        agent_replied_at_ms: optional_number(f, what, "agent_replied_at_ms")?,
        csat: json_or_default(f, what, "csat")?,
    })
}

/// A script's `{status, id, field, value, ...}` payload as a conversation.
pub(super) fn conversation_reply(mut payload: Vec<String>) -> StoreResult<Conversation> {
    if payload.is_empty() {
        return Err(corrupt("conversation", "script reply without id"));
    }
    let fields = payload.split_off(1);
    conversation(&payload[0], &pairs(fields))
}

/// The stored JSON of `new` split around its seq, which only the append
/// script knows: `head + seq + tail` is a [`ChatMessage`] as serde writes it.
pub(super) fn message_parts(new: &NewMessage) -> StoreResult<(String, String)> {
    let what = "message";
    let head = format!(
        "{{\"conversation\":{},\"seq\":",
        json(&new.conversation, what)?
    );
    let tail = format!(
        ",\"client_msg_id\":{},\"author\":{},\"text\":{},\"sent_at_ms\":{}}}",
        json(&new.client_msg_id, what)?,
        json(&new.author, what)?,
        json(&new.text, what)?,
        new.at_ms,
    );
    Ok((head, tail))
}

pub(super) fn message(raw: &str) -> StoreResult<ChatMessage> {
    serde_json::from_str(raw).map_err(|e| corrupt("message", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{Author, ClientMsgId, Role};

    #[test]
    fn message_parts_make_the_serde_json_of_the_message() {
        let new = NewMessage {
            conversation: ConversationId::from("c_\"quoted\""),
            client_msg_id: ClientMsgId::from("m1"),
            author: Author {
                role: Role::Agent,
                agent: Some(AgentId::from("a_1")),
                name: Some("Zoë".into()),
            },
            text: "hi\n{\"seq\":1}".into(),
            at_ms: 1_700_000_000_123,
            assignee: None,
            report: None,
        };
        let (head, tail) = message_parts(&new).unwrap();
        let stored = format!("{head}42{tail}");
        let expected = ChatMessage {
            conversation: new.conversation.clone(),
            seq: 42,
            client_msg_id: new.client_msg_id.clone(),
            author: new.author.clone(),
            text: new.text.clone(),
            sent_at_ms: new.at_ms,
        };
        assert_eq!(message(&stored).unwrap(), expected);
        assert_eq!(stored, serde_json::to_string(&expected).unwrap());
    }
}
