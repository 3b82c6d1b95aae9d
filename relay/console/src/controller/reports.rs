//! The reports page's actions: asking for a report, watching the live
//! view, and downloading a table as CSV (made here, in the console, from
//! the table the page shows).

use super::Controller;
use crate::download;
use crate::model::reports::csv::{csv_file_name, csv_text};
use crate::model::reports::tables::Table;
use crate::model::reports::ReportAsk;

impl Controller {
    pub(crate) fn report_show(&self, ask: ReportAsk) {
        self.send_from(|m| m.report_ask(ask));
    }

    pub(crate) fn watch_live(&self, watch: bool) {
        self.send_from(|m| m.watch_live(watch));
    }

    /// Saves `table` as `report-<table>-<first day>-<last day>.csv`;
    /// `false` if the browser refused.
    pub(crate) fn download_csv(&self, table: &Table, first_day: &str, last_day: &str) -> bool {
        download::save_csv(
            &csv_file_name(table.slug, first_day, last_day),
            &csv_text(table),
        )
    }
}
