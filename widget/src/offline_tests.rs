//! Tests of the offline rules: which screen shows, the topic a start
//! carries, what the form checks and says, and which refusals it owns.

use shared::card::PrechatDetails;
use shared::routing::{Availability, TopicChoice};
use shared::ErrorCode;

use super::*;
use crate::i18n::catalog;

fn offer(offline_form: bool, opens_at_ms: Option<u64>, topics: &[&str]) -> Offer {
    Offer {
        topics: topics
            .iter()
            .map(|id| TopicChoice {
                id: (*id).into(),
                label: format!("About {id}"),
            })
            .collect(),
        availability: Availability {
            open: opens_at_ms.is_none(),
            agents_available: false,
            opens_at_ms,
            offline_form,
        },
    }
}

fn mon_9(_: u64) -> String {
    "Mon 09:00".into()
}

#[test]
fn the_offline_form_stands_in_only_without_an_open_conversation() {
    let closed = offer(true, Some(5), &[]);
    assert_eq!(screen(&closed, false), Screen::Offline);
    // A returning visitor's open case (an offline one too) keeps its
    // transcript and composer.
    assert_eq!(screen(&closed, true), Screen::Live);
    assert_eq!(screen(&offer(false, None, &[]), false), Screen::Live);
    // Before the welcome, or from a relay that says nothing: live.
    assert_eq!(screen(&Offer::default(), false), Screen::Live);
}

#[test]
fn topics_are_offered_before_a_live_start_only() {
    let live = offer(false, None, &["refunds", "pricing"]);
    assert!(offers_topics(&live, false));
    assert!(!offers_topics(&live, true));
    // The offline form carries its own choice.
    assert!(!offers_topics(&offer(true, None, &["refunds"]), false));
    assert!(!offers_topics(&offer(false, None, &[]), false));
}

#[test]
fn a_start_carries_the_picked_topic_if_it_is_still_offered() {
    let live = offer(false, None, &["refunds", "pricing"]);
    assert_eq!(chosen_topic(&live, "pricing").as_deref(), Some("pricing"));
    assert_eq!(chosen_topic(&live, ""), None);
    assert_eq!(chosen_topic(&live, "gone"), None);
    assert_eq!(chosen_topic(&Offer::default(), "pricing"), None);
}

#[test]
fn the_form_says_when_the_team_is_back_or_that_nobody_is_free() {
    let en = catalog("en");
    assert_eq!(
        reason(en, &offer(true, Some(5), &[]).availability, mon_9),
        "We're away right now—back at Mon 09:00."
    );
    assert_eq!(
        reason(en, &offer(true, None, &[]).availability, mon_9),
        "No one is available right now."
    );
    assert_eq!(
        reason(
            catalog("fa-IR"),
            &offer(true, Some(5), &[]).availability,
            |_| { "دوشنبه ۰۹:۰۰".into() }
        ),
        "در حال حاضر در دسترس نیستیم؛ از دوشنبه ۰۹:۰۰ دوباره در خدمت شما هستیم."
    );
}

#[test]
fn the_form_needs_an_email_and_a_message_and_trims_both() {
    let (details, text) = check(" Ada ", " ada@example.com ", "  Where is 1182?\n ").unwrap();
    assert_eq!(
        details,
        PrechatDetails {
            name: Some("Ada".into()),
            email: Some("ada@example.com".into()),
            phone: None,
        }
    );
    assert_eq!(text, "Where is 1182?");
    // The name may be left out.
    assert!(check("", "ada@example.com", "hi").is_ok());
    assert_eq!(check("Ada", " ", "hi"), Err(Problem::NoEmail));
    assert_eq!(check("Ada", "ada@", "hi"), Err(Problem::BadEmail));
    assert_eq!(
        check("Ada", "ada@example.com", " \n "),
        Err(Problem::NoText)
    );
    let long = "x".repeat(shared::limits::MAX_TEXT_CHARS + 1);
    assert_eq!(
        check("Ada", "ada@example.com", &long),
        Err(Problem::TextTooLong)
    );
    // Problems come in form order: the name before the email.
    let name = "x".repeat(PrechatDetails::MAX_NAME_CHARS + 1);
    assert_eq!(check(&name, "", ""), Err(Problem::NameTooLong));
}

#[test]
fn the_relays_refusals_of_a_message_left_show_on_the_form() {
    assert_eq!(
        Problem::from_code(ErrorCode::InvalidDetails),
        Some(Problem::DetailsRefused)
    );
    assert_eq!(
        Problem::from_code(ErrorCode::EmptyText),
        Some(Problem::NoText)
    );
    assert_eq!(
        Problem::from_code(ErrorCode::RateLimited),
        Some(Problem::TooOften)
    );
    assert_eq!(
        Problem::from_code(ErrorCode::Unavailable),
        Some(Problem::NotSent)
    );
    // Not about the form: the usual handling takes these.
    for code in [
        ErrorCode::InvalidToken,
        ErrorCode::IdentityConflict,
        ErrorCode::InvalidIdentity,
        ErrorCode::NotFound,
        ErrorCode::ConversationClosed,
    ] {
        assert_eq!(Problem::from_code(code), None, "{code}");
    }
}

#[test]
fn each_problem_is_said_where_it_belongs_in_every_language() {
    let all = [
        Problem::NameTooLong,
        Problem::NoEmail,
        Problem::BadEmail,
        Problem::NoText,
        Problem::TextTooLong,
        Problem::DetailsRefused,
        Problem::TooOften,
        Problem::NotSent,
    ];
    for problem in all {
        let field = problem.field();
        for f in [Field::Name, Field::Email, Field::Text] {
            let expected = (field == Some(f)).then(|| f.error_id());
            assert_eq!(described_by(f, Some(problem)), expected);
        }
        for lang in ["en", "he", "fa"] {
            assert!(!problem.explain(catalog(lang)).is_empty());
        }
    }
    assert_eq!(Problem::NoEmail.field(), Some(Field::Email));
    assert_eq!(Problem::TooOften.field(), None);
    assert_eq!(described_by(Field::Email, None), None);
    assert_eq!(
        Problem::NoEmail.explain(catalog("en")),
        "Please give your email address so we can answer."
    );
}

#[test]
fn text_typed_before_the_widget_knew_carries_into_the_form() {
    assert_eq!(
        carried_text(["where is 1182?", "  "], " also 1183 "),
        "where is 1182?\n\nalso 1183"
    );
    assert_eq!(carried_text([], ""), "");
}
