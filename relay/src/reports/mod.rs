//! Service reports: facts recorded as conversations happen, rolled up per
//! hour, agent and channel in the store, and read back into the figures
//! the console and the reports API show.
//!
//! - [`build`]: a report's figures from the summed cells of two periods.
//! - [`business_time`]: how much of a stretch falls in opening hours.
//! - [`csv`]: each table of a report as a CSV file.
//! - [`facts`]: what happened to a conversation; the cells stores sum.
//! - [`histogram`]: duration buckets stores can add up, and percentiles.
//! - [`rollup`]: a fact's cells and the field names they use.
//! - `sums`: cells added up into what one row of a report needs.

pub mod build;
pub mod business_time;
pub mod csv;
pub mod facts;
pub mod histogram;
pub mod rollup;
mod sums;

#[cfg(test)]
mod tests;
