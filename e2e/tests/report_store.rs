//! The report roll-ups' store contract (issue 15), run against the
//! embedded store and the Redis store alike: a fact counts once however
//! many nodes record it at once, adds sum per (bucket, row, slot), a
//! period reads exactly the rows whose bucket starts in it (hour starts
//! or not), sites are kept apart, any row key reads back as written, a
//! counter saturates rather than wrapping, and a period with nothing in
//! it is empty.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::reports::facts::HOUR_MS;
use relay::reports::row::{Add, Row};
use relay::store::Store;
use shared::SiteId;

store_cases!(
    on_a_cluster_too:
    a_fact_counts_once_however_many_record_it,
    adds_sum_per_bucket_row_and_slot,
    a_period_reads_exactly_its_buckets,
    sites_are_kept_apart,
    unusual_row_keys_read_back,
    nothing_recorded_reads_empty,
    sums_outlive_a_restart,
    a_counter_saturates_rather_than_wrapping,
);

/// 2026-03-02 00:00 UTC, a Monday.
const T0: u64 = 1_772_409_600_000;
/// A local midnight that is no hour start (a site at UTC+05:30).
const HALF_PAST: u64 = T0 + HOUR_MS / 2;
const MAX: u64 = u32::MAX as u64;

fn hour(n: u64) -> u64 {
    T0 + n * HOUR_MS
}

fn add(bucket_ms: u64, row: &str, slot: usize, by: u64) -> Add {
    Add::new(bucket_ms, row, slot, by)
}

/// A row as read back with trailing zeros trimmed: `set` lists the
/// non-zero slots.
fn row(bucket_ms: u64, key: &str, set: &[(usize, u64)]) -> Row {
    let mut counts = Vec::new();
    for &(slot, value) in set {
        counts.resize(counts.len().max(slot + 1), 0);
        counts[slot] = value;
    }
    Row {
        bucket_ms,
        row: key.into(),
        counts,
    }
}

/// Stores may leave trailing zeros off, or not.
fn trimmed(mut rows: Vec<Row>) -> Vec<Row> {
    for r in &mut rows {
        while r.counts.last() == Some(&0) {
            r.counts.pop();
        }
    }
    rows
}

fn site(id: &str) -> SiteId {
    SiteId::from(id)
}

async fn read(store: &dyn Store, site_id: &str, from: u64, to: u64) -> Vec<Row> {
    trimmed(store.rollup(&site(site_id), from, to).await.unwrap())
}

async fn all(store: &dyn Store, site_id: &str) -> Vec<Row> {
    read(store, site_id, T0, hour(1_000)).await
}

async fn a_fact_counts_once_however_many_record_it(s: Subject) {
    let store: Arc<dyn Store> = Arc::clone(&s.store);
    let adds = vec![
        add(hour(0), "channel:chat", 0, 1),
        add(T0, "agent:a1", 14, 1),
    ];
    let racers: Vec<_> = (0..16)
        .map(|_| {
            let (store, adds) = (Arc::clone(&store), adds.clone());
            tokio::spawn(async move {
                store
                    .record_fact(&site("demo"), "c_1:opened", &adds)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut counted = 0;
    for racer in racers {
        counted += usize::from(racer.await.unwrap());
    }
    assert_eq!(counted, 1, "exactly one record counts");
    let once = vec![
        row(T0, "agent:a1", &[(14, 1)]),
        row(T0, "channel:chat", &[(0, 1)]),
    ];
    assert_eq!(all(store.as_ref(), "demo").await, once);
    let again = [add(T0, "channel:chat", 0, 9)];
    let again = store.record_fact(&site("demo"), "c_1:opened", &again).await;
    assert!(!again.unwrap(), "a key seen before changes nothing");
    assert_eq!(all(store.as_ref(), "demo").await, once);
}

async fn adds_sum_per_bucket_row_and_slot(s: Subject) {
    let store = s.store.as_ref();
    let demo = site("demo");
    let (chat, a1) = ("channel:chat", "agent:a1");
    let facts = [
        ("c_1:opened", vec![add(hour(1), chat, 0, 1)]),
        ("c_2:opened", vec![add(hour(1), chat, 0, 1)]),
        ("item:it_1", vec![add(hour(1), "channel:email", 0, 1)]),
        ("c_1:resolved", vec![add(T0, chat, 2, 1), add(T0, a1, 2, 1)]),
        ("c_1:closed", vec![add(T0, chat, 20, 1), add(T0, a1, 20, 1)]),
        ("c_2:resolved", vec![add(T0, chat, 2, 1), add(T0, a1, 2, 1)]),
        ("c_2:closed", vec![add(T0, chat, 21, 1)]),
        ("c_1:msg:1", vec![add(T0, a1, 6, 3), add(T0, a1, 6, 2)]),
    ];
    for (key, adds) in &facts {
        assert!(store.record_fact(&demo, key, adds).await.unwrap(), "{key}");
    }
    let expected = vec![
        row(T0, a1, &[(2, 2), (6, 5), (20, 1)]),
        row(T0, chat, &[(2, 2), (20, 1), (21, 1)]),
        row(hour(1), chat, &[(0, 2)]),
        row(hour(1), "channel:email", &[(0, 1)]),
    ];
    assert_eq!(all(store, "demo").await, expected);
}

async fn a_period_reads_exactly_its_buckets(s: Subject) {
    let store = s.store.as_ref();
    let demo = site("demo");
    for n in 0..48 {
        let adds = [add(hour(n), "channel:chat", 0, n + 1)];
        let key = format!("c_{n}:opened");
        assert!(store.record_fact(&demo, &key, &adds).await.unwrap());
    }
    let day = [add(HALF_PAST, "agent:a", 1, 7)];
    assert!(store.record_fact(&demo, "c_0:waited", &day).await.unwrap());
    let volume = |n: u64| row(hour(n), "channel:chat", &[(0, n + 1)]);
    let local = row(HALF_PAST, "agent:a", &[(1, 7)]);

    let day_two = read(store, "demo", hour(24), hour(48)).await;
    assert_eq!(day_two.len(), 24);
    assert_eq!(day_two.first(), Some(&volume(24)));
    assert_eq!(day_two.last(), Some(&volume(47)));
    let one = read(store, "demo", hour(5), hour(6)).await;
    assert_eq!(one, vec![volume(5)], "the end is excluded");
    assert!(read(store, "demo", hour(7), hour(7)).await.is_empty());
    assert!(read(store, "demo", hour(48), hour(200)).await.is_empty());
    let first = read(store, "demo", T0, hour(1)).await;
    assert_eq!(first, vec![volume(0), local.clone()], "by bucket");
    let inside = read(store, "demo", T0 + 1, hour(1)).await;
    assert_eq!(inside, vec![local.clone()]);
    let exact = read(store, "demo", HALF_PAST, HALF_PAST + 1).await;
    assert_eq!(exact, vec![local]);
    assert!(read(store, "demo", T0 + 1, HALF_PAST).await.is_empty());
    assert!(read(store, "demo", HALF_PAST + 1, hour(1)).await.is_empty());
    let before = read(store, "demo", T0 - 100 * HOUR_MS, hour(1)).await;
    assert_eq!(before.len(), 2);
    let year = read(store, "demo", T0 - 366 * 24 * HOUR_MS, hour(2)).await;
    assert_eq!(year.len(), 3, "a year's range reads in one go");
}

async fn sites_are_kept_apart(s: Subject) {
    let store = s.store.as_ref();
    let mine = [add(T0, "agent:a1", 0, 1)];
    let theirs = [add(T0, "agent:a1", 0, 7)];
    let one = store.record_fact(&site("one"), "c_1:opened", &mine).await;
    assert!(one.unwrap());
    let two = store.record_fact(&site("two"), "c_1:opened", &theirs).await;
    assert!(two.unwrap(), "the same key on another site is another fact");
    assert_eq!(all(store, "one").await, [row(T0, "agent:a1", &[(0, 1)])]);
    assert_eq!(all(store, "two").await, [row(T0, "agent:a1", &[(0, 7)])]);
    assert!(all(store, "three").await.is_empty());
}

async fn unusual_row_keys_read_back(s: Subject) {
    let store = s.store.as_ref();
    let demo = site("demo");
    let odd = [
        "agent:a|b",
        "agent:a:b:c",
        "12:agent:x",
        "channel:100%",
        "agent:a%7Cb",
        "agent:with space",
        "agent:ש:אגנט",
        "agent:{tag}",
        "",
    ];
    for (i, key) in odd.iter().enumerate() {
        let fact = format!("odd|{i}:key with spaces");
        let adds = [add(HALF_PAST, key, i, 1)];
        assert!(store.record_fact(&demo, &fact, &adds).await.unwrap());
    }
    let mut expected: Vec<Row> = odd
        .iter()
        .enumerate()
        .map(|(i, key)| row(HALF_PAST, key, &[(i, 1)]))
        .collect();
    expected.sort_by(|a, b| a.row.cmp(&b.row));
    assert_eq!(all(store, "demo").await, expected);
}

async fn nothing_recorded_reads_empty(s: Subject) {
    let store = s.store.as_ref();
    assert!(all(store, "demo").await.is_empty());
    let counted = store.record_fact(&site("demo"), "c_1:nothing", &[]).await;
    assert!(counted.unwrap(), "a fact without adds still counts its key");
    let again = store.record_fact(&site("demo"), "c_1:nothing", &[]).await;
    assert!(!again.unwrap());
    assert!(all(store, "demo").await.is_empty());
    assert!(read(store, "demo", 0, 0).await.is_empty());
}

async fn sums_outlive_a_restart(s: Subject) {
    let adds = [add(hour(3), "channel:sms", 0, 1), add(T0, "agent:a1", 5, 2)];
    let recorded = s.store.record_fact(&site("demo"), "item:1", &adds).await;
    assert!(recorded.unwrap());
    let s = s.reopen().await;
    let expected = [
        row(T0, "agent:a1", &[(5, 2)]),
        row(hour(3), "channel:sms", &[(0, 1)]),
    ];
    assert_eq!(all(s.store.as_ref(), "demo").await, expected);
    let again = s.store.record_fact(&site("demo"), "item:1", &adds).await;
    assert!(!again.unwrap(), "the key is remembered across a restart");
}

async fn a_counter_saturates_rather_than_wrapping(s: Subject) {
    let store = s.store.as_ref();
    let demo = site("demo");
    let chat = "channel:chat";
    let facts = [
        ("k1", vec![add(T0, chat, 3, MAX)]),
        ("k2", vec![add(T0, chat, 3, MAX), add(T0, chat, 4, 1)]),
        ("k3", vec![add(T0, chat, 3, u64::MAX)]),
    ];
    for (key, adds) in &facts {
        assert!(store.record_fact(&demo, key, adds).await.unwrap(), "{key}");
    }
    let read = all(store, "demo").await;
    assert_eq!(read, [row(T0, chat, &[(3, MAX), (4, 1)])]);
}

/// The documented Redis layout: one string per row of big-endian `u32`
/// counters, an index of rows scored by bucket, and the fact key
/// expiring after 400 days.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_layout_is_as_documented() {
    let s = Subject::redis("report_layout").await;
    let (server, prefix) = s.redis.clone().unwrap();
    let adds = [
        add(hour(2), "agent:a1", 0, 1),
        add(hour(2), "agent:a1", 3, 5),
        add(hour(2), "agent:a|1", 0, 1),
    ];
    let recorded = s
        .store
        .record_fact(&site("demo"), "c_9:opened", &adds)
        .await;
    assert!(recorded.unwrap());
    let cli = |args: &[&str]| server.cli(args).unwrap();
    let key = format!("{prefix}site:demo:report-row:{}:agent:a1", hour(2));
    assert_eq!(cli(&["STRLEN", &key]).trim(), "16");
    let got = cli(&["BITFIELD", &key, "GET", "u32", "#0", "GET", "u32", "#3"]);
    assert_eq!(got.split_whitespace().collect::<Vec<_>>(), ["1", "5"]);
    let index = cli(&[
        "ZRANGE",
        &format!("{prefix}site:demo:report-rows"),
        "0",
        "-1",
    ]);
    let members: Vec<&str> = index.lines().collect();
    let (a1, pipe) = (
        format!("{}:agent:a1", hour(2)),
        format!("{}:agent:a|1", hour(2)),
    );
    assert_eq!(members, [a1.as_str(), pipe.as_str()], "{index}");
    let ttl = cli(&["PTTL", &format!("{prefix}site:demo:report-fact:c_9:opened")]);
    let ttl: u64 = ttl.trim().parse().unwrap();
    assert!(ttl > 399 * 86_400_000 && ttl <= 400 * 86_400_000, "{ttl}");
}
