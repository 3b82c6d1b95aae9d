//! The string catalog: every word the widget shows or announces, including
//! accessible names, in each language it speaks.
//!
//! Tests and screen readers rely on the English accessible names ("Chat",
//! "Messages", "Message", "Send", "Close chat", and for self-service
//! "Search help articles", "Back to chat", "This answered my question",
//! "I still need help"), so they are part of the product's contract. A language is picked from its primary subtag
//! (`he-IL` → Hebrew); an unknown one falls back to English. Text direction
//! is decided separately from the catalog ([`shared::lang::direction`], the
//! relay's pages use it too), so a right-to-left language lays out
//! correctly even before it has strings.
//! Templates carry one `{}` placeholder, filled by [`fill`]; the few with
//! two (`queue_wait`) are filled in order by [`fill2`], so a translation
//! must keep the values in the same order.

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
}

static EN: Catalog = Catalog {
    code: "en",
    dialog: "Chat",
    title: "Chat with us",
    close: "Close chat",
    messages: "Messages",
    message: "Message",
    send: "Send",
    placeholder: "Type your message…",
    empty: "Send us a message and we will answer here.",
    agent_here: "{} is here to help",
    queue_position: "You are number {} in line",
    waiting: "Waiting for an agent…",
    typing: "{} is typing…",
    typing_someone: "Someone is typing…",
    connecting: "Connecting…",
    reconnecting: "Reconnecting…",
    sending: "Sending…",
    you: "You",
    agent: "Agent",
    ended: "This chat has ended. Send a message to start a new one.",
    prechat_title: "Before we start, how can we reach you?",
    prechat_name: "Name (optional)",
    prechat_email: "Email",
    prechat_phone: "Phone",
    prechat_hint: "An email address or a phone number is enough.",
    prechat_submit: "Start chat",
    problem_name_too_long: "Please shorten your name to 100 characters.",
    problem_bad_email: "This email address does not look right.",
    problem_bad_phone: "This phone number does not look right.",
    problem_no_contact_way: "Please give an email address or a phone number.",
    ack_thanks: "Thanks — your reference is {}.",
    ack_queue: "You're number {} in the queue.",
    ack_queue_wait: "You're number {} in the queue; expected wait about {} min.",
    ack_away: "We're away right now.",
    ack_back: "We're back {}.",
    reference: "Reference: {}",
    kb_region: "Help articles",
    kb_suggested: "These may answer your question",
    kb_search: "Search help articles",
    kb_found_none: "No articles found",
    kb_found_one: "1 article found",
    kb_found_many: "{} articles found",
    kb_back: "Back to chat",
    kb_did_it_help: "Did this answer your question?",
    kb_answered: "This answered my question",
    kb_need_help: "I still need help",
    kb_thanks: "Thanks for letting us know!",
    kb_missing: "This article is no longer available.",
};

static HE: Catalog = Catalog {
    code: "he",
    dialog: "צ׳אט",
    title: "דברו איתנו",
    close: "סגירת הצ׳אט",
    messages: "הודעות",
    message: "הודעה",
    send: "שליחה",
    placeholder: "כתבו הודעה…",
    empty: "שלחו לנו הודעה ונענה כאן.",
    agent_here: "{} כאן כדי לעזור",
    queue_position: "אתם מספר {} בתור",
    waiting: "ממתינים לנציג…",
    typing: "{} מקליד/ה…",
    typing_someone: "מישהו מקליד…",
    connecting: "מתחברים…",
    reconnecting: "מתחברים מחדש…",
    sending: "נשלחת…",
    you: "אתם",
    agent: "נציג/ה",
    ended: "השיחה הסתיימה. שלחו הודעה כדי להתחיל שיחה חדשה.",
    prechat_title: "לפני שמתחילים, איך נוכל לחזור אליכם?",
    prechat_name: "שם (לא חובה)",
    prechat_email: "אימייל",
    prechat_phone: "טלפון",
    prechat_hint: "מספיק אימייל או מספר טלפון.",
    prechat_submit: "התחלת צ׳אט",
    problem_name_too_long: "נא לקצר את השם עד 100 תווים.",
    problem_bad_email: "כתובת האימייל לא נראית תקינה.",
    problem_bad_phone: "מספר הטלפון לא נראה תקין.",
    problem_no_contact_way: "נא למלא אימייל או מספר טלפון.",
    ack_thanks: "תודה — מספר הפנייה שלכם הוא {}.",
    ack_queue: "אתם מספר {} בתור.",
    ack_queue_wait: "אתם מספר {} בתור; זמן ההמתנה המשוער כ־{} דק׳.",
    ack_away: "אנחנו לא זמינים כרגע.",
    ack_back: "נחזור: {}.",
    reference: "מספר פנייה: {}",
    kb_region: "מאמרי עזרה",
    kb_suggested: "אולי אלה יענו על שאלתכם",
    kb_search: "חיפוש במאמרי העזרה",
    kb_found_none: "לא נמצאו מאמרים",
    kb_found_one: "נמצא מאמר אחד",
    kb_found_many: "נמצאו {} מאמרים",
    kb_back: "חזרה לצ׳אט",
    kb_did_it_help: "האם זה ענה על שאלתכם?",
    kb_answered: "זה ענה על השאלה שלי",
    kb_need_help: "אני עדיין צריך/ה עזרה",
    kb_thanks: "תודה על המשוב!",
    kb_missing: "המאמר הזה כבר לא זמין.",
};

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
        "he" | "iw" => &HE,
        _ => &EN,
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
mod tests {
    use super::*;

    #[test]
    fn english_names_are_the_contract() {
        let en = catalog("en");
        assert_eq!(en.dialog, "Chat");
        assert_eq!(en.messages, "Messages");
        assert_eq!(en.message, "Message");
        assert_eq!(en.send, "Send");
        assert_eq!(en.close, "Close chat");
        assert_eq!(fill(en.agent_here, "Dana"), "Dana is here to help");
        assert_eq!(fill(en.queue_position, 2), "You are number 2 in line");
        assert_eq!(fill(en.typing, "Dana"), "Dana is typing…");
        assert_eq!(en.kb_search, "Search help articles");
        assert_eq!(en.kb_back, "Back to chat");
        assert_eq!(en.kb_answered, "This answered my question");
        assert_eq!(en.kb_need_help, "I still need help");
    }

    #[test]
    fn languages_resolve_by_primary_subtag() {
        assert_eq!(catalog("he").code, "he");
        assert_eq!(catalog("HE-il").code, "he");
        assert_eq!(catalog("en-GB").code, "en");
        assert_eq!(catalog("xx").code, "en");
        assert_eq!(catalog("").code, "en");
    }

    #[test]
    fn every_template_has_its_placeholders() {
        for c in [&EN, &HE] {
            let one = [
                c.agent_here,
                c.queue_position,
                c.typing,
                c.ack_thanks,
                c.ack_queue,
                c.ack_back,
                c.reference,
                c.kb_found_many,
            ];
            for t in one {
                assert_eq!(t.matches("{}").count(), 1, "{} {t}", c.code);
            }
            assert_eq!(c.ack_queue_wait.matches("{}").count(), 2, "{}", c.code);
        }
    }

    #[test]
    fn two_placeholders_fill_in_order() {
        let en = catalog("en");
        assert_eq!(
            fill2(en.ack_queue_wait, 3, 5),
            "You're number 3 in the queue; expected wait about 5 min."
        );
        // A value that itself contains `{}` is not filled again.
        assert_eq!(fill2("{} and {}", "{}", 2), "{} and 2");
    }
}
