//! The satisfaction survey (CSAT): a 1–5 rating and an optional comment a
//! customer gives once per conversation (the widget, after a chat closes)
//! or per item (other channels, through the ingest API). The one rule of
//! what a rating may be lives here, so the widget, the socket and the API
//! refuse the same things.

use serde::{Deserialize, Serialize};

use crate::limits::MAX_CSAT_COMMENT_CHARS;
use crate::ErrorCode;

/// A rating as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Csat {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub rating: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When it was given (Unix ms).
    pub at_ms: u64,
}

/// Why a rating was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsatProblem {
    /// Not 1 to 5.
    RatingOutOfRange,
    /// Longer than [`MAX_CSAT_COMMENT_CHARS`] characters.
    CommentTooLong,
}

impl CsatProblem {
    /// The wire code of this refusal.
    pub fn code(self) -> ErrorCode {
        match self {
            Self::RatingOutOfRange => ErrorCode::InvalidRating,
            Self::CommentTooLong => ErrorCode::CommentTooLong,
        }
    }
}

impl Csat {
    /// The lowest and highest rating.
    pub const RANGE: std::ops::RangeInclusive<u8> = 1..=5;

    /// A checked rating: `rating` in [`Csat::RANGE`], the comment trimmed
    /// (blank: none) and at most [`MAX_CSAT_COMMENT_CHARS`] characters.
    pub fn new(rating: u32, comment: Option<&str>, at_ms: u64) -> Result<Self, CsatProblem> {
        let rating = u8::try_from(rating)
            .ok()
            .filter(|r| Self::RANGE.contains(r))
            .ok_or(CsatProblem::RatingOutOfRange)?;
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > MAX_CSAT_COMMENT_CHARS) {
            return Err(CsatProblem::CommentTooLong);
        }
        Ok(Self {
            rating,
            comment: comment.map(str::to_owned),
            at_ms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_one_to_five_with_a_bounded_comment() {
        assert_eq!(Csat::new(0, None, 1), Err(CsatProblem::RatingOutOfRange));
        assert_eq!(Csat::new(6, None, 1), Err(CsatProblem::RatingOutOfRange));
        assert_eq!(Csat::new(261, None, 1), Err(CsatProblem::RatingOutOfRange));
        let long = "ש".repeat(MAX_CSAT_COMMENT_CHARS + 1);
        assert_eq!(
            Csat::new(3, Some(&long), 1),
            Err(CsatProblem::CommentTooLong)
        );
        let ok = Csat::new(5, Some("  great  "), 7).unwrap();
        assert_eq!(
            (ok.rating, ok.comment.as_deref(), ok.at_ms),
            (5, Some("great"), 7)
        );
        assert_eq!(Csat::new(1, Some("   "), 1).unwrap().comment, None);
        assert!(Csat::new(4, Some(&"ש".repeat(MAX_CSAT_COMMENT_CHARS)), 1).is_ok());
    }
}
