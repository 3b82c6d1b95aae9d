//! The satisfaction survey's rules, apart from the screen: it asks about
//! the newest conversation once that one is closed and not rated yet (the
//! relay's summary says `csat` once it is, so a reload never asks again),
//! thanks after the relay stored the rating, and turns a refusal into
//! what the form says. Pure: tested natively below.

use shared::csat::Csat;
use shared::{ConversationId, ConversationStatus, ConversationSummary, ErrorCode};

/// What the survey area shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The form, about this conversation.
    Ask(ConversationId),
    /// The thank-you, after the rating was stored.
    Thanks,
}

/// The survey for the newest conversation, if any: asked while it is
/// closed and unrated, thanked for when this page rated it (or learnt
/// it was rated already).
pub(crate) fn stage(
    latest: Option<&ConversationSummary>,
    thanked: Option<&ConversationId>,
) -> Option<Stage> {
    let latest = latest.filter(|s| s.status == ConversationStatus::Closed)?;
    if thanked == Some(&latest.id) {
        Some(Stage::Thanks)
    } else {
        latest.csat.is_none().then(|| Stage::Ask(latest.id.clone()))
    }
}

/// Why the form did not go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Submitted without a rating.
    NoRating,
    /// The relay refused it or is out of reach: try again.
    NotSent,
}

/// The frame's rating and comment, checked by the relay's own rule.
pub(crate) fn answer(rating: Option<u8>, comment: &str) -> Result<(u32, Option<String>), Problem> {
    let rating = u32::from(rating.ok_or(Problem::NoRating)?);
    let csat = Csat::new(rating, Some(comment), 0).map_err(|_| Problem::NotSent)?;
    Ok((rating, csat.comment))
}

/// What a refusal of the rating means: `None` when it was rated already
/// (another tab, or an answer lost to a reconnect): thanks are due.
pub(crate) fn refusal(code: ErrorCode) -> Option<Problem> {
    match code {
        ErrorCode::AlreadyRated => None,
        _ => Some(Problem::NotSent),
    }
}

/// Whether a refusal about no message may be the rating's answer.
pub(crate) fn about_rating(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::InvalidRating
            | ErrorCode::CommentTooLong
            | ErrorCode::NotClosed
            | ErrorCode::AlreadyRated
            | ErrorCode::NotFound
            | ErrorCode::RateLimited
            | ErrorCode::Unavailable
            | ErrorCode::Internal
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, status: ConversationStatus, rating: Option<u8>) -> ConversationSummary {
        ConversationSummary {
            id: id.into(),
            site: "demo".into(),
            visitor: "v".into(),
            status,
            agent: None,
            agent_name: None,
            last_seq: 1,
            created_at_ms: 1,
            case_code: None,
            route: Default::default(),
            csat: rating.map(|rating| Csat {
                rating,
                comment: None,
                at_ms: 2,
            }),
        }
    }

    #[test]
    fn asks_about_the_newest_conversation_once_it_closed_unrated() {
        let open = summary("c1", ConversationStatus::Assigned, None);
        assert_eq!(stage(Some(&open), None), None);
        assert_eq!(stage(None, None), None);
        let closed = summary("c1", ConversationStatus::Closed, None);
        assert_eq!(stage(Some(&closed), None), Some(Stage::Ask("c1".into())));
    }

    #[test]
    fn a_rated_conversation_is_never_asked_about_again() {
        let rated = summary("c1", ConversationStatus::Closed, Some(4));
        // After a reload (nothing thanked on this page): nothing at all.
        assert_eq!(stage(Some(&rated), None), None);
        // Just rated here: the thank-you.
        let c1 = ConversationId::from("c1");
        assert_eq!(stage(Some(&rated), Some(&c1)), Some(Stage::Thanks));
        let other = ConversationId::from("c0");
        assert_eq!(stage(Some(&rated), Some(&other)), None);
    }

    #[test]
    fn the_answer_needs_a_rating_and_keeps_a_comment() {
        assert_eq!(answer(None, "hi"), Err(Problem::NoRating));
        assert_eq!(answer(Some(5), "  "), Ok((5, None)));
        assert_eq!(answer(Some(2), " slow "), Ok((2, Some("slow".into()))));
        let long = "x".repeat(shared::limits::MAX_CSAT_COMMENT_CHARS + 1);
        assert_eq!(answer(Some(3), &long), Err(Problem::NotSent));
    }

    #[test]
    fn already_rated_is_thanked_other_refusals_ask_again() {
        assert_eq!(refusal(ErrorCode::AlreadyRated), None);
        assert_eq!(refusal(ErrorCode::NotClosed), Some(Problem::NotSent));
        assert_eq!(refusal(ErrorCode::Unavailable), Some(Problem::NotSent));
        assert!(about_rating(ErrorCode::InvalidRating));
        assert!(!about_rating(ErrorCode::InvalidDetails));
    }
}
