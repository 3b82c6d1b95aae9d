//! Tests of the catalogs: the English contract, language lookup, and
//! that every catalog is complete, keeps its placeholders, and is written
//! in its own script.

use super::*;

/// Every string of a catalog, by field name. The pattern names every
/// field, so a string added to [`Catalog`] and not here fails to compile.
fn strings(c: &Catalog) -> Vec<(&'static str, &'static str)> {
    macro_rules! all {
        ($($field:ident),* $(,)?) => {{
            let Catalog { code: _, $($field),* } = c;
            vec![$((stringify!($field), *$field)),*]
        }};
    }
    all!(
        dialog,
        title,
        close,
        messages,
        message,
        send,
        placeholder,
        empty,
        agent_here,
        queue_position,
        waiting,
        typing,
        typing_someone,
        connecting,
        reconnecting,
        sending,
        you,
        agent,
        ended,
        prechat_title,
        prechat_name,
        prechat_email,
        prechat_phone,
        prechat_hint,
        prechat_submit,
        problem_name_too_long,
        problem_bad_email,
        problem_bad_phone,
        problem_no_contact_way,
        ack_thanks,
        ack_queue,
        ack_queue_wait,
        ack_away,
        ack_back,
        ack_holiday,
        topic_label,
        topic_none,
        offline_title,
        offline_back_at,
        offline_nobody,
        offline_hint,
        offline_submit,
        offline_status,
        offline_reply_after,
        offline_reply_soon,
        problem_no_email,
        problem_no_text,
        problem_text_too_long,
        problem_details_refused,
        problem_too_often,
        problem_not_sent,
        reference,
        kb_region,
        kb_suggested,
        kb_search,
        kb_found_none,
        kb_found_one,
        kb_found_many,
        kb_back,
        kb_did_it_help,
        kb_answered,
        kb_need_help,
        kb_thanks,
        kb_missing,
        csat_title,
        csat_legend,
        csat_1,
        csat_2,
        csat_3,
        csat_4,
        csat_5,
        csat_comment,
        csat_submit,
        csat_thanks,
        csat_pick,
        csat_failed
    )
}

fn catalogs() -> [&'static Catalog; 3] {
    [&en::EN, &he::HE, &fa::FA]
}

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
    assert_eq!(en.csat_1, "1 – Very dissatisfied");
    assert_eq!(en.csat_5, "5 – Very satisfied");
}

#[test]
fn languages_resolve_by_primary_subtag() {
    assert_eq!(catalog("he").code, "he");
    assert_eq!(catalog("HE-il").code, "he");
    assert_eq!(catalog("fa").code, "fa");
    assert_eq!(catalog("fa-IR").code, "fa");
    assert_eq!(catalog("fa_AF").code, "fa");
    assert_eq!(catalog("en-GB").code, "en");
    assert_eq!(catalog("xx").code, "en");
    assert_eq!(catalog("").code, "en");
    for c in catalogs() {
        // Each catalog's language lays out as its script wants.
        let rtl = c.code != "en";
        assert_eq!(shared::lang::is_rtl(c.code), rtl, "{}", c.code);
    }
}

#[test]
fn every_catalog_has_every_string_with_the_english_placeholders() {
    let english = strings(&en::EN);
    for c in catalogs() {
        let own = strings(c);
        assert_eq!(own.len(), english.len());
        for ((name, text), (_, en_text)) in own.iter().zip(&english) {
            assert!(!text.trim().is_empty(), "{} {name} is empty", c.code);
            assert_eq!(
                text.matches("{}").count(),
                en_text.matches("{}").count(),
                "{} {name}: {text}",
                c.code
            );
            if c.code != "en" {
                assert_ne!(text, en_text, "{} {name} is not translated", c.code);
            }
        }
    }
}

#[test]
fn persian_is_written_in_persian_letters() {
    let arabic_script = |c: char| ('\u{0600}'..='\u{06FF}').contains(&c);
    let hebrew = |c: char| ('\u{0590}'..='\u{05FF}').contains(&c);
    for (name, text) in strings(&fa::FA) {
        assert!(text.chars().any(arabic_script), "fa {name}: {text}");
        assert!(!text.chars().any(hebrew), "fa {name}: {text}");
        // Arabic yeh and kaf look alike but break search and sorting.
        assert!(
            !text.contains(['\u{064A}', '\u{0643}']),
            "fa {name}: {text}"
        );
        // Latin letters would show a left-to-right island in the panel.
        assert!(
            !text.chars().any(|c| c.is_ascii_alphabetic()),
            "fa {name}: {text}"
        );
    }
    for (name, text) in strings(&he::HE) {
        assert!(text.chars().any(hebrew), "he {name}: {text}");
    }
}

#[test]
fn two_placeholders_fill_in_order() {
    let en = catalog("en");
    assert_eq!(
        fill2(en.ack_queue_wait, 3, 5),
        "You're number 3 in the queue; expected wait about 5 min."
    );
    assert_eq!(
        fill2(catalog("fa").offline_reply_after, "ada@example.com", "X"),
        "پاسخ را همین\u{200c}جا و به ایمیل ada@example.com می\u{200c}فرستیم؛ \
         پس از X منتظر پاسخ ما باشید."
    );
    // A value that itself contains `{}` is not filled again.
    assert_eq!(fill2("{} and {}", "{}", 2), "{} and 2");
}
