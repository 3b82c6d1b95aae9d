//! One report table with its caption and a "Download CSV" button that
//! saves exactly these rows (the CSV is made from the same [`Table`]).

use leptos::prelude::*;

use crate::context::ctl;
use crate::i18n::{catalog, fill};
use crate::model::reports::tables::Table;

#[component]
pub(super) fn ReportTable(
    table: Table,
    /// The report's first and last day, for the file's name.
    days: (String, String),
) -> impl IntoView {
    let testid = format!("report-table-{}", table.slug);
    view! {
        <section class="report-table" data-testid=testid>
            <h3>{table.title.clone()}</h3>
            <TableOnly table=table.clone()/>
            <DownloadCsv table days/>
        </section>
    }
}

/// The table itself: a caption, a header row and a row per item; the
/// first cell of each row is its row header.
#[component]
pub(super) fn TableOnly(table: Table) -> impl IntoView {
    let w = &catalog().reports;
    let empty = table.rows.is_empty();
    let slug = table.slug;
    view! {
        <div class="table-scroll">
            <table data-testid=format!("table-{slug}")>
                <caption class="visually-hidden">{table.title.clone()}</caption>
                <thead>
                    <tr>{table.header.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {table.rows.iter().enumerate().map(|(r, row)| view! {
                        <tr data-row=r>
                            {row.iter().enumerate().map(|(c, cell)| if c == 0 {
                                view! { <th scope="row">{cell.clone()}</th> }.into_any()
                            } else {
                                view! { <td data-col=c>{cell.clone()}</td> }.into_any()
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! { <p class="hint">{w.no_rows}</p> })}
        </div>
    }
}

/// "Download CSV" for one table; the button's accessible name says which.
#[component]
pub(super) fn DownloadCsv(table: Table, days: (String, String)) -> impl IntoView {
    let ctl = ctl();
    let w = &catalog().reports;
    let name = fill(w.download_named, &[("table", &table.title)]);
    let table = StoredValue::new(table);
    let failed = RwSignal::new(false);
    let save = move |_| {
        let saved = table.with_value(|t| ctl.get().download_csv(t, &days.0, &days.1));
        failed.set(!saved);
    };
    view! {
        <button type="button" class="download-csv" aria-label=name on:click=save>
            {w.download_csv}
        </button>
        <span class="note error" role="status">
            {move || failed.get().then_some(w.download_failed)}
        </span>
    }
}
