//! Every string the console shows, in one catalog per language.
//!
//! Components never hold literal text: they ask [`catalog`] for the active
//! [`Catalog`] and read a field. Strings with values in them are templates
//! with named `{placeholders}` filled by [`fill`], so word order stays the
//! translator's choice. Adding a language is adding one `Catalog` constant
//! and a line in [`for_lang`]; nothing else changes. The accessible names
//! here ("Email", "Reply", "Conversations", ...) are the console's UI
//! contract: tests and screen-reader users rely on them.

use shared::ErrorCode;

/// The console's strings in one language.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// BCP 47 tag, set as `<html lang>`.
    pub(crate) lang: &'static str,
    /// `ltr` or `rtl`.
    pub(crate) dir: &'static str,
    pub(crate) app_title: &'static str,
    /// `{n}` = conversations needing attention.
    pub(crate) title_with_count: &'static str,
    pub(crate) sign_in_heading: &'static str,
    pub(crate) email: &'static str,
    pub(crate) password: &'static str,
    pub(crate) sign_in: &'static str,
    pub(crate) signing_in: &'static str,
    pub(crate) sign_out: &'static str,
    pub(crate) status: &'static str,
    pub(crate) online: &'static str,
    pub(crate) away: &'static str,
    pub(crate) offline: &'static str,
    pub(crate) conversations: &'static str,
    pub(crate) no_conversations: &'static str,
    /// `{id}` = a short code derived from the visitor id.
    pub(crate) visitor_named: &'static str,
    pub(crate) status_waiting: &'static str,
    pub(crate) status_assigned: &'static str,
    pub(crate) status_closed: &'static str,
    /// `{n}` = number of unread messages.
    pub(crate) unread: &'static str,
    pub(crate) no_messages: &'static str,
    pub(crate) pick_conversation: &'static str,
    pub(crate) transcript: &'static str,
    pub(crate) back: &'static str,
    pub(crate) reply: &'static str,
    pub(crate) send: &'static str,
    pub(crate) sending: &'static str,
    /// `{reason}` = why the relay refused the message.
    pub(crate) not_sent: &'static str,
    pub(crate) visitor_typing: &'static str,
    pub(crate) you: &'static str,
    pub(crate) visitor: &'static str,
    pub(crate) system: &'static str,
    pub(crate) agent: &'static str,
    pub(crate) transfer: &'static str,
    pub(crate) transfer_to: &'static str,
    pub(crate) choose_agent: &'static str,
    /// `{name}` = the agent's name.
    pub(crate) agent_away: &'static str,
    /// `{name}` = the agent's name.
    pub(crate) agent_offline: &'static str,
    pub(crate) close_conversation: &'static str,
    pub(crate) conversation_closed: &'static str,
    pub(crate) waiting_note: &'static str,
    pub(crate) add_agent: &'static str,
    pub(crate) name: &'static str,
    pub(crate) capacity: &'static str,
    pub(crate) administrator: &'static str,
    /// `{name}` = the new agent's name.
    pub(crate) agent_added: &'static str,
    pub(crate) agent_exists: &'static str,
    pub(crate) wrong_password: &'static str,
    pub(crate) session_ended: &'static str,
    pub(crate) too_many_attempts: &'static str,
    pub(crate) cannot_reach: &'static str,
    pub(crate) reconnecting: &'static str,
    pub(crate) dismiss: &'static str,
    pub(crate) err_forbidden: &'static str,
    pub(crate) err_not_found: &'static str,
    pub(crate) err_unknown_agent: &'static str,
    pub(crate) err_conversation_closed: &'static str,
    pub(crate) err_empty_text: &'static str,
    pub(crate) err_text_too_long: &'static str,
    pub(crate) err_rate_limited: &'static str,
    pub(crate) err_agent_unavailable: &'static str,
    pub(crate) err_unavailable: &'static str,
    pub(crate) err_other: &'static str,
}

/// English.
pub(crate) const EN: Catalog = Catalog {
    lang: "en",
    dir: "ltr",
    app_title: "Switchboard console",
    title_with_count: "({n}) Switchboard console",
    sign_in_heading: "Sign in to Switchboard",
    email: "Email",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    sign_out: "Sign out",
    status: "Status",
    online: "Online",
    away: "Away",
    offline: "Offline",
    conversations: "Conversations",
    no_conversations: "No conversations yet.",
    visitor_named: "Visitor {id}",
    status_waiting: "waiting",
    status_assigned: "assigned",
    status_closed: "closed",
    unread: "{n} unread",
    no_messages: "No messages yet",
    pick_conversation: "Pick a conversation from the list.",
    transcript: "Transcript",
    back: "Back to conversations",
    reply: "Reply",
    send: "Send",
    sending: "Sending…",
    not_sent: "Not sent: {reason}",
    visitor_typing: "Visitor is typing…",
    you: "You",
    visitor: "Visitor",
    system: "System",
    agent: "Agent",
    transfer: "Transfer",
    transfer_to: "Transfer to",
    choose_agent: "Choose an agent",
    agent_away: "{name} (away)",
    agent_offline: "{name} (offline)",
    close_conversation: "Close conversation",
    conversation_closed: "This conversation is closed.",
    waiting_note: "Waiting for an agent. It is assigned by the queue.",
    add_agent: "Add agent",
    name: "Name",
    capacity: "Capacity",
    administrator: "Administrator",
    agent_added: "Added {name}",
    agent_exists: "An agent with that email exists",
    wrong_password: "Wrong email or password",
    session_ended: "Your session has ended. Please sign in again.",
    too_many_attempts: "Too many failed sign-ins. Wait a moment, then try again.",
    cannot_reach: "Cannot reach the relay. Check the connection and try again.",
    reconnecting: "Connection lost. Reconnecting…",
    dismiss: "Dismiss",
    err_forbidden: "You are not allowed to do that",
    err_not_found: "That conversation is not assigned to you",
    err_unknown_agent: "No such agent",
    err_conversation_closed: "The conversation is closed",
    err_empty_text: "The message is empty",
    err_text_too_long: "The message is too long",
    err_rate_limited: "Too fast; trying again shortly",
    err_agent_unavailable: "That agent is not available",
    err_unavailable: "The relay's storage is unavailable; try again",
    err_other: "Something went wrong",
};

/// The catalog for a language tag, falling back to English.
pub(crate) fn for_lang(tag: &str) -> &'static Catalog {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    ALL.iter()
        .find(|c| c.lang.eq_ignore_ascii_case(primary))
        .copied()
        .unwrap_or(&EN)
}

/// Every catalog; a new language is one more entry.
const ALL: &[&Catalog] = &[&EN];

/// The catalog for the browser's language (English while it is the only one).
pub(crate) fn catalog() -> &'static Catalog {
    thread_local! {
        static CURRENT: &'static Catalog = for_lang(&browser_lang());
    }
    CURRENT.with(|c| *c)
}

fn browser_lang() -> String {
    #[cfg(target_arch = "wasm32")]
    if let Some(lang) = web_sys::window().and_then(|w| w.navigator().language()) {
        return lang;
    }
    "en".to_owned()
}

/// Replaces each `{key}` in `template` with its value.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

impl Catalog {
    /// A human sentence for an error code.
    pub(crate) fn error(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::AuthFailed => self.wrong_password,
            ErrorCode::AlreadyExists => self.agent_exists,
            ErrorCode::Forbidden => self.err_forbidden,
            ErrorCode::NotFound => self.err_not_found,
            ErrorCode::UnknownAgent => self.err_unknown_agent,
            ErrorCode::ConversationClosed => self.err_conversation_closed,
            ErrorCode::EmptyText => self.err_empty_text,
            ErrorCode::TextTooLong => self.err_text_too_long,
            ErrorCode::RateLimited => self.err_rate_limited,
            ErrorCode::AgentUnavailable => self.err_agent_unavailable,
            ErrorCode::Unavailable => self.err_unavailable,
            _ => self.err_other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders() {
        assert_eq!(
            fill(EN.title_with_count, &[("n", "2")]),
            "(2) Switchboard console"
        );
        assert_eq!(fill("{a}{b}{a}", &[("a", "x"), ("b", "y")]), "xyx");
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        assert_eq!(for_lang("fr-CA").lang, "en");
        assert_eq!(EN.error(ErrorCode::AuthFailed), "Wrong email or password");
        assert_eq!(
            EN.error(ErrorCode::AlreadyExists),
            "An agent with that email exists"
        );
    }
}
