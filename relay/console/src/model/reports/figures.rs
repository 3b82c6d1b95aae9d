//! How a report's numbers read: durations in the largest sensible units,
//! the change against the previous period as a direction and a percentage
//! (so the card can say "up" or "down" in words and with an arrow, never
//! by colour alone), and percentages and scores with one decimal.

use shared::reports::Figure;

use crate::i18n::{fill, ReportWords};

/// Which way a figure moved against the previous period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Change {
    /// Grew by this many percent.
    Up(f64),
    /// Fell by this many percent.
    Down(f64),
    Same,
    /// Nothing in the previous period to compare with.
    New,
    /// Nothing in either period.
    Nothing,
}

impl Change {
    /// How a figure moved, from the relay's `change_percent`.
    pub(crate) fn of(figure: &Figure) -> Self {
        match figure.change_percent {
            Some(p) if p.abs() < 0.05 => Self::Same,
            Some(p) if p > 0.0 => Self::Up(p),
            Some(p) => Self::Down(-p),
            None if figure.value.is_some_and(|v| v != 0.0) => Self::New,
            None => Self::Nothing,
        }
    }

    /// The arrow drawn beside the words (hidden from screen readers: the
    /// words say it).
    pub(crate) fn arrow(self) -> &'static str {
        match self {
            Self::Up(_) => "▲",
            Self::Down(_) => "▼",
            Self::Same | Self::New | Self::Nothing => "–",
        }
    }

    /// A class for the card: `up`, `down` or `flat`.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Self::Up(_) => "up",
            Self::Down(_) => "down",
            Self::Same | Self::New | Self::Nothing => "flat",
        }
    }

    /// "Up 12.5% on the previous period", in the catalog's words.
    pub(crate) fn words(self, w: &ReportWords) -> String {
        match self {
            Self::Up(p) => fill(w.change_up, &[("percent", &one_decimal(p))]),
            Self::Down(p) => fill(w.change_down, &[("percent", &one_decimal(p))]),
            Self::Same => w.change_same.to_owned(),
            Self::New => w.change_new.to_owned(),
            Self::Nothing => w.change_nothing.to_owned(),
        }
    }

    /// The short form for a table cell: `+12.5%`, `-50%`, `0%`, or the
    /// words when there is nothing to compare with.
    pub(crate) fn signed(self, w: &ReportWords) -> String {
        match self {
            Self::Up(p) => format!("+{}%", one_decimal(p)),
            Self::Down(p) => format!("-{}%", one_decimal(p)),
            Self::Same => "0%".to_owned(),
            Self::New => w.change_new.to_owned(),
            Self::Nothing => w.none.to_owned(),
        }
    }
}

/// A duration in milliseconds as "45 s", "3 min 20 s", "2 h 5 min" or
/// "3 d 4 h": two units at most, the second dropped when zero.
pub(crate) fn duration(ms: u64, w: &ReportWords) -> String {
    let secs = (ms + 500) / 1000;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let unit = |n: u64, template: &str| fill(template, &[("n", &n.to_string())]);
    let pair = |big: String, n: u64, small: &str| {
        if n == 0 {
            big
        } else {
            format!("{big} {}", unit(n, small))
        }
    };
    if d > 0 {
        pair(unit(d, w.days), h, w.hours)
    } else if h > 0 {
        pair(unit(h, w.hours), m, w.minutes)
    } else if m > 0 {
        pair(unit(m, w.minutes), s, w.seconds)
    } else {
        unit(s, w.seconds)
    }
}

/// A duration figure (milliseconds, as the relay sends them) that may be
/// missing: nothing was answered or resolved.
pub(crate) fn maybe_duration(ms: Option<f64>, w: &ReportWords) -> String {
    match ms {
        // Durations are whole, non-negative milliseconds.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(ms) if ms.is_finite() && ms >= 0.0 => duration(ms.round() as u64, w),
        _ => w.none.to_owned(),
    }
}

/// A CSAT score (percent of ratings that are 4 or 5) that may be missing.
pub(crate) fn maybe_score(score: Option<f64>, w: &ReportWords) -> String {
    score.map_or_else(|| w.none.to_owned(), |s| format!("{}%", one_decimal(s)))
}

/// A count figure's value (counts are never missing; 0 if they are).
pub(crate) fn count(value: Option<f64>) -> String {
    one_decimal(value.unwrap_or(0.0))
}

/// One decimal, without a trailing `.0`: `12.5`, `3`.
pub(crate) fn one_decimal(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn durations_use_two_units_at_most() {
        let w = &EN.reports;
        assert_eq!(duration(0, w), "0 s");
        assert_eq!(duration(45_000, w), "45 s");
        assert_eq!(duration(44_600, w), "45 s");
        assert_eq!(duration(200_000, w), "3 min 20 s");
        assert_eq!(duration(180_000, w), "3 min");
        assert_eq!(duration(7_500_000, w), "2 h 5 min");
        assert_eq!(duration(273_600_000, w), "3 d 4 h");
        assert_eq!(maybe_duration(None, w), "—");
        assert_eq!(maybe_duration(Some(60_000.0), w), "1 min");
        assert_eq!(maybe_score(Some(87.5), w), "87.5%");
        assert_eq!(count(Some(3.0)), "3");
    }

    #[test]
    fn changes_say_which_way_in_words() {
        let w = &EN.reports;
        assert_eq!(Change::of(&Figure::count(12, 10)), Change::Up(20.0));
        assert_eq!(Change::of(&Figure::count(5, 10)), Change::Down(50.0));
        assert_eq!(Change::of(&Figure::count(10, 10)), Change::Same);
        assert_eq!(Change::of(&Figure::count(3, 0)), Change::New);
        assert_eq!(Change::of(&Figure::count(0, 0)), Change::Nothing);
        assert_eq!(Change::of(&Figure::new(None, Some(4.0))), Change::Nothing);
        assert_eq!(Change::Up(12.5).words(w), "Up 12.5% on the previous period");
        assert_eq!(
            Change::Down(50.0).words(w),
            "Down 50% on the previous period"
        );
        assert_eq!(Change::Down(50.0).signed(w), "-50%");
        assert_eq!(Change::Up(12.46).signed(w), "+12.5%");
        assert_eq!(Change::Up(1.0).arrow(), "▲");
        assert_eq!(Change::Down(1.0).class(), "down");
    }

    #[test]
    fn numbers_have_at_most_one_decimal() {
        assert_eq!(one_decimal(12.46), "12.5");
        assert_eq!(one_decimal(3.0), "3");
    }
}
