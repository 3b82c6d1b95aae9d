//! The report roll-ups' store contract (issue 15), run against the
//! embedded store and the Redis store alike: a fact counts once however
//! many nodes record it at once, cells add up per (hour, agent, channel,
//! field), a period reads exactly its hours, sites are kept apart, any
//! agent or channel string reads back as written, and a period with
//! nothing in it is empty.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use e2e::store_cases;
use e2e::store_subject::Subject;
use relay::reports::facts::{Cell, HOUR_MS};
use relay::store::Store;
use shared::SiteId;

store_cases!(
    on_a_cluster_too:
    a_fact_counts_once_however_many_record_it,
    cells_add_up_per_hour_agent_channel_and_field,
    a_period_reads_exactly_its_hours,
    sites_are_kept_apart,
    unusual_agents_and_channels_read_back,
    nothing_recorded_reads_empty,
    sums_outlive_a_restart,
);

/// 2026-03-02 00:00 UTC, a Monday.
const T0: u64 = 1_772_409_600_000;

fn cell(hour: u64, agent: &str, channel: &str, field: &str, value: u64) -> Cell {
    Cell {
        hour_ms: T0 + hour * HOUR_MS,
        agent: agent.into(),
        channel: channel.into(),
        field: field.into(),
        value,
    }
}

fn site(id: &str) -> SiteId {
    SiteId::from(id)
}

async fn all(store: &dyn Store, site_id: &str) -> Vec<Cell> {
    store
        .rollup(&site(site_id), T0, T0 + 1_000 * HOUR_MS)
        .await
        .unwrap()
}

async fn a_fact_counts_once_however_many_record_it(s: Subject) {
    let store: Arc<dyn Store> = Arc::clone(&s.store);
    let cells = vec![
        cell(0, "a1", "chat", "opened", 1),
        cell(0, "a1", "chat", "wait_ms", 5_000),
    ];
    let racers: Vec<_> = (0..16)
        .map(|_| {
            let (store, cells) = (Arc::clone(&store), cells.clone());
            tokio::spawn(async move {
                store
                    .record_fact(&site("demo"), "c_1:opened", &cells)
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
    assert_eq!(all(store.as_ref(), "demo").await, cells);
    let again = store
        .record_fact(
            &site("demo"),
            "c_1:opened",
            &[cell(0, "a1", "chat", "opened", 9)],
        )
        .await
        .unwrap();
    assert!(!again, "a key seen before changes nothing");
    assert_eq!(all(store.as_ref(), "demo").await, cells);
}

async fn cells_add_up_per_hour_agent_channel_and_field(s: Subject) {
    let store = s.store.as_ref();
    let demo = site("demo");
    let facts = [
        ("c_1:opened", vec![cell(1, "", "chat", "opened", 1)]),
        ("c_2:opened", vec![cell(1, "", "chat", "opened", 1)]),
        ("item:it_1", vec![cell(1, "", "email", "opened", 1)]),
        (
            "c_1:first_response",
            vec![
                cell(1, "a1", "chat", "first_response_ms", 40_000),
                cell(1, "a1", "chat", "first_responses", 1),
            ],
        ),
        (
            "c_2:first_response",
            vec![
                cell(1, "a1", "chat", "first_response_ms", 2_000),
                cell(1, "a1", "chat", "first_responses", 1),
            ],
        ),
        (
            "c_3:first_response",
            vec![cell(1, "a2", "chat", "first_responses", 1)],
        ),
        ("c_1:msg:1", vec![cell(2, "a1", "chat", "messages_out", 1)]),
    ];
    for (key, cells) in &facts {
        assert!(store.record_fact(&demo, key, cells).await.unwrap(), "{key}");
    }
    let expected = vec![
        cell(1, "", "chat", "opened", 2),
        cell(1, "", "email", "opened", 1),
        cell(1, "a1", "chat", "first_response_ms", 42_000),
        cell(1, "a1", "chat", "first_responses", 2),
        cell(1, "a2", "chat", "first_responses", 1),
        cell(2, "a1", "chat", "messages_out", 1),
    ];
    assert_eq!(all(store, "demo").await, expected);
}

async fn a_period_reads_exactly_its_hours(s: Subject) {
    let store = s.store.as_ref();
    let demo = site("demo");
    for hour in 0..48 {
        let cells = [cell(hour, "", "chat", "opened", hour + 1)];
        let key = format!("c_{hour}:opened");
        assert!(store.record_fact(&demo, &key, &cells).await.unwrap());
    }
    let read = |from: u64, to: u64| store.rollup(&demo, T0 + from * HOUR_MS, T0 + to * HOUR_MS);
    let day_two = read(24, 48).await.unwrap();
    assert_eq!(day_two.len(), 24);
    assert_eq!(
        day_two.first().unwrap(),
        &cell(24, "", "chat", "opened", 25)
    );
    assert_eq!(day_two.last().unwrap(), &cell(47, "", "chat", "opened", 48));
    let one = read(5, 6).await.unwrap();
    assert_eq!(
        one,
        vec![cell(5, "", "chat", "opened", 6)],
        "the end is excluded"
    );
    assert!(read(7, 7).await.unwrap().is_empty());
    assert!(read(48, 200).await.unwrap().is_empty());
    let before = store.rollup(&demo, T0 - 100 * HOUR_MS, T0 + HOUR_MS).await;
    assert_eq!(before.unwrap(), vec![cell(0, "", "chat", "opened", 1)]);
    let year = store.rollup(&demo, T0 - 366 * 24 * HOUR_MS, T0 + 2 * HOUR_MS);
    assert_eq!(
        year.await.unwrap().len(),
        2,
        "a year's range reads in one go"
    );
}

async fn sites_are_kept_apart(s: Subject) {
    let store = s.store.as_ref();
    let mine = [cell(0, "a1", "chat", "opened", 1)];
    let theirs = [cell(0, "a1", "chat", "opened", 7)];
    assert!(store
        .record_fact(&site("one"), "c_1:opened", &mine)
        .await
        .unwrap());
    assert!(
        store
            .record_fact(&site("two"), "c_1:opened", &theirs)
            .await
            .unwrap(),
        "the same key on another site is another fact"
    );
    assert_eq!(all(store, "one").await, mine.to_vec());
    assert_eq!(all(store, "two").await, theirs.to_vec());
    assert!(all(store, "three").await.is_empty());
}

async fn unusual_agents_and_channels_read_back(s: Subject) {
    let store = s.store.as_ref();
    let demo = site("demo");
    let odd = vec![
        cell(0, "a|b", "chat|x", "opened", 1),
        cell(0, "a", "b|chat", "x|opened", 2),
        cell(0, "a%7Cb", "100%", "opened", 3),
        cell(0, "ש:אגנט", "", "opened", 4),
    ];
    for (i, c) in odd.iter().enumerate() {
        let key = format!("odd|{i}:key with spaces");
        assert!(store
            .record_fact(&demo, &key, std::slice::from_ref(c))
            .await
            .unwrap());
    }
    let mut expected = odd.clone();
    expected.sort();
    assert_eq!(all(store, "demo").await, expected);
}

async fn nothing_recorded_reads_empty(s: Subject) {
    let store = s.store.as_ref();
    assert!(all(store, "demo").await.is_empty());
    let counted = store.record_fact(&site("demo"), "c_1:nothing", &[]).await;
    assert!(
        counted.unwrap(),
        "a fact without cells still counts its key"
    );
    assert!(!store
        .record_fact(&site("demo"), "c_1:nothing", &[])
        .await
        .unwrap());
    assert!(all(store, "demo").await.is_empty());
    assert!(store.rollup(&site("demo"), 0, 0).await.unwrap().is_empty());
}

async fn sums_outlive_a_restart(s: Subject) {
    let cells = [cell(3, "a1", "sms", "opened", 1)];
    assert!(s
        .store
        .record_fact(&site("demo"), "item:1", &cells)
        .await
        .unwrap());
    let s = s.reopen().await;
    assert_eq!(all(s.store.as_ref(), "demo").await, cells.to_vec());
    let again = s.store.record_fact(&site("demo"), "item:1", &cells).await;
    assert!(!again.unwrap(), "the key is remembered across a restart");
}

/// The documented Redis layout: one hash per site and hour, fields
/// `agent|channel|field`, and the fact key expiring after 400 days.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_layout_is_as_documented() {
    let s = Subject::redis("report_layout").await;
    let (server, prefix) = s.redis.clone().unwrap();
    let cells = [
        cell(2, "a1", "chat", "opened", 1),
        cell(2, "a|1", "chat", "opened", 1),
    ];
    assert!(s
        .store
        .record_fact(&site("demo"), "c_9:opened", &cells)
        .await
        .unwrap());
    let hour = T0 + 2 * HOUR_MS;
    let hash = server
        .cli(&["HGETALL", &format!("{prefix}site:demo:report:{hour}")])
        .unwrap();
    let lines: Vec<&str> = hash.lines().collect();
    assert!(lines.contains(&"a1|chat|opened"), "{hash}");
    assert!(lines.contains(&"a%7C1|chat|opened"), "{hash}");
    let ttl = server
        .cli(&["PTTL", &format!("{prefix}site:demo:report-fact:c_9:opened")])
        .unwrap();
    let ttl: u64 = ttl.trim().parse().unwrap();
    assert!(ttl > 399 * 86_400_000 && ttl <= 400 * 86_400_000, "{ttl}");
}
