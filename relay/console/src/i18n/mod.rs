//! Every string the console shows, in one catalog per language.
//!
//! Components never hold literal text: they ask [`catalog`] for the active
//! [`Catalog`] and read a field. Strings with values in them are templates
//! with named `{placeholders}` filled by [`fill`], so word order stays the
//! translator's choice; counts are worded by [`Plural`], and error codes by
//! `errors.rs`. Adding a language is adding one `Catalog` constant
//! (a file like `en.rs`) and an entry in `ALL`; nothing else changes. The accessible names
//! here ("Email", "Reply", "Conversations", ...) are the console's UI
//! contract: tests and screen-reader users rely on them.

mod en;
mod en_reports;
mod en_routing;
mod errors;
mod knowledge;
mod plural;
mod reports;
mod routing;
mod routing_text;

pub(crate) use en::EN;
pub(crate) use knowledge::KbWords;
pub(crate) use plural::Plural;
pub(crate) use reports::ReportWords;
pub(crate) use routing::RoutingWords;

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
    pub(crate) reopen_conversation: &'static str,
    pub(crate) conversation_closed: &'static str,
    /// The stars' accessible name; `{rating}` = 1 to 5.
    pub(crate) csat_rated: &'static str,
    /// Label before a conversation's satisfaction rating.
    pub(crate) csat_label: &'static str,
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
    pub(crate) err_visitor_busy: &'static str,
    pub(crate) err_empty_text: &'static str,
    pub(crate) err_text_too_long: &'static str,
    pub(crate) err_rate_limited: &'static str,
    pub(crate) err_agent_unavailable: &'static str,
    pub(crate) err_unavailable: &'static str,
    pub(crate) err_other: &'static str,
    pub(crate) case_code_label: &'static str,
    /// `{name}` = the agent handling it.
    pub(crate) read_only_note: &'static str,
    pub(crate) customer: &'static str,
    pub(crate) anonymous_visitor: &'static str,
    pub(crate) loading_customer: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) card_failed: &'static str,
    pub(crate) err_no_customer: &'static str,
    pub(crate) try_again: &'static str,
    pub(crate) identities: &'static str,
    pub(crate) verified: &'static str,
    pub(crate) unverified: &'static str,
    pub(crate) kind_visitor: &'static str,
    pub(crate) kind_email: &'static str,
    pub(crate) kind_phone: &'static str,
    pub(crate) kind_external: &'static str,
    pub(crate) kind_social: &'static str,
    pub(crate) attributes: &'static str,
    pub(crate) merge_proposals: &'static str,
    /// `{identity}` = the shared identity (kind and value).
    pub(crate) matched_on: &'static str,
    pub(crate) accept: &'static str,
    pub(crate) reject: &'static str,
    /// `{name}` = the other contact.
    pub(crate) accept_merge: &'static str,
    /// `{name}` = the other contact.
    pub(crate) reject_merge: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) merge_failed: &'static str,
    pub(crate) past_conversations: &'static str,
    pub(crate) no_past_conversations: &'static str,
    pub(crate) timeline: &'static str,
    pub(crate) channel: &'static str,
    pub(crate) all_channels: &'static str,
    pub(crate) ch_chat: &'static str,
    pub(crate) ch_email: &'static str,
    pub(crate) ch_phone: &'static str,
    pub(crate) ch_sms: &'static str,
    pub(crate) ch_social: &'static str,
    pub(crate) ch_web_form: &'static str,
    pub(crate) ch_system: &'static str,
    pub(crate) incoming: &'static str,
    pub(crate) outgoing: &'static str,
    pub(crate) empty_timeline: &'static str,
    pub(crate) load_older: &'static str,
    pub(crate) open_conversation: &'static str,
    pub(crate) loading: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) older_failed: &'static str,
    pub(crate) search_contacts: &'static str,
    pub(crate) search_hint: &'static str,
    pub(crate) search: &'static str,
    pub(crate) clear_search: &'static str,
    pub(crate) search_results: &'static str,
    pub(crate) searching: &'static str,
    pub(crate) no_contacts_found: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) search_failed: &'static str,
    /// `{code}` = the case code searched for.
    pub(crate) found_by_case: &'static str,
    pub(crate) account: &'static str,
    pub(crate) close_account: &'static str,
    pub(crate) change_password: &'static str,
    pub(crate) current_password: &'static str,
    pub(crate) new_password: &'static str,
    pub(crate) repeat_password: &'static str,
    /// `{n}` = the shortest password the relay accepts.
    pub(crate) password_hint: &'static str,
    pub(crate) password_changed: &'static str,
    pub(crate) current_password_wrong: &'static str,
    /// `{n}` = the shortest password the relay accepts.
    pub(crate) password_too_short: &'static str,
    pub(crate) passwords_differ: &'static str,
    pub(crate) sign_out_everywhere: &'static str,
    pub(crate) sign_out_everywhere_hint: &'static str,
    pub(crate) confirm_sign_out_everywhere: &'static str,
    pub(crate) yes_sign_out_everywhere: &'static str,
    pub(crate) cancel: &'static str,
    pub(crate) signed_out_everywhere: &'static str,
    pub(crate) team: &'static str,
    /// `{name}` = the signed-in agent's own name.
    pub(crate) you_named: &'static str,
    pub(crate) status_disabled: &'static str,
    pub(crate) disable: &'static str,
    pub(crate) enable: &'static str,
    /// `{name}` = the agent's name.
    pub(crate) disable_agent: &'static str,
    /// `{name}` = the agent's name.
    pub(crate) enable_agent: &'static str,
    /// `{name}` = the agent's name.
    pub(crate) agent_disabled: &'static str,
    /// `{name}` = the agent's name.
    pub(crate) agent_enabled: &'static str,
    pub(crate) export_record: &'static str,
    pub(crate) erase_record: &'static str,
    /// `{file}` = the downloaded file's name.
    pub(crate) contact_exported: &'static str,
    /// `{reason}` = why the relay refused.
    pub(crate) export_failed: &'static str,
    /// `{name}` = the contact's name.
    pub(crate) confirm_erase: &'static str,
    /// For a contact without a name.
    pub(crate) confirm_erase_anonymous: &'static str,
    pub(crate) yes_erase: &'static str,
    /// Each placeholder is one count, worded by the `erased_*` fields.
    pub(crate) contact_erased: &'static str,
    pub(crate) erased_records: Plural,
    pub(crate) erased_messages: Plural,
    pub(crate) erased_conversations: Plural,
    pub(crate) erased_timeline_items: Plural,
    pub(crate) erased_visitors: Plural,
    /// `{reason}` = why the relay refused.
    pub(crate) erase_failed: &'static str,
    /// The knowledge base, canned replies and notes.
    pub(crate) kb: KbWords,
    /// Status, the queue explained, offline messages, the routing panel.
    pub(crate) routing: RoutingWords,
    /// The reports page and the live view.
    pub(crate) reports: ReportWords,
}

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

#[cfg(test)]
mod tests {
    use shared::ErrorCode;

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

    #[test]
    fn counts_take_the_form_their_number_needs() {
        assert_eq!(EN.erased_records.count(1), "1 record");
        assert_eq!(EN.erased_records.count(0), "0 records");
        assert_eq!(EN.erased_messages.count(5), "5 messages redacted");
        assert_eq!(
            EN.record_error(ErrorCode::NotFound),
            "No customer record found"
        );
    }
}
