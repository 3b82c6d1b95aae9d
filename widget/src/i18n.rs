//! The string catalog: every word the widget shows or announces, including
//! accessible names, in each language it speaks (`en`, `he`, `fa`, one
//! file each under `i18n/`).
//!
//! Tests and screen readers rely on the English accessible names ("Chat",
//! "Messages", "Message", "Send", "Close chat", and for self-service
//! "Search help articles", "Back to chat", "This answered my question",
//! "I still need help"), so they are part of the product's contract. A
//! language is picked from its primary subtag (`he-IL` → Hebrew, `fa-IR`
//! → Persian); an unknown one falls back to English. Text direction is
//! decided separately from the catalog ([`shared::lang::direction`], the
//! relay's pages use it too), so a right-to-left language lays out
//! correctly even before it has strings.
//! Templates carry one `{}` placeholder, filled by [`fill`]; the few with
//! two (`ack_queue_wait`, `offline_reply_after`) are filled in order by
//! [`fill2`], so a translation must keep the values in the same order.

mod en;
mod fa;
mod he;

/// All strings of one language.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// BCP 47 code of this catalog's language.
    pub(crate) code: &'static str,
    /// Accessible name of the panel (the dialog).
    pub(crate) dialog: &'static str,
    /// Heading shown at the top of the panel.
    pub(crate) title: &'static str,
    /// Accessible name of the close button.
    pub(crate) close: &'static str,
    /// Accessible name of the message list.
    pub(crate) messages: &'static str,
    /// Accessible name of the composer textbox.
    pub(crate) message: &'static str,
    /// The send button.
    pub(crate) send: &'static str,
    /// Composer placeholder.
    pub(crate) placeholder: &'static str,
    /// Shown when there are no messages yet.
    pub(crate) empty: &'static str,
    /// `{}` = the agent's name.
    pub(crate) agent_here: &'static str,
    /// `{}` = the position in the queue (1 = next).
    pub(crate) queue_position: &'static str,
    /// Waiting without a known position.
    pub(crate) waiting: &'static str,
    /// `{}` = the agent's name.
    pub(crate) typing: &'static str,
    /// An agent whose name is not known is typing.
    pub(crate) typing_someone: &'static str,
    pub(crate) connecting: &'static str,
    pub(crate) reconnecting: &'static str,
    /// Marks a message that is not stored yet.
    pub(crate) sending: &'static str,
    /// Author label of the visitor's own messages.
    pub(crate) you: &'static str,
    /// Author label of an agent without a name.
    pub(crate) agent: &'static str,
    /// Shown after a conversation that was closed.
    pub(crate) ended: &'static str,
    /// Heading of the pre-chat form.
    pub(crate) prechat_title: &'static str,
    /// Label of the optional name field.
    pub(crate) prechat_name: &'static str,
    pub(crate) prechat_email: &'static str,
    pub(crate) prechat_phone: &'static str,
    /// Says that one of email and phone is enough.
    pub(crate) prechat_hint: &'static str,
    /// The form's submit button.
    pub(crate) prechat_submit: &'static str,
    pub(crate) problem_name_too_long: &'static str,
    pub(crate) problem_bad_email: &'static str,
    pub(crate) problem_bad_phone: &'static str,
    pub(crate) problem_no_contact_way: &'static str,
    /// `{}` = the case code.
    pub(crate) ack_thanks: &'static str,
    /// `{}` = the position in the queue.
    pub(crate) ack_queue: &'static str,
    /// `{}` = the position in the queue, then `{}` = minutes of waiting.
    pub(crate) ack_queue_wait: &'static str,
    /// The conversation started outside the site's hours.
    pub(crate) ack_away: &'static str,
    /// `{}` = when the team is back (weekday and time, in the visitor's locale).
    pub(crate) ack_back: &'static str,
    /// The conversation started on a holiday; `{}` = the holiday's name.
    pub(crate) ack_holiday: &'static str,
    /// Label of the topic choice before a chat (or in the offline form).
    pub(crate) topic_label: &'static str,
    /// The topic choice's "nothing picked" option.
    pub(crate) topic_none: &'static str,
    /// Heading of the offline-message form.
    pub(crate) offline_title: &'static str,
    /// Why the form shows, outside the site's hours; `{}` = when it opens.
    pub(crate) offline_back_at: &'static str,
    /// Why the form shows, inside the hours with no agent free.
    pub(crate) offline_nobody: &'static str,
    /// Under the reason: what happens to a message left here.
    pub(crate) offline_hint: &'static str,
    /// The offline form's submit button.
    pub(crate) offline_submit: &'static str,
    /// Header status of an offline message nobody has taken yet.
    pub(crate) offline_status: &'static str,
    /// `{}` = the email, then `{}` = when the site opens.
    pub(crate) offline_reply_after: &'static str,
    /// `{}` = the email; no opening time is known.
    pub(crate) offline_reply_soon: &'static str,
    /// The offline form's email field was left blank.
    pub(crate) problem_no_email: &'static str,
    pub(crate) problem_no_text: &'static str,
    pub(crate) problem_text_too_long: &'static str,
    /// The relay refused the details without saying which.
    pub(crate) problem_details_refused: &'static str,
    pub(crate) problem_too_often: &'static str,
    /// Any other refusal, or an outage: try again.
    pub(crate) problem_not_sent: &'static str,
    /// `{}` = the case code; shown when the acknowledgement itself is gone.
    pub(crate) reference: &'static str,
    /// Accessible name of the help articles region.
    pub(crate) kb_region: &'static str,
    /// Heading over the suggested (or found) articles.
    pub(crate) kb_suggested: &'static str,
    /// Accessible name and placeholder of the article search box.
    pub(crate) kb_search: &'static str,
    pub(crate) kb_found_none: &'static str,
    pub(crate) kb_found_one: &'static str,
    /// `{}` = how many articles are listed (2 or more).
    pub(crate) kb_found_many: &'static str,
    /// Leaves the article for the chat.
    pub(crate) kb_back: &'static str,
    /// Accessible name of the two feedback buttons' group.
    pub(crate) kb_did_it_help: &'static str,
    pub(crate) kb_answered: &'static str,
    pub(crate) kb_need_help: &'static str,
    /// Said after "This answered my question".
    pub(crate) kb_thanks: &'static str,
    /// The article asked for is gone (unpublished or deleted).
    pub(crate) kb_missing: &'static str,
    /// Heading of the satisfaction survey after a chat closed.
    pub(crate) csat_title: &'static str,
    /// Accessible name (legend) of the five ratings.
    pub(crate) csat_legend: &'static str,
    /// The ratings, worst to best, each with its number.
    pub(crate) csat_1: &'static str,
    pub(crate) csat_2: &'static str,
    pub(crate) csat_3: &'static str,
    pub(crate) csat_4: &'static str,
    pub(crate) csat_5: &'static str,
    /// Label of the optional comment.
    pub(crate) csat_comment: &'static str,
    pub(crate) csat_submit: &'static str,
    /// Shown once the rating is stored.
    pub(crate) csat_thanks: &'static str,
    /// Submitted without picking a rating.
    pub(crate) csat_pick: &'static str,
    /// Refused or not sent: try again.
    pub(crate) csat_failed: &'static str,
}

/// The primary language subtag, lowercase (`he-IL` → `he`).
fn primary(lang: &str) -> String {
    lang.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The catalog for a language tag; English when there is none for it.
pub(crate) fn catalog(lang: &str) -> &'static Catalog {
    match primary(lang).as_str() {
        "he" | "iw" => &he::HE,
        // Dari (`prs`) is written the same way; Persian reads better to
        // its speakers than the English fallback.
        "fa" | "prs" => &fa::FA,
        _ => &en::EN,
    }
}

/// Puts `value` where the template's `{}` is.
pub(crate) fn fill(template: &str, value: impl std::fmt::Display) -> String {
    template.replacen("{}", &value.to_string(), 1)
}

/// Puts `first` and `second` where the template's two `{}` are, in order.
pub(crate) fn fill2(
    template: &str,
    first: impl std::fmt::Display,
    second: impl std::fmt::Display,
) -> String {
    match template.split_once("{}") {
        Some((head, rest)) => format!("{head}{first}{}", fill(rest, second)),
        None => template.to_owned(),
    }
}

#[cfg(test)]
mod tests;
