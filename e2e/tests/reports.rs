//! Reports from scripted conversations (issue 15), on both stores: a
//! Berlin office open Monday to Friday 09:00–17:00, a relay on a manual
//! clock, and conversations whose every step happens at a chosen time —
//! one answered overnight, one over the weekend and across the
//! 2026-03-29 change to summer time, one on a Saturday, a transfer, items
//! from email and phone, one conversation in the period before. The
//! reports API must give exactly the figures worked out by hand below,
//! in wall-clock and in business time, and each CSV the same numbers.

use e2e::both_backends;
use e2e::relay_harness::{Backend, TestRelay};
use e2e::report_script::{api_get, berlin_office, prepare_demo, push_item, utc, Script};
use relay::clock::Clock;
use serde_json::{json, Value};

both_backends!(reports_give_the_figures_worked_out_by_hand);

const KEY: &str = "sbk_test_reports_key_0123456789";
const S: f64 = 1000.0;

/// The report of the week of 23 March 2026 (and the one before).
async fn report(relay: &TestRelay, business_hours: bool) -> anyhow::Result<Value> {
    let (from, to) = (utc(2026, 3, 23, 0, 0, 0), utc(2026, 3, 31, 0, 0, 0));
    let path =
        format!("/api/v1/sites/demo/reports?from={from}&to={to}&business_hours={business_hours}");
    let (status, body) = api_get(relay, KEY, &path).await?;
    assert_eq!(status, 200, "{body}");
    Ok(serde_json::from_str(&body)?)
}

async fn reports_give_the_figures_worked_out_by_hand(backend: Backend) -> anyhow::Result<()> {
    let clock = Clock::manual(utc(2026, 3, 18, 11, 0, 0));
    let relay = TestRelay::start_with(backend, |config| {
        config.limits.clock = clock.clone();
    })
    .await?;
    let [a, b] = prepare_demo(&relay, berlin_office(), KEY, ["ann", "bob"]).await?;
    let mut s = Script::new(&relay, clock.clone());

    // The week before: one chat answered in a minute, closed in five.
    let c0 = s.open(utc(2026, 3, 18, 12, 0, 0)).await?;
    s.assign(&c0, &a, utc(2026, 3, 18, 12, 0, 20)).await?;
    s.reply(&c0, &a, utc(2026, 3, 18, 12, 1, 0)).await?;
    s.close(&c0, &a, utc(2026, 3, 18, 12, 5, 0)).await?;

    // Monday 23 March, winter time (09:30 in Berlin): waits 20 s, answered
    // in 30 s, handed to Bob, who closes it 10 minutes after it opened.
    let c1 = s.open(utc(2026, 3, 23, 8, 30, 0)).await?;
    s.assign(&c1, &a, utc(2026, 3, 23, 8, 30, 20)).await?;
    s.reply(&c1, &a, utc(2026, 3, 23, 8, 30, 30)).await?;
    s.transfer(&c1, &a, &b, utc(2026, 3, 23, 8, 35, 0)).await?;
    s.close(&c1, &b, utc(2026, 3, 23, 8, 40, 0)).await?;
    // 16:50 in Berlin, answered the next morning at 09:10: 16 h 20 min
    // (bucket 64,800 s) of which 20 min are business time.
    let c2 = s.open(utc(2026, 3, 23, 15, 50, 0)).await?;
    s.assign(&c2, &a, utc(2026, 3, 23, 15, 55, 0)).await?;
    s.reply(&c2, &a, utc(2026, 3, 24, 8, 10, 0)).await?;
    // An email in, a call in, and an email out (not volume).
    clock.set(utc(2026, 3, 24, 9, 0, 0));
    push_item(&relay, KEY, "e-1", "email", "in", utc(2026, 3, 24, 9, 0, 0)).await;
    clock.set(utc(2026, 3, 25, 12, 0, 0));
    push_item(
        &relay,
        KEY,
        "p-1",
        "phone",
        "in",
        utc(2026, 3, 25, 12, 0, 0),
    )
    .await;
    push_item(
        &relay,
        KEY,
        "e-2",
        "email",
        "out",
        utc(2026, 3, 25, 12, 30, 0),
    )
    .await;
    // Friday 16:30 in Berlin, answered Monday 09:30 in summer time: 64 h
    // (230,400 s, a bucket bound), of which 30 + 30 min are business time.
    let c3 = s.open(utc(2026, 3, 27, 15, 30, 0)).await?;
    s.assign(&c3, &a, utc(2026, 3, 27, 15, 31, 0)).await?;
    // Saturday: answered in 45 s, closed in 5 min, none of it business time.
    let c4 = s.open(utc(2026, 3, 28, 10, 0, 0)).await?;
    s.assign(&c4, &a, utc(2026, 3, 28, 10, 0, 10)).await?;
    s.reply(&c4, &a, utc(2026, 3, 28, 10, 0, 45)).await?;
    s.close(&c4, &a, utc(2026, 3, 28, 10, 5, 0)).await?;
    // Monday 30 March 09:00 in Berlin is 07:00 UTC now.
    let c5 = s.open(utc(2026, 3, 30, 7, 0, 0)).await?;
    s.assign(&c5, &a, utc(2026, 3, 30, 7, 0, 30)).await?;
    s.reply(&c5, &a, utc(2026, 3, 30, 7, 1, 30)).await?;
    s.close(&c5, &a, utc(2026, 3, 30, 7, 20, 0)).await?;
    s.reply(&c3, &a, utc(2026, 3, 30, 7, 30, 0)).await?;

    let wall = report(&relay, false).await?;
    let o = &wall["overview"];
    let figure = |name: &str| (o[name]["value"].as_f64(), o[name]["previous"].as_f64());
    assert_eq!(figure("conversations"), (Some(7.0), Some(1.0)));
    assert_eq!(o["conversations"]["change_percent"], json!(600.0));
    let volume: Vec<(String, f64)> = o["volume"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|v| {
            (
                v["channel"].as_str().unwrap_or("").to_owned(),
                v["figure"]["value"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    let expected_volume = [
        ("chat", 5.0),
        ("email", 1.0),
        ("phone", 1.0),
        ("sms", 0.0),
        ("social", 0.0),
        ("web_form", 0.0),
    ];
    let expected_volume: Vec<(String, f64)> = expected_volume
        .iter()
        .map(|(c, n)| ((*c).to_owned(), *n))
        .collect();
    assert_eq!(volume, expected_volume);
    // First responses 30, 45, 90, 64,800 and 230,400 s (as read).
    assert_eq!(
        figure("first_response_p50_ms"),
        (Some(90.0 * S), Some(60.0 * S))
    );
    assert_eq!(figure("first_response_p90_ms").0, Some(230_400.0 * S));
    // Resolutions 300, 600, 1,200 s; waits 10, 20, 30, 60, 300 s;
    // handling 290, 300 (Bob's, since the transfer), 1,170 (bucket 1,200) s.
    assert_eq!(
        figure("resolution_p50_ms"),
        (Some(600.0 * S), Some(300.0 * S))
    );
    assert_eq!(figure("resolution_p90_ms").0, Some(1_200.0 * S));
    assert_eq!(figure("wait_p50_ms"), (Some(30.0 * S), Some(20.0 * S)));
    assert_eq!(figure("wait_p90_ms").0, Some(300.0 * S));
    assert_eq!(figure("handling_p50_ms").0, Some(300.0 * S));
    assert_eq!(figure("transfers"), (Some(1.0), Some(0.0)));
    assert_eq!(figure("messages_in"), (Some(5.0), Some(1.0)));
    assert_eq!(figure("messages_out"), (Some(5.0), Some(1.0)));
    assert_eq!(buckets(&wall), [2, 1, 0, 0, 2]);

    // Volume by Berlin weekday and hour: both Mondays at 09:00 local,
    // though one is 08:00 UTC and the other 07:00 UTC.
    let mut heat = [[0u64; 24]; 7];
    for (day, hour, n) in [
        (0, 9, 2),
        (0, 16, 1),
        (1, 10, 1),
        (2, 13, 1),
        (4, 16, 1),
        (5, 11, 1),
    ] {
        heat[day][hour] = n;
    }
    assert_eq!(wall["heat_map"]["counts"], json!(heat));
    assert_eq!(wall["period"]["time_zone"], json!("Europe/Berlin"));

    let agents = wall["by_agent"].as_array().cloned().unwrap_or_default();
    let row = |i: usize, field: &str| agents.get(i).map(|r| r[field].clone());
    assert_eq!(agents.len(), 2, "{agents:?}");
    assert_eq!(
        (row(0, "agent"), row(0, "conversations")),
        (Some(json!("ann")), Some(json!(5)))
    );
    assert_eq!(
        (row(0, "resolved"), row(0, "messages_out")),
        (Some(json!(2)), Some(json!(5)))
    );
    assert_eq!(
        (row(1, "agent"), row(1, "resolved")),
        (Some(json!("bob")), Some(json!(1)))
    );

    // Business time: 30, 1,200, 3,600, 0 and 90 s to answer; the
    // Saturday chat took no business time to resolve.
    let business = report(&relay, true).await?;
    let b = &business["overview"];
    assert_eq!(b["first_response_p50_ms"]["value"].as_f64(), Some(90.0 * S));
    assert_eq!(
        b["first_response_p90_ms"]["value"].as_f64(),
        Some(3_600.0 * S)
    );
    assert_eq!(b["resolution_p50_ms"]["value"].as_f64(), Some(600.0 * S));
    assert_eq!(
        b["conversations"], o["conversations"],
        "counts are the same"
    );
    assert_eq!(buckets(&business), [2, 1, 0, 2, 0]);

    csv_matches_json(&relay, &wall).await?;
    refusals(&relay).await?;
    relay.stop().await;
    Ok(())
}

/// The first-response distribution's counts, in order.
fn buckets(report: &Value) -> Vec<u64> {
    let rows = report["first_response_buckets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    rows.iter()
        .map(|r| r["count"].as_u64().unwrap_or(u64::MAX))
        .collect()
}

/// Each CSV table says what the JSON says.
async fn csv_matches_json(relay: &TestRelay, wall: &Value) -> anyhow::Result<()> {
    let (from, to) = (utc(2026, 3, 23, 0, 0, 0), utc(2026, 3, 31, 0, 0, 0));
    let csv = |table: &str| format!("/api/v1/sites/demo/reports/{table}.csv?from={from}&to={to}");
    let (status, overview) = api_get(relay, KEY, &csv("overview")).await?;
    assert_eq!(status, 200, "{overview}");
    let lines: Vec<Vec<&str>> = overview.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(lines[0], ["figure", "value", "previous", "change_percent"]);
    let cell = |name: &str| {
        lines
            .iter()
            .find(|l| l[0] == name)
            .map(|l| l[1].parse::<f64>().ok())
    };
    for name in [
        "conversations",
        "first_response_p50_ms",
        "first_response_p90_ms",
        "resolution_p50_ms",
        "transfers",
    ] {
        assert_eq!(
            cell(name),
            Some(wall["overview"][name]["value"].as_f64()),
            "{name}"
        );
    }
    assert_eq!(cell("volume_email"), Some(Some(1.0)));
    let (_, heat) = api_get(relay, KEY, &csv("heat_map")).await?;
    let monday: Vec<&str> = heat.lines().nth(1).unwrap_or("").split(',').collect();
    assert_eq!((monday[0], monday[10], monday[17]), ("Monday", "2", "1"));
    let (_, first) = api_get(relay, KEY, &csv("first_response")).await?;
    let counts: Vec<u64> = first
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1)?.parse().ok())
        .collect();
    assert_eq!(counts, buckets(wall));
    let (_, agents) = api_get(relay, KEY, &csv("agents")).await?;
    assert!(
        agents.lines().any(|l| l.starts_with("ann,ann,5,2,")),
        "{agents}"
    );
    Ok(())
}

/// Bad input gets a clear, typed error.
async fn refusals(relay: &TestRelay) -> anyhow::Result<()> {
    let base = "/api/v1/sites/demo/reports";
    for (path, key, status, code) in [
        (format!("{base}?from=10&to=5"), KEY, 400, "invalid_request"),
        (format!("{base}?from=ten&to=5"), KEY, 400, "invalid_request"),
        (format!("{base}?to=5"), KEY, 400, "invalid_request"),
        (format!("{base}/pie.csv?from=0&to=5"), KEY, 404, "not_found"),
        (
            format!("{base}/overview.txt?from=0&to=5"),
            KEY,
            404,
            "not_found",
        ),
        (
            format!("{base}?from=0&to=5"),
            "sbk_wrong",
            401,
            "unauthorized",
        ),
        (
            "/api/v1/sites/other/reports?from=0&to=5".to_owned(),
            KEY,
            401,
            "unauthorized",
        ),
    ] {
        let (got, body) = api_get(relay, key, &path).await?;
        let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{path}: {body}"
        );
    }
    Ok(())
}
