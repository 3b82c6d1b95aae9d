//! [`ReportStore`] for [`SqliteStore`] (tables of format 4, see
//! `schema`): the fact key is inserted first, and only if it was new are
//! the cells upserted into their sums, all in one worker call, so a fact
//! counts once and a failure counts nothing.

use async_trait::async_trait;
use rusqlite::{params, Connection};
use shared::SiteId;

use super::worker::sql;
use super::{from_sql, to_sql, SqliteStore};
use crate::reports::facts::{hour_of, Cell};
use crate::store::{ReportStore, StoreResult};

fn record(conn: &Connection, site: &str, key: &str, cells: &[Cell]) -> StoreResult<bool> {
    let hour = cells.first().map_or(0, |c| hour_of(c.hour_ms));
    let new = conn
        .prepare_cached(
            "INSERT INTO report_facts (site, key, hour_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (site, key) DO NOTHING",
        )
        .map_err(sql)?
        .execute(params![site, key, to_sql(hour)])
        .map_err(sql)?;
    if new == 0 {
        return Ok(false);
    }
    let mut add = conn
        .prepare_cached(
            "INSERT INTO report_cells (site, hour_ms, agent, channel, field, value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (site, hour_ms, agent, channel, field)
             DO UPDATE SET value = value + excluded.value",
        )
        .map_err(sql)?;
    for cell in cells {
        add.execute(params![
            site,
            to_sql(cell.hour_ms),
            cell.agent,
            cell.channel,
            cell.field,
            to_sql(cell.value)
        ])
        .map_err(sql)?;
    }
    Ok(true)
}

fn sums(conn: &Connection, site: &str, from: u64, to: u64) -> StoreResult<Vec<Cell>> {
    let mut statement = conn
        .prepare_cached(
            "SELECT hour_ms, agent, channel, field, value FROM report_cells
             WHERE site = ?1 AND hour_ms >= ?2 AND hour_ms < ?3
             ORDER BY hour_ms, agent, channel, field",
        )
        .map_err(sql)?;
    let cells = statement
        .query_map(params![site, to_sql(from), to_sql(to)], |r| {
            Ok(Cell {
                hour_ms: from_sql(r.get(0)?),
                agent: r.get(1)?,
                channel: r.get(2)?,
                field: r.get(3)?,
                value: from_sql(r.get(4)?),
            })
        })
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    Ok(cells)
}

#[async_trait]
impl ReportStore for SqliteStore {
    async fn record_fact(&self, site: &SiteId, key: &str, cells: &[Cell]) -> StoreResult<bool> {
        let (site, key, cells) = (site.clone(), key.to_owned(), cells.to_vec());
        self.call(move |conn| record(conn, site.as_str(), &key, &cells))
            .await
    }

    async fn rollup(
        &self,
        site: &SiteId,
        from_hour_ms: u64,
        to_hour_ms: u64,
    ) -> StoreResult<Vec<Cell>> {
        let site = site.clone();
        self.call(move |conn| sums(conn, site.as_str(), from_hour_ms, to_hour_ms))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::schema;

    /// A 30-day report reads its period's rows through the primary key,
    /// not the whole table.
    #[test]
    fn a_period_is_read_through_the_primary_key() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::prepare(&mut conn).unwrap();
        let plan: String = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT hour_ms, agent, channel, field, value
                 FROM report_cells WHERE site = ?1 AND hour_ms >= ?2 AND hour_ms < ?3
                 ORDER BY hour_ms, agent, channel, field",
            )
            .unwrap()
            .query_map(params!["s", 0, 10], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(plan.contains("PRIMARY KEY"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
