//! [`ReportStore`] for [`RedisStore`]: one hash per site and UTC hour,
//! field `agent|channel|field` → sum (see the layout in [`super`]), grown
//! by one script that first claims the fact's key with `SET NX`, so racing
//! nodes count a fact once. A period is read as one pipeline of `HGETALL`s,
//! one per hour, in chunks.

use std::collections::HashMap;

use async_trait::async_trait;
use shared::SiteId;

use super::scripts::unexpected;
use super::{keys, RedisStore};
use crate::reports::facts::{Cell, HOUR_MS};
use crate::store::reports::FACT_KEY_TTL_MS;
use crate::store::{ReportStore, StoreError, StoreResult};

/// Hours read per pipeline (a year is a few of them).
const HOURS_PER_READ: u64 = 1_024;

/// A part of a hash field, with the separator and the escape escaped.
fn escape(part: &str) -> String {
    part.replace('%', "%25").replace('|', "%7C")
}

fn unescape(part: &str) -> String {
    part.replace("%7C", "|").replace("%25", "%")
}

/// The hash field of a cell: `agent|channel|field`, each part escaped.
fn cell_field(cell: &Cell) -> String {
    [&cell.agent, &cell.channel, &cell.field]
        .map(|part| escape(part))
        .join("|")
}

fn cell_of(hour_ms: u64, field: &str, value: &str) -> StoreResult<Cell> {
    let corrupt = || StoreError::Corrupt(format!("report field {field:?} = {value:?}"));
    let mut parts = field.split('|');
    let (Some(agent), Some(channel), Some(name), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(corrupt());
    };
    Ok(Cell {
        hour_ms,
        agent: unescape(agent),
        channel: unescape(channel),
        field: unescape(name),
        value: value.parse().map_err(|_| corrupt())?,
    })
}

/// The hours from the first multiple of an hour at or after `from` to
/// before `to`.
fn hours(from: u64, to: u64) -> impl Iterator<Item = u64> {
    let first = from.div_ceil(HOUR_MS).saturating_mul(HOUR_MS);
    (first..to).step_by(usize::try_from(HOUR_MS).unwrap_or(usize::MAX))
}

#[async_trait]
impl ReportStore for RedisStore {
    async fn record_fact(&self, site: &SiteId, key: &str, cells: &[Cell]) -> StoreResult<bool> {
        if !keys::addressable(site.as_str()) {
            return Err(StoreError::Conflict("invalid id"));
        }
        let site = site.as_str();
        let mut call = self.scripts.record_fact.prepare_invoke();
        call.key(self.keys.report_fact(site, key))
            .arg(FACT_KEY_TTL_MS);
        for cell in cells {
            call.key(self.keys.report_hour(site, cell.hour_ms))
                .arg(cell_field(cell))
                .arg(cell.value);
        }
        let (word, payload) = self.eval(&call).await?;
        match (word.as_str(), payload.first().map(String::as_str)) {
            ("ok", Some("1")) => Ok(true),
            ("ok", Some("0")) => Ok(false),
            _ => Err(unexpected(&word)),
        }
    }

    async fn rollup(
        &self,
        site: &SiteId,
        from_hour_ms: u64,
        to_hour_ms: u64,
    ) -> StoreResult<Vec<Cell>> {
        if !keys::addressable(site.as_str()) {
            return Ok(Vec::new());
        }
        let all: Vec<u64> = hours(from_hour_ms, to_hour_ms).collect();
        let mut cells = Vec::new();
        for chunk in all.chunks(usize::try_from(HOURS_PER_READ).unwrap_or(usize::MAX)) {
            let mut pipe = redis::pipe();
            for hour in chunk {
                pipe.hgetall(self.keys.report_hour(site.as_str(), *hour));
            }
            let read: Vec<HashMap<String, String>> = self.read_pipe(&pipe).await?;
            for (hour, fields) in chunk.iter().zip(read) {
                for (field, value) in &fields {
                    cells.push(cell_of(*hour, field, value)?);
                }
            }
        }
        cells.sort();
        Ok(cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_reads_back_whatever_its_parts_hold() {
        let cell = Cell {
            hour_ms: 7 * HOUR_MS,
            agent: "a|b%7C|".into(),
            channel: "%|".into(),
            field: "opened".into(),
            value: 3,
        };
        let field = cell_field(&cell);
        assert_eq!(field.matches('|').count(), 2, "{field}");
        assert_eq!(cell_of(cell.hour_ms, &field, "3").unwrap(), cell);
        assert!(cell_of(0, "a|b", "1").is_err());
        assert!(cell_of(0, "a|b|c", "x").is_err());
    }

    #[test]
    fn a_range_covers_the_whole_hours_inside_it() {
        let got: Vec<u64> = hours(HOUR_MS - 1, 3 * HOUR_MS).collect();
        assert_eq!(got, vec![HOUR_MS, 2 * HOUR_MS]);
        assert_eq!(hours(5 * HOUR_MS, 5 * HOUR_MS).count(), 0);
    }
}
