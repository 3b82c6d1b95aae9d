//! What the console keeps in `localStorage`: the session token (so a
//! reload signs in again without the password), the presence the agent
//! chose (re-sent after every reconnect) and how far the agent has read
//! each conversation (so a reload does not mark everything unread). Storage may be unavailable
//! (private mode, blocked cookies): then nothing is kept and nothing fails.

use std::collections::BTreeMap;

use shared::{ConversationId, Presence, Seq};

const SESSION_KEY: &str = "switchboard:console:session";
const PRESENCE_KEY: &str = "switchboard:console:presence";
const READ_KEY: &str = "switchboard:console:read";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

fn set(key: &str, value: &str) {
    if let Some(storage) = local() {
        let _ = storage.set_item(key, value);
    }
}

pub(crate) fn session() -> Option<String> {
    get(SESSION_KEY).filter(|t| !t.is_empty())
}

pub(crate) fn save_session(token: &str) {
    set(SESSION_KEY, token);
}

/// Forgets the session and the read marks that went with it.
pub(crate) fn clear_session() {
    if let Some(storage) = local() {
        let _ = storage.remove_item(SESSION_KEY);
        let _ = storage.remove_item(READ_KEY);
    }
}

/// The newest seq read per conversation.
pub(crate) fn read_marks() -> BTreeMap<ConversationId, Seq> {
    get(READ_KEY)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub(crate) fn save_read_marks(marks: &BTreeMap<ConversationId, Seq>) {
    if let Ok(json) = serde_json::to_string(marks) {
        set(READ_KEY, &json);
    }
}

/// The presence the agent last chose; online if never.
pub(crate) fn presence() -> Presence {
    match get(PRESENCE_KEY).as_deref() {
        Some("away") => Presence::Away,
        Some("offline") => Presence::Offline,
        _ => Presence::Online,
    }
}

pub(crate) fn save_presence(presence: Presence) {
    set(PRESENCE_KEY, presence_str(presence));
}

/// The wire name of a presence, also used as the `<option>` value.
pub(crate) fn presence_str(presence: Presence) -> &'static str {
    match presence {
        Presence::Online => "online",
        Presence::Away => "away",
        Presence::Offline => "offline",
    }
}
