//! [`ReportStore`] for [`SqliteStore`] (tables of format 6, see
//! `schema`): the fact key is inserted first, and only if it was new does
//! each row it adds to get its counters read, grown and written back as
//! one blob (the codec of `crate::reports::row`), all in one worker call,
//! so a fact counts once and a failure counts nothing.

use std::collections::BTreeMap;

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use shared::SiteId;

use super::worker::sql;
use super::{from_sql, to_sql, SqliteStore};
use crate::reports::row::{self, Add, Row};
use crate::store::{ReportStore, StoreResult};

fn record(conn: &Connection, site: &str, key: &str, adds: &[Add]) -> StoreResult<bool> {
    // `hour_ms` keeps its format-4 name and holds the bucket of the
    // fact's first add: a time near the fact's, all that pruning old keys
    // by it needs.
    let bucket = adds.first().map_or(0, |a| a.bucket_ms);
    let new = conn
        .prepare_cached(
            "INSERT INTO report_facts (site, key, hour_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (site, key) DO NOTHING",
        )
        .map_err(sql)?
        .execute(params![site, key, to_sql(bucket)])
        .map_err(sql)?;
    if new == 0 {
        return Ok(false);
    }
    grow_rows(conn, site, adds)?;
    Ok(true)
}

/// Grows `site`'s rows by `adds`; the caller's transaction makes it
/// atomic with what it counts (a fact key, a message).
pub(super) fn grow_rows(conn: &Connection, site: &str, adds: &[Add]) -> StoreResult<()> {
    // A row is read and written once, however many of its slots grow.
    let mut rows: BTreeMap<(u64, &str), Vec<&Add>> = BTreeMap::new();
    for add in adds {
        rows.entry((add.bucket_ms, add.row.as_str()))
            .or_default()
            .push(add);
    }
    let mut read = conn
        .prepare_cached(
            "SELECT counts FROM report_rows WHERE site = ?1 AND bucket_ms = ?2 AND row = ?3",
        )
        .map_err(sql)?;
    let mut write = conn
        .prepare_cached(
            "INSERT INTO report_rows (site, bucket_ms, row, counts) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (site, bucket_ms, row) DO UPDATE SET counts = excluded.counts",
        )
        .map_err(sql)?;
    for ((bucket_ms, row_key), grows) in rows {
        let bucket = to_sql(bucket_ms);
        let stored: Option<Vec<u8>> = read
            .query_row(params![site, bucket, row_key], |r| r.get(0))
            .optional()
            .map_err(sql)?;
        let mut counts = stored.as_deref().map(row::decode).unwrap_or_default();
        for add in grows {
            row::add_to(&mut counts, add.slot, add.by);
        }
        write
            .execute(params![site, bucket, row_key, row::encode(&counts)])
            .map_err(sql)?;
    }
    Ok(())
}

fn rows(conn: &Connection, site: &str, from: u64, to: u64) -> StoreResult<Vec<Row>> {
    let mut statement = conn
        .prepare_cached(
            "SELECT bucket_ms, row, counts FROM report_rows
             WHERE site = ?1 AND bucket_ms >= ?2 AND bucket_ms < ?3
             ORDER BY bucket_ms, row",
        )
        .map_err(sql)?;
    let rows = statement
        .query_map(params![site, to_sql(from), to_sql(to)], |r| {
            Ok(Row {
                bucket_ms: from_sql(r.get(0)?),
                row: r.get(1)?,
                counts: row::decode(&r.get::<_, Vec<u8>>(2)?),
            })
        })
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    Ok(rows)
}

#[async_trait]
impl ReportStore for SqliteStore {
    async fn record_fact(&self, site: &SiteId, key: &str, adds: &[Add]) -> StoreResult<bool> {
        let (site, key, adds) = (site.clone(), key.to_owned(), adds.to_vec());
        self.call(move |conn| record(conn, site.as_str(), &key, &adds))
            .await
    }

    async fn rollup(&self, site: &SiteId, from_ms: u64, to_ms: u64) -> StoreResult<Vec<Row>> {
        let site = site.clone();
        self.call(move |conn| rows(conn, site.as_str(), from_ms, to_ms))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::schema;

    fn add(bucket_ms: u64, row: &str, slot: usize, by: u64) -> Add {
        Add::new(bucket_ms, row, slot, by)
    }

    /// A 30-day report reads its period's rows through the primary key,
    /// not the whole table.
    #[test]
    fn a_period_is_read_through_the_primary_key() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::prepare(&mut conn).unwrap();
        let plan: String = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT bucket_ms, row, counts
                 FROM report_rows WHERE site = ?1 AND bucket_ms >= ?2 AND bucket_ms < ?3
                 ORDER BY bucket_ms, row",
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

    #[test]
    fn adds_grow_the_stored_blob_once_per_key() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::prepare(&mut conn).unwrap();
        let adds = [
            add(7, "agent:a", 2, 1),
            add(7, "agent:a", 0, 3),
            add(9, "x", 1, 1),
        ];
        assert!(record(&conn, "s", "k1", &adds).unwrap());
        assert!(!record(&conn, "s", "k1", &adds).unwrap());
        assert!(record(&conn, "s", "k2", &[add(7, "agent:a", 2, u64::MAX)]).unwrap());
        let read = rows(&conn, "s", 7, 10).unwrap();
        let max = u64::from(u32::MAX);
        assert_eq!(read.len(), 2);
        assert_eq!((read[0].bucket_ms, read[0].row.as_str()), (7, "agent:a"));
        assert_eq!(read[0].counts, [3, 0, max]);
        assert_eq!(
            (read[1].bucket_ms, read[1].counts.as_slice()),
            (9, &[0, 1][..])
        );
        assert!(rows(&conn, "s", 8, 9).unwrap().is_empty());
        assert!(rows(&conn, "other", 0, 10).unwrap().is_empty());
    }
}
