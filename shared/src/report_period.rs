//! The days a report covers as an admin picks them in the console (today,
//! the last 7 or 30 days, or dates of their choosing) and as the relay
//! read them. Days are the site's: the relay turns them into instants in
//! the site's time zone, so "today" in Berlin starts at Berlin's midnight
//! whatever the admin's own clock says, and the answer names the local
//! dates it used so the console can show them.

use serde::{Deserialize, Serialize};

/// Which days, counted in the site's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportPeriod {
    Today,
    /// Today and the six days before it.
    #[serde(rename = "last_7_days")]
    Last7Days,
    /// Today and the 29 days before it.
    #[serde(rename = "last_30_days")]
    Last30Days,
    /// From `first_day` through `last_day` (`YYYY-MM-DD`, both included).
    Custom {
        first_day: String,
        last_day: String,
    },
}

impl ReportPeriod {
    /// How many days a preset covers; `None` for custom dates.
    pub fn preset_days(&self) -> Option<u32> {
        match self {
            Self::Today => Some(1),
            Self::Last7Days => Some(7),
            Self::Last30Days => Some(30),
            Self::Custom { .. } => None,
        }
    }
}

/// The local dates a report covered (`YYYY-MM-DD`, both included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDays {
    pub first_day: String,
    pub last_day: String,
}

/// Whether `text` is a `YYYY-MM-DD` date of the Gregorian calendar.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2026-11-30"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2026-02-29"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-1-01"));
        assert!(!is_date("yesterday"));
    }

    #[test]
    fn presets_know_their_length() {
        assert_eq!(ReportPeriod::Last7Days.preset_days(), Some(7));
        let custom = ReportPeriod::Custom {
            first_day: "2026-11-01".into(),
            last_day: "2026-11-02".into(),
        };
        assert_eq!(custom.preset_days(), None);
    }
}
