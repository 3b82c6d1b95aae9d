//! How a report table is written as CSV (RFC 4180), once for both the
//! relay's CSV downloads and the console's, so a name can neither break
//! a row nor run as a formula in whichever file an admin opens.

/// One cell, guarded and quoted when it needs to be: a cell a spreadsheet
/// would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'` unless it is a plain number; a
/// cell with a comma, quote, line break or leading space is quoted, its
/// quotes doubled.
pub fn cell(value: &str) -> String {
    let guarded = if formula_like(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) || guarded.starts_with(' ') {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Starts like a formula and is not simply a (negative) number.
fn formula_like(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err()
}

/// Appends one line of cells, ended with CRLF as the RFC and
/// spreadsheets expect.
pub fn push_line<S: AsRef<str>>(out: &mut String, cells: impl IntoIterator<Item = S>) {
    for (i, value) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell(value.as_ref()));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cells_and_numbers_stay_as_they_are() {
        for plain in ["Dana", "12", "-3.5", "+4", ""] {
            assert_eq!(cell(plain), plain);
        }
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        assert_eq!(cell("Smith, Dana"), "\"Smith, Dana\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("a\r\nb"), "\"a\r\nb\"");
        assert_eq!(cell(" lead"), "\" lead\"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+cmd"), "'+cmd");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(
            cell("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
    }

    #[test]
    fn lines_end_with_crlf() {
        let mut out = String::new();
        push_line(&mut out, ["a", "b,c"]);
        push_line(&mut out, Vec::<String>::new());
        assert_eq!(out, "a,\"b,c\"\r\n\r\n");
    }
}
