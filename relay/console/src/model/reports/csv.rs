//! A report table as a CSV file, made in the console from the same rows
//! the page shows, so the file and the screen cannot disagree. Quoting
//! and the guard against spreadsheet formulas are `shared::reports::csv`,
//! the relay's CSV downloads' too.

use shared::reports::csv::push_line;

use super::tables::Table;

/// The table as CSV: the header line, then one line per row.
pub(crate) fn csv_text(table: &Table) -> String {
    let mut out = String::new();
    push_line(&mut out, &table.header);
    for row in &table.rows {
        push_line(&mut out, row);
    }
    out
}

/// A file name for a table's download: `report-<slug>-<from>-<to>.csv`.
pub(crate) fn csv_file_name(slug: &str, from: &str, to: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect()
    };
    format!("report-{}-{}-{}.csv", clean(slug), clean(from), clean(to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_lines_with_crlf_quoted_and_guarded() {
        let table = Table {
            slug: "agents",
            title: "By agent".into(),
            header: vec!["Agent".into(), "Conversations".into()],
            rows: vec![
                vec!["Smith, Dana".into(), "3".into()],
                vec!["=evil".into(), "-1".into()],
            ],
        };
        assert_eq!(
            csv_text(&table),
            "Agent,Conversations\r\n\"Smith, Dana\",3\r\n'=evil,-1\r\n"
        );
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            csv_file_name("agents", "2026-11-01", "2026-11-07"),
            "report-agents-2026-11-01-2026-11-07.csv"
        );
        assert_eq!(csv_file_name("a/b", "x y", "z"), "report-a-b-x-y-z.csv");
    }
}
