//! The report's charts, drawn as inline SVG from the geometry in
//! `model::reports::chart`: bars (first-response ranges, ratings given)
//! and the weekday × hour heat map. Each SVG is one image with a name
//! that says what it shows; "Show as table" opens the same numbers as a
//! table (the one the CSV download saves). Right-to-left pages get the
//! mirrored geometry.

use leptos::prelude::*;

use super::table::{DownloadCsv, TableOnly};
use crate::i18n::{catalog, fill};
use crate::model::reports::chart::{
    bars, chart_label, column_counts, heat_cells, heat_size, hour_x, label_x, BARS_HEIGHT,
    BARS_LABELS, BARS_WIDTH, CELL, HEAT_TOP, HOURS, WEEKDAYS,
};
use crate::model::reports::tables::Table;

fn rtl() -> bool {
    catalog().dir == "rtl"
}

/// A bar chart of a two-column table (label, count).
#[component]
pub(super) fn BarChart(table: Table, days: (String, String)) -> impl IntoView {
    let t = catalog();
    let label = chart_label(&table, t);
    let drawn = bars(&column_counts(&table), rtl());
    let names: Vec<String> = table.rows.iter().map(|r| r[0].clone()).collect();
    let view_box = format!("0 0 {BARS_WIDTH} {}", BARS_HEIGHT + BARS_LABELS * 2.0);
    let chart = view! {
        <svg class="bars" viewBox=view_box role="img" aria-label=label>
            {drawn.into_iter().zip(names).map(|(bar, name)| view! {
                <g>
                    <rect
                        x=bar.x y=bar.y + BARS_LABELS width=bar.width height=bar.height.max(1.0)
                        class="bar"
                    />
                    <text x=bar.middle y=bar.y + BARS_LABELS - 4.0 text-anchor="middle" class="bar-value">
                        {bar.value.to_string()}
                    </text>
                    <text
                        x=bar.middle y=BARS_HEIGHT + BARS_LABELS * 2.0 - 4.0
                        text-anchor="middle" class="bar-label"
                    >
                        {name}
                    </text>
                </g>
            }).collect_view()}
        </svg>
    };
    view! { <Chart table days chart/> }
}

/// Incoming volume by weekday (rows, Monday first) and hour (columns).
#[component]
pub(super) fn HeatMapChart(table: Table, days: (String, String)) -> impl IntoView {
    let t = catalog();
    let w = &t.reports;
    let mut grid = [[0_u64; HOURS]; WEEKDAYS];
    for (d, row) in table.rows.iter().enumerate().take(WEEKDAYS) {
        for (h, cell) in row.iter().skip(1).enumerate().take(HOURS) {
            grid[d][h] = cell.parse().unwrap_or(0);
        }
    }
    let rtl = rtl();
    let cells = heat_cells(&grid, rtl);
    let busiest = cells.iter().filter(|c| c.value > 0).max_by_key(|c| c.value);
    let summary = busiest.map_or_else(
        || w.heat_map_empty.to_owned(),
        |c| {
            let when = format!("{} {:02}:00", w.weekdays[c.weekday], c.hour);
            fill(
                w.heat_map_summary,
                &[("busiest", &when), ("n", &c.value.to_string())],
            )
        },
    );
    let label = format!("{}: {summary}", table.title);
    let (width, height) = heat_size();
    let anchor = if rtl { "start" } else { "end" };
    let chart = view! {
        <svg class="heat-map" viewBox=format!("0 0 {width} {height}") role="img" aria-label=label>
            {(0..HOURS).step_by(3).map(|h| view! {
                <text x=hour_x(h, rtl) + CELL / 2.0 y=HEAT_TOP - 5.0 text-anchor="middle" class="axis">
                    {format!("{h:02}")}
                </text>
            }).collect_view()}
            {w.weekdays.iter().enumerate().map(|(d, day)| view! {
                <text
                    x=label_x(rtl) y=HEAT_TOP + d as f64 * CELL + CELL * 0.7
                    text-anchor=anchor class="axis"
                >
                    {day.chars().take(3).collect::<String>()}
                </text>
            }).collect_view()}
            {cells.into_iter().map(|c| view! {
                <rect
                    x=c.x + 1.0 y=c.y + 1.0 width=CELL - 2.0 height=CELL - 2.0
                    class=format!("heat l{}", c.level)
                    data-weekday=c.weekday data-hour=c.hour data-count=c.value
                />
            }).collect_view()}
        </svg>
    };
    view! { <Chart table days chart/> }
}

/// A chart with its title, the toggle that shows its table, and the CSV.
#[component]
fn Chart(table: Table, days: (String, String), chart: impl IntoView + 'static) -> impl IntoView {
    let w = &catalog().reports;
    let open = RwSignal::new(false);
    let table_id = format!("chart-table-{}", table.slug);
    let testid = format!("chart-{}", table.slug);
    view! {
        <figure class="report-chart" data-testid=testid>
            <figcaption>{table.title.clone()}</figcaption>
            {chart}
            <button
                type="button"
                class="link"
                aria-expanded=move || open.get().to_string()
                aria-controls=table_id.clone()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if open.get() { w.hide_table } else { w.show_table }}
            </button>
            <div id=table_id hidden=move || !open.get()>
                <TableOnly table=table.clone()/>
            </div>
            <DownloadCsv table days/>
        </figure>
    }
}
