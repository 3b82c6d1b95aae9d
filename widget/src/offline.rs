//! The rules of "nobody can answer now", apart from the screen: what the
//! welcome offers (topics, availability), whether the offline-message form
//! stands in for the live chat, the topic that goes with a start, what the
//! form's fields become and which problem each refusal is, and how the
//! form explains itself. Details are checked with `PrechatDetails::check`,
//! the relay's own rule. Pure: tested natively (`offline_tests`).

use shared::card::{DetailsProblem, PrechatDetails};
use shared::routing::{Availability, TopicChoice};
use shared::ErrorCode;

use crate::i18n::{fill, Catalog};

/// What the latest `welcome` says about starting: the topics to pick
/// from and whether anyone can answer. A relay that sends neither offers
/// no topics and no offline form, as before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Offer {
    pub(crate) topics: Vec<TopicChoice>,
    pub(crate) availability: Availability,
}

/// What stands at the bottom of the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Screen {
    /// The composer (or the pre-chat form): a live chat.
    Live,
    /// The offline-message form.
    Offline,
}

/// The offline form replaces the live chat when the relay offers it and
/// the visitor has no open conversation: an open one (an offline case
/// left earlier included) keeps its transcript and composer.
pub(crate) fn screen(offer: &Offer, has_open: bool) -> Screen {
    if offer.availability.offline_form && !has_open {
        Screen::Offline
    } else {
        Screen::Live
    }
}

/// Whether the live chat offers the topic choice: topics exist and no
/// conversation is open yet (the choice only matters for a start). The
/// offline form has its own.
pub(crate) fn offers_topics(offer: &Offer, has_open: bool) -> bool {
    !offer.topics.is_empty() && !has_open && screen(offer, has_open) == Screen::Live
}

/// The topic for a start: the one picked, if it is still offered.
pub(crate) fn chosen_topic(offer: &Offer, picked: &str) -> Option<String> {
    offer
        .topics
        .iter()
        .find(|t| !picked.is_empty() && t.id == picked)
        .map(|t| t.id.clone())
}

/// Why the form shows: back at a time (worded by `back_at`), or nobody free.
pub(crate) fn reason(
    strings: &Catalog,
    availability: &Availability,
    back_at: impl Fn(u64) -> String,
) -> String {
    match availability.opens_at_ms {
        Some(at) => fill(strings.offline_back_at, back_at(at)),
        None => strings.offline_nobody.to_owned(),
    }
}

/// The form's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Name,
    Email,
    Text,
}

impl Field {
    /// The id of the field's inline error, for `aria-describedby`.
    pub(crate) fn error_id(self) -> &'static str {
        match self {
            Self::Name => "sb-off-name-error",
            Self::Email => "sb-off-email-error",
            Self::Text => "sb-off-text-error",
        }
    }
}

/// Why a message was not left: found here before sending, or the
/// relay's refusal (an `error` frame's code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    NameTooLong,
    NoEmail,
    BadEmail,
    NoText,
    TextTooLong,
    /// `invalid_details`: the relay does not say which field.
    DetailsRefused,
    /// `rate_limited`.
    TooOften,
    /// Anything else the relay refused, or its outage.
    NotSent,
}

impl Problem {
    /// The problem an `error` frame means while a message is being left;
    /// `None` for codes about something else (identity, articles, a
    /// conversation), which the usual refusal handling takes.
    pub(crate) fn from_code(code: ErrorCode) -> Option<Self> {
        Some(match code {
            ErrorCode::InvalidDetails => Self::DetailsRefused,
            ErrorCode::EmptyText => Self::NoText,
            ErrorCode::TextTooLong => Self::TextTooLong,
            ErrorCode::RateLimited => Self::TooOften,
            ErrorCode::InvalidFrame
            | ErrorCode::UnknownType
            | ErrorCode::MalformedJson
            | ErrorCode::Unavailable
            | ErrorCode::Internal
            | ErrorCode::Forbidden => Self::NotSent,
            _ => return None,
        })
    }

    /// The field it is about; `None`: said above the fields.
    pub(crate) fn field(self) -> Option<Field> {
        match self {
            Self::NameTooLong => Some(Field::Name),
            Self::NoEmail | Self::BadEmail => Some(Field::Email),
            Self::NoText | Self::TextTooLong => Some(Field::Text),
            Self::DetailsRefused | Self::TooOften | Self::NotSent => None,
        }
    }

    /// The localized message.
    pub(crate) fn explain(self, strings: &Catalog) -> &'static str {
        match self {
            Self::NameTooLong => strings.problem_name_too_long,
            Self::NoEmail => strings.problem_no_email,
            Self::BadEmail => strings.problem_bad_email,
            Self::NoText => strings.problem_no_text,
            Self::TextTooLong => strings.problem_text_too_long,
            Self::DetailsRefused => strings.problem_details_refused,
            Self::TooOften => strings.problem_too_often,
            Self::NotSent => strings.problem_not_sent,
        }
    }
}

/// A field's `aria-describedby`: its inline message, when it has one.
pub(crate) fn described_by(field: Field, problem: Option<Problem>) -> Option<&'static str> {
    problem
        .and_then(Problem::field)
        .filter(|f| *f == field)
        .map(Field::error_id)
}

/// The typed form as what `offline_message` carries: trimmed details
/// (email required, name optional, no phone) and the message, or the
/// first problem in form order.
pub(crate) fn check(
    name: &str,
    email: &str,
    text: &str,
) -> Result<(PrechatDetails, String), Problem> {
    let details = crate::prechat::details(name, email, "");
    match details.check() {
        Err(DetailsProblem::NameTooLong) => return Err(Problem::NameTooLong),
        Err(DetailsProblem::BadEmail) => return Err(Problem::BadEmail),
        // Without a phone field, "no way to reach you" is a blank email.
        Err(DetailsProblem::NoContactWay | DetailsProblem::BadPhone) => {
            return Err(Problem::NoEmail)
        }
        Ok(()) => {}
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::NoText);
    }
    if text.chars().count() > shared::limits::MAX_TEXT_CHARS {
        return Err(Problem::TextTooLong);
    }
    Ok((details, text.to_owned()))
}

/// What the offline form starts with: the messages typed before the
/// widget knew nobody could answer (they waited in the outbox), then the
/// composer's unsent text, a blank line between each.
pub(crate) fn carried_text<'a>(
    waiting: impl IntoIterator<Item = &'a str>,
    draft: &'a str,
) -> String {
    let parts: Vec<&str> = waiting
        .into_iter()
        .chain([draft])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    parts.join("\n\n")
}

#[cfg(test)]
#[path = "offline_tests.rs"]
mod tests;
