//! Case codes: the short reference a customer quotes on the phone or in
//! an email subject ("CASE-6548") to find the conversation or ingested
//! case again. Numbers come from a per-site counter in the store (unique
//! without retries, on one node or many); they start at [`FIRST`] so
//! every code has at least four digits and reads as a code, not a count.
//! Parsing is forgiving about how people type it back.

use std::fmt;

/// The prefix every code carries.
pub const PREFIX: &str = "CASE";
/// The first number a site hands out.
pub const FIRST: u64 = 1001;

/// A case number, shown as `CASE-<number>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseCode(u64);

impl CaseCode {
    /// The code for the `n`th case of a site (`n` from 1, as a store
    /// counter's first increment returns).
    pub fn nth(n: u64) -> Self {
        Self(FIRST - 1 + n.max(1))
    }

    pub fn number(self) -> u64 {
        self.0
    }

    /// Reads a code as people write it: `CASE-6548`, `case 6548`, `#6548`,
    /// `6548`, with surrounding spaces. `None` if it cannot be one.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let rest = match text.get(..PREFIX.len()) {
            Some(head) if head.eq_ignore_ascii_case(PREFIX) => &text[PREFIX.len()..],
            _ => text,
        };
        let digits = rest.trim_start_matches(['-', ' ', '#', '_']);
        if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number: u64 = digits.parse().ok()?;
        (number >= FIRST).then_some(Self(number))
    }
}

impl fmt::Display for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}-{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_count_up_from_first() {
        assert_eq!(CaseCode::nth(1).to_string(), "CASE-1001");
        assert_eq!(CaseCode::nth(5548).to_string(), "CASE-6548");
        assert_eq!(CaseCode::nth(0), CaseCode::nth(1));
    }

    #[test]
    fn parsing_accepts_what_people_type() {
        let code = CaseCode::nth(5548);
        for typed in [
            "CASE-6548",
            "case-6548",
            " Case 6548 ",
            "#6548",
            "6548",
            "case_6548",
        ] {
            assert_eq!(CaseCode::parse(typed), Some(code), "{typed:?}");
        }
    }

    #[test]
    fn parsing_refuses_what_cannot_be_a_code() {
        for typed in [
            "",
            "CASE-",
            "CASE-12",
            "CASE-65a8",
            "hello",
            "CASE-99999999999999999999",
            "-6548x",
            "६५४८",
        ] {
            assert_eq!(CaseCode::parse(typed), None, "{typed:?}");
        }
    }
}
