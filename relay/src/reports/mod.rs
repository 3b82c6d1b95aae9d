//! Service reports: facts recorded as conversations happen, rolled up in
//! the store per local day and channel or agent (and the volume per UTC
//! hour), and read back into the figures the console and the reports API
//! show.
//!
//! - [`build`]: a report's figures from the summed rows of two periods.
//! - [`business_time`]: how much of a stretch falls in opening hours.
//! - [`csv`]: each table of a report as a CSV file.
//! - [`facts`]: what happened to a conversation or an item.
//! - [`histogram`]: duration buckets stores can add up, and percentiles.
//! - [`layout`]: which counter sits in which slot of a row.
//! - [`rollup`]: the rows and slots a fact adds to.
//! - [`row`]: what stores keep (rows of counters) and their codec.
//! - `sums`: rows added up into what one row of a report needs.
//! - [`window`]: which stored counters a period reads.

pub mod build;
pub mod business_time;
pub mod csv;
pub mod facts;
pub mod histogram;
pub mod layout;
pub mod rollup;
pub mod row;
mod sums;
pub mod window;

#[cfg(test)]
mod tests;
