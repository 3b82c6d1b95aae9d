//! A count in words ("1 record", "2 records"): numbers are filled into a
//! sentence, and a lone "{n} records" reads wrong for one.

use super::fill;

/// The two forms of a counted phrase, `{n}` = the count. Two forms are
/// enough for English; a language needing more (few, many) adds fields
/// here and picks among them in [`Plural::count`].
#[derive(Debug)]
pub(crate) struct Plural {
    pub(crate) one: &'static str,
    pub(crate) other: &'static str,
}

impl Plural {
    /// The phrase for `n`.
    pub(crate) fn count(&self, n: usize) -> String {
        let form = if n == 1 { self.one } else { self.other };
        fill(form, &[("n", &n.to_string())])
    }
}
