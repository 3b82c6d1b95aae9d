//! How a satisfaction rating reads in the console: five stars, the
//! filled ones for the rating, with an accessible name that says the
//! number (the stars themselves are hidden from screen readers).

use shared::csat::Csat;

use crate::i18n::{fill, Catalog};

/// What the console shows of a rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RatingView {
    /// `★★★★☆` for 4.
    pub(crate) stars: String,
    /// "Rated 4 of 5".
    pub(crate) said: String,
    pub(crate) comment: Option<String>,
}

/// The view of `csat` in the catalog's words.
pub(crate) fn rating_view(t: &Catalog, csat: &Csat) -> RatingView {
    let filled = usize::from(csat.rating.min(5));
    RatingView {
        stars: format!("{}{}", "★".repeat(filled), "☆".repeat(5 - filled)),
        said: fill(t.csat_rated, &[("rating", &csat.rating.to_string())]),
        comment: csat.comment.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn a_rating_reads_as_stars_and_words() {
        let csat = Csat {
            rating: 4,
            comment: Some("Quick".into()),
            at_ms: 1,
        };
        let view = rating_view(&EN, &csat);
        assert_eq!(view.stars, "★★★★☆");
        assert_eq!(view.said, "Rated 4 of 5");
        assert_eq!(view.comment.as_deref(), Some("Quick"));
        let low = rating_view(
            &EN,
            &Csat {
                rating: 1,
                comment: None,
                at_ms: 1,
            },
        );
        assert_eq!((low.stars.as_str(), low.comment), ("★☆☆☆☆", None));
    }
}
