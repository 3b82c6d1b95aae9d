//! The Lua scripts behind every check-and-write, loaded from `lua/` at
//! compile time. Each script runs atomically in Redis, which is what makes
//! cross-node decisions safe (DESIGN principle 5). Scripts are sent as
//! EVALSHA; redis-rs loads one on `NOSCRIPT` (first use, Redis restart).
//!
//! Every script replies with a flat array of strings: a status word, then a
//! payload. [`status`] maps the failure words to typed errors.

use redis::Script;

use crate::store::{StoreError, StoreResult};

const PRELUDE: &str = include_str!("lua/prelude.lua");

fn script(body: &str) -> Script {
    Script::new(&[PRELUDE, body].concat())
}

/// The compiled scripts; hashed once per store.
#[derive(Debug)]
pub(super) struct Scripts {
    pub(super) create_agent: Script,
    pub(super) set_presence: Script,
    pub(super) create_visitor: Script,
    pub(super) open_conversation: Script,
    pub(super) append_message: Script,
    pub(super) assign: Script,
    pub(super) transfer: Script,
    pub(super) requeue: Script,
    pub(super) close_conversation: Script,
    pub(super) reopen_conversation: Script,
    pub(super) routing_snapshot: Script,
    pub(super) release_presence: Script,
    pub(super) expire_presence: Script,
    pub(super) create_contact: Script,
    pub(super) add_identity: Script,
    pub(super) update_contact: Script,
    pub(super) link_visitor: Script,
    pub(super) take_identity: Script,
    pub(super) end_agent_sessions: Script,
    pub(super) touch_visitors: Script,
    pub(super) set_agent_field: Script,
    pub(super) proven_visitors: Script,
    pub(super) record: Script,
    pub(super) propose_merge: Script,
    pub(super) resolve_merge: Script,
    pub(super) index_name: Script,
    pub(super) erase_contact: Script,
    pub(super) delete_closed_conversations: Script,
    pub(super) delete_anonymous_visitors: Script,
    pub(super) index_for_retention: Script,
    pub(super) save_article: Script,
    pub(super) delete_article: Script,
    pub(super) put_canned_reply: Script,
    pub(super) delete_canned_reply: Script,
    pub(super) rate_conversation: Script,
    pub(super) record_fact: Script,
}

impl Scripts {
    pub(super) fn new() -> Self {
        Self {
            create_agent: script(include_str!("lua/create_agent.lua")),
            set_presence: script(include_str!("lua/set_presence.lua")),
            create_visitor: script(include_str!("lua/create_visitor.lua")),
            open_conversation: script(include_str!("lua/open_conversation.lua")),
            append_message: script(include_str!("lua/append_message.lua")),
            assign: script(include_str!("lua/assign.lua")),
            transfer: script(include_str!("lua/transfer.lua")),
            requeue: script(include_str!("lua/requeue.lua")),
            close_conversation: script(include_str!("lua/close_conversation.lua")),
            reopen_conversation: script(include_str!("lua/reopen_conversation.lua")),
            routing_snapshot: script(include_str!("lua/routing_snapshot.lua")),
            release_presence: script(include_str!("lua/release_presence.lua")),
            expire_presence: script(include_str!("lua/expire_presence.lua")),
            create_contact: script(include_str!("lua/create_contact.lua")),
            add_identity: script(include_str!("lua/add_identity.lua")),
            update_contact: script(include_str!("lua/update_contact.lua")),
            link_visitor: script(include_str!("lua/link_visitor.lua")),
            take_identity: script(include_str!("lua/take_identity.lua")),
            end_agent_sessions: script(include_str!("lua/end_agent_sessions.lua")),
            touch_visitors: script(include_str!("lua/touch_visitors.lua")),
            set_agent_field: script(include_str!("lua/set_agent_field.lua")),
            proven_visitors: script(include_str!("lua/proven_visitors.lua")),
            record: script(include_str!("lua/record.lua")),
            propose_merge: script(include_str!("lua/propose_merge.lua")),
            resolve_merge: script(include_str!("lua/resolve_merge.lua")),
            index_name: script(include_str!("lua/index_name.lua")),
            erase_contact: script(include_str!("lua/erase_contact.lua")),
            delete_closed_conversations: script(include_str!(
                "lua/delete_closed_conversations.lua"
            )),
            delete_anonymous_visitors: script(include_str!("lua/delete_anonymous_visitors.lua")),
            index_for_retention: script(include_str!("lua/index_for_retention.lua")),
            save_article: script(include_str!("lua/save_article.lua")),
            delete_article: script(include_str!("lua/delete_article.lua")),
            put_canned_reply: script(include_str!("lua/put_canned_reply.lua")),
            delete_canned_reply: script(include_str!("lua/delete_canned_reply.lua")),
            rate_conversation: script(include_str!("lua/rate_conversation.lua")),
            record_fact: script(include_str!("lua/record_fact.lua")),
        }
    }
}

/// Splits a script reply into its status word and payload, turning the
/// failure words into the errors the trait promises.
pub(super) fn status(mut reply: Vec<String>) -> StoreResult<(String, Vec<String>)> {
    if reply.is_empty() {
        return Err(StoreError::Corrupt("empty script reply".into()));
    }
    let payload = reply.split_off(1);
    let word = reply.remove(0);
    let error = match word.as_str() {
        "not_found" => StoreError::NotFound,
        "closed" => StoreError::ConversationClosed,
        "unavailable" => StoreError::AgentUnavailable,
        "not_waiting" => StoreError::Conflict("not waiting"),
        "answered" => StoreError::Conflict("answered"),
        "visitor_busy" => StoreError::Conflict("visitor_busy"),
        "email_taken" => StoreError::Conflict("email taken"),
        "agent_exists" => StoreError::Conflict("agent exists"),
        "visitor_exists" => StoreError::Conflict("visitor exists"),
        "conversation_exists" => StoreError::Conflict("conversation exists"),
        "contact_exists" => StoreError::Conflict("contact exists"),
        "identity_taken" => StoreError::Conflict("identity held by another contact"),
        "item_exists" => StoreError::Conflict("timeline item exists"),
        "proposal_exists" => StoreError::Conflict("merge proposal exists"),
        "stale_revision" => StoreError::Conflict("stale revision"),
        "slug_taken" => StoreError::Conflict("slug taken"),
        "translation_exists" => StoreError::Conflict("translation exists"),
        "shortcut_taken" => StoreError::Conflict("shortcut taken"),
        "not_closed" => StoreError::Conflict(crate::store::csat::NOT_CLOSED),
        "already_rated" => StoreError::Conflict(crate::store::csat::ALREADY_RATED),
        "not_assigned" => StoreError::Conflict(crate::store::NOT_ASSIGNED),
        "corrupt" => StoreError::Corrupt("message list out of step with its seq".into()),
        "corrupt_route" => StoreError::Corrupt("conversation route is not a JSON object".into()),
        _ => return Ok((word, payload)),
    };
    Err(error)
}

/// A status word no script sends: the scripts and this code disagree.
pub(super) fn unexpected(word: &str) -> StoreError {
    StoreError::Corrupt(format!("unexpected script reply {word:?}"))
}
