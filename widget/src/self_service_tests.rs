//! Tests of the self-service rules: when articles are offered, what is
//! searched and when, headings, allowed addresses, the live count.

use shared::knowledge::MAX_QUERY_CHARS;
use shared::ConversationStatus;

use super::*;
use crate::i18n::catalog;

#[test]
fn articles_are_offered_before_a_chat_and_while_it_waits() {
    assert!(offers_help(None));
    assert!(offers_help(Some(ConversationStatus::Waiting)));
    assert!(!offers_help(Some(ConversationStatus::Assigned)));
    // `open()` never yields a closed conversation; a closed one is "none".
    assert!(!offers_help(Some(ConversationStatus::Closed)));
}

#[test]
fn the_search_box_wins_then_the_composer_then_the_last_message() {
    assert_eq!(source("refund", "where is my parcel", "hello"), "refund");
    assert_eq!(
        source("re", "where is my parcel", "hello"),
        "where is my parcel"
    );
    assert_eq!(source("", "  ", "my order is late"), "my order is late");
    assert_eq!(source("", "", ""), "");
}

#[test]
fn a_query_needs_three_characters_and_is_tidied() {
    assert_eq!(query_of(""), None);
    assert_eq!(query_of("  ab  "), None);
    assert_eq!(query_of("החז").as_deref(), Some("החז"));
    assert_eq!(
        query_of("  how   do\nI\tget a refund ").as_deref(),
        Some("how do I get a refund")
    );
    let long = "word ".repeat(100);
    let capped = query_of(&long).unwrap_or_default();
    assert!(capped.chars().count() <= MAX_QUERY_CHARS);
    assert!(!capped.ends_with(' '));
}

#[test]
fn a_search_goes_out_only_when_the_query_changed() {
    let mut lookup = Lookup::default();
    assert_eq!(lookup.next("re"), Step::Nothing);
    assert_eq!(lookup.next("ref"), Step::Search("ref".into()));
    assert_eq!(lookup.next("ref "), Step::Nothing, "same words");
    assert_eq!(lookup.next("refund"), Step::Search("refund".into()));
    assert!(lookup.is_latest("refund"));
    assert!(!lookup.is_latest("ref"), "an older answer is stale");
    assert_eq!(lookup.next("r"), Step::Clear);
    assert!(
        !lookup.is_latest("refund"),
        "nothing is latest once cleared"
    );
    assert_eq!(lookup.next(""), Step::Nothing);
}

#[test]
fn a_lost_search_goes_out_again() {
    let mut lookup = Lookup::default();
    assert_eq!(lookup.next("refund"), Step::Search("refund".into()));
    lookup.forget();
    assert_eq!(lookup.next("refund"), Step::Search("refund".into()));
}

#[test]
fn article_headings_sit_under_the_widgets_own() {
    assert_eq!(heading_level(0), 2);
    assert_eq!(heading_level(1), 2);
    assert_eq!(heading_level(2), 3);
    assert_eq!(heading_level(3), 4);
    assert_eq!(heading_level(6), 4);
    assert_eq!(heading_level(u8::MAX), 4);
}

#[test]
fn only_web_and_mail_addresses_pass() {
    for ok in [
        "https://example.com/a",
        "HTTP://example.com",
        "mailto:help@example.com",
    ] {
        assert!(link_allowed(ok), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example",
        "x",
        "",
        "é",
    ] {
        assert!(!link_allowed(bad), "{bad}");
        assert!(!image_allowed(bad), "{bad}");
    }
    assert!(image_allowed("https://example.com/a.png"));
    assert!(!image_allowed("mailto:a@example.com"));
}

#[test]
fn the_live_region_counts_what_is_listed() {
    let en = catalog("en");
    assert_eq!(found(en, None, true), "");
    assert_eq!(
        found(en, Some(0), false),
        "",
        "the composer searches quietly"
    );
    assert_eq!(found(en, Some(0), true), "No articles found");
    assert_eq!(found(en, Some(1), false), "1 article found");
    assert_eq!(found(en, Some(3), true), "3 articles found");
    let he = catalog("he");
    assert_eq!(found(he, Some(2), false), "נמצאו 2 מאמרים");
}
