//! A store's roll-up cells added up into what one row of a report needs:
//! counts and duration histograms, read back by the field names `rollup`
//! gives them. One [`Sums`] serves the whole site, an agent, a channel or
//! the previous period alike.

use super::facts::Cell;
use super::histogram::Histogram;
use super::rollup::{self, split_field};

/// The duration histograms a report reads, one per `rollup` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durations {
    Wait,
    WaitBusiness,
    FirstResponse,
    FirstResponseBusiness,
    Resolution,
    ResolutionBusiness,
    Handling,
}

impl Durations {
    const ALL: [Durations; 7] = [
        Self::Wait,
        Self::WaitBusiness,
        Self::FirstResponse,
        Self::FirstResponseBusiness,
        Self::Resolution,
        Self::ResolutionBusiness,
        Self::Handling,
    ];

    fn prefix(self) -> &'static str {
        match self {
            Self::Wait => rollup::WAIT,
            Self::WaitBusiness => rollup::WAIT_BH,
            Self::FirstResponse => rollup::FIRST_RESPONSE,
            Self::FirstResponseBusiness => rollup::FIRST_RESPONSE_BH,
            Self::Resolution => rollup::RESOLUTION,
            Self::ResolutionBusiness => rollup::RESOLUTION_BH,
            Self::Handling => rollup::HANDLING,
        }
    }
}

/// Counts and histograms of some set of cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sums {
    pub(crate) opened: u64,
    pub(crate) assigned: u64,
    pub(crate) resolved: u64,
    pub(crate) transfers: u64,
    pub(crate) reopenings: u64,
    pub(crate) messages_in: u64,
    pub(crate) messages_out: u64,
    pub(crate) deflections: u64,
    /// Ratings of 1 to 5.
    pub(crate) ratings: [u64; 5],
    histograms: [Histogram; 7],
}

impl Sums {
    /// Adds one cell; a field this version does not know is skipped, so
    /// a report still reads roll-ups a newer version wrote.
    pub(crate) fn add(&mut self, cell: &Cell) {
        let count = match cell.field.as_str() {
            rollup::OPENED => &mut self.opened,
            rollup::ASSIGNED => &mut self.assigned,
            rollup::RESOLVED => &mut self.resolved,
            rollup::TRANSFER => &mut self.transfers,
            rollup::REOPEN => &mut self.reopenings,
            rollup::MSG_IN => &mut self.messages_in,
            rollup::MSG_OUT => &mut self.messages_out,
            rollup::DEFLECT => &mut self.deflections,
            field => return self.add_numbered(field, cell.value),
        };
        *count += cell.value;
    }

    fn add_numbered(&mut self, field: &str, value: u64) {
        let Some((prefix, number)) = split_field(field) else {
            return;
        };
        if prefix == rollup::CSAT {
            if let Some(slot) = (1..=5).position(|r| r == number) {
                self.ratings[slot] += value;
            }
            return;
        }
        if let Some(i) = Durations::ALL.iter().position(|d| d.prefix() == prefix) {
            self.histograms[i].add(number, value);
        }
    }

    pub(crate) fn histogram(&self, which: Durations) -> &Histogram {
        let i = Durations::ALL
            .iter()
            .position(|&d| d == which)
            .unwrap_or_default();
        &self.histograms[i]
    }

    pub(crate) fn rating_count(&self) -> u64 {
        self.ratings.iter().sum()
    }

    /// Percent of ratings that are 4 or 5; `None` without ratings.
    pub(crate) fn csat_score(&self) -> Option<f64> {
        let total = self.rating_count();
        // Counts stay far below 2^53, where f64 is exact.
        (total > 0).then(|| (self.ratings[3] + self.ratings[4]) as f64 * 100.0 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(field: &str, value: u64) -> Cell {
        Cell {
            hour_ms: 0,
            agent: String::new(),
            channel: "chat".into(),
            field: field.into(),
            value,
        }
    }

    #[test]
    fn cells_add_up_by_field() {
        let mut sums = Sums::default();
        for (field, value) in [
            ("opened", 3),
            ("opened", 2),
            ("csat.5", 3),
            ("csat.1", 1),
            ("csat.9", 7),
            ("frt.30", 2),
            ("frt_bh.40", 1),
            ("mystery", 9),
            ("mystery.3", 9),
        ] {
            sums.add(&cell(field, value));
        }
        assert_eq!(sums.opened, 5);
        assert_eq!(sums.ratings, [1, 0, 0, 0, 3]);
        assert_eq!(sums.csat_score(), Some(75.0));
        assert_eq!(sums.histogram(Durations::FirstResponse).total(), 2);
        assert_eq!(
            sums.histogram(Durations::FirstResponseBusiness)
                .percentile(50),
            Some(40)
        );
        assert_eq!(sums.histogram(Durations::Handling).total(), 0);
        assert_eq!(Sums::default().csat_score(), None);
    }
}
