//! Chart geometry as plain numbers, so the SVG components only draw what
//! is computed (and tested) here: bars scaled to the largest value, and
//! the heat map's cells shaded in five steps. Right-to-left pages get the
//! mirror image (the first bar, the first hour on the right), computed
//! here rather than by flipping the SVG, so its text is not mirrored.
//! Charts draw tables (`tables.rs`): their names list the same numbers.

use super::tables::Table;
use crate::i18n::{fill, Catalog};

/// The bar chart's drawing area (SVG user units).
pub(crate) const BARS_WIDTH: f64 = 480.0;
pub(crate) const BARS_HEIGHT: f64 = 140.0;
/// Room under the bars for their labels.
pub(crate) const BARS_LABELS: f64 = 20.0;
/// The gap between bars, as a share of each bar's slot.
const BAR_GAP: f64 = 0.2;

/// One heat map cell's side, and the room left for the row and column labels.
pub(crate) const CELL: f64 = 18.0;
pub(crate) const HEAT_LEFT: f64 = 40.0;
pub(crate) const HEAT_TOP: f64 = 18.0;
/// Hours and weekdays the heat map has.
pub(crate) const HOURS: usize = 24;
pub(crate) const WEEKDAYS: usize = 7;

/// One bar, its label's centre and its value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) width: f64,
    pub(crate) height: f64,
    /// The centre of the bar, where its label goes.
    pub(crate) middle: f64,
    pub(crate) value: u64,
}

/// Bars for `values`, scaled so the largest fills the height; in order
/// from the start edge (left, or right when `rtl`).
pub(crate) fn bars(values: &[u64], rtl: bool) -> Vec<Bar> {
    let top = values.iter().copied().max().unwrap_or(0).max(1);
    let slot = BARS_WIDTH / values.len().max(1) as f64;
    let width = slot * (1.0 - BAR_GAP);
    values
        .iter()
        .enumerate()
        .map(|(i, &value)| {
            let place = if rtl { values.len() - 1 - i } else { i };
            let x = place as f64 * slot + slot * BAR_GAP / 2.0;
            // Exact as f64 for any count a report holds.
            #[allow(clippy::cast_precision_loss)]
            let height = value as f64 / top as f64 * BARS_HEIGHT;
            Bar {
                x,
                y: BARS_HEIGHT - height,
                width,
                height,
                middle: x + width / 2.0,
                value,
            }
        })
        .collect()
}

/// One heat map cell: where it goes, how dark (0 = none, 4 = busiest).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HeatCell {
    pub(crate) weekday: usize,
    pub(crate) hour: usize,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) level: u8,
    pub(crate) value: u64,
}

/// The heat map's cells, row per weekday, column per hour; `grid[d][h]`.
pub(crate) fn heat_cells(grid: &[[u64; HOURS]; WEEKDAYS], rtl: bool) -> Vec<HeatCell> {
    let top = grid.iter().flatten().copied().max().unwrap_or(0);
    let mut cells = Vec::with_capacity(HOURS * WEEKDAYS);
    for (weekday, row) in grid.iter().enumerate() {
        for (hour, &value) in row.iter().enumerate() {
            cells.push(HeatCell {
                weekday,
                hour,
                x: hour_x(hour, rtl),
                y: HEAT_TOP + weekday as f64 * CELL,
                level: level(value, top),
                value,
            });
        }
    }
    cells
}

/// Where an hour's column starts.
pub(crate) fn hour_x(hour: usize, rtl: bool) -> f64 {
    let column = if rtl { HOURS - 1 - hour } else { hour };
    if rtl {
        column as f64 * CELL
    } else {
        HEAT_LEFT + column as f64 * CELL
    }
}

/// Where the weekday labels go: left of the grid, or right of it when `rtl`.
pub(crate) fn label_x(rtl: bool) -> f64 {
    if rtl {
        HOURS as f64 * CELL + 4.0
    } else {
        HEAT_LEFT - 4.0
    }
}

/// The heat map's whole width and height.
pub(crate) fn heat_size() -> (f64, f64) {
    (
        HEAT_LEFT + HOURS as f64 * CELL,
        HEAT_TOP + WEEKDAYS as f64 * CELL,
    )
}

/// Five shades: none, then quarters of the busiest cell (any non-zero
/// value is at least the lightest, so a single message still shows).
fn level(value: u64, top: u64) -> u8 {
    if value == 0 || top == 0 {
        return 0;
    }
    let step = (value * 4).div_ceil(top);
    u8::try_from(step.clamp(1, 4)).unwrap_or(4)
}

/// A chart's accessible name: its title and every label with its value.
pub(crate) fn chart_label(table: &Table, t: &Catalog) -> String {
    let items: Vec<String> = table
        .rows
        .iter()
        .map(|row| format!("{}: {}", row[0], row.get(1).map_or("", String::as_str)))
        .collect();
    fill(
        t.reports.chart_label,
        &[("title", &table.title), ("items", &items.join(", "))],
    )
}

/// The second column of each row as a number (what a bar chart draws).
pub(crate) fn column_counts(table: &Table) -> Vec<u64> {
    table
        .rows
        .iter()
        .map(|row| row.get(1).and_then(|v| v.parse().ok()).unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_bar_fills_the_height() {
        let drawn = bars(&[2, 4, 0], false);
        assert_eq!(drawn.len(), 3);
        assert_eq!(drawn[1].height, BARS_HEIGHT);
        assert_eq!(drawn[1].y, 0.0);
        assert_eq!(drawn[0].height, BARS_HEIGHT / 2.0);
        assert_eq!(drawn[2].height, 0.0);
        assert!(drawn[0].x < drawn[1].x && drawn[1].x < drawn[2].x);
    }

    #[test]
    fn right_to_left_bars_start_on_the_right() {
        let drawn = bars(&[1, 2, 3], true);
        assert!(drawn[0].x > drawn[1].x && drawn[1].x > drawn[2].x);
        let ltr = bars(&[1, 2, 3], false);
        assert_eq!(drawn[0].x, ltr[2].x);
    }

    #[test]
    fn no_values_draw_nothing_and_zeros_draw_flat() {
        assert!(bars(&[], false).is_empty());
        assert!(bars(&[0, 0], false).iter().all(|b| b.height == 0.0));
    }

    #[test]
    fn heat_cells_shade_in_quarters_of_the_busiest() {
        let mut grid = [[0; HOURS]; WEEKDAYS];
        grid[0][9] = 8;
        grid[0][10] = 1;
        grid[6][23] = 4;
        let cells = heat_cells(&grid, false);
        assert_eq!(cells.len(), HOURS * WEEKDAYS);
        let at = |d: usize, h: usize| &cells[d * HOURS + h];
        assert_eq!(at(0, 9).level, 4);
        assert_eq!(at(0, 10).level, 1);
        assert_eq!(at(6, 23).level, 2);
        assert_eq!(at(3, 3).level, 0);
        assert_eq!(at(0, 0).x, HEAT_LEFT);
        assert_eq!(at(6, 0).y, HEAT_TOP + 6.0 * CELL);
    }

    #[test]
    fn right_to_left_hours_run_from_the_right() {
        assert_eq!(hour_x(0, true), 23.0 * CELL);
        assert_eq!(hour_x(23, true), 0.0);
        assert!(label_x(true) > hour_x(0, true));
        assert!(label_x(false) < hour_x(0, false));
    }
}
