//! `switchboard site` and `switchboard agent` as an operator runs them,
//! against a stopped relay's data directory: a time zone, holidays and
//! exceptions, a team with members and its own hours, topics and the
//! routing deadlines land in the stored site (read back through the
//! store), old `--utc-offset` scripts keep working, an agent's languages,
//! skills and capacity land in its record, and a mistake changes nothing
//! and says what was expected.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Output;

use relay::agents::{create_agent, NewAgent};
use relay::store::sqlite::SqliteStore;
use relay::store::{Site, Store};
use shared::hours::OpeningHours;

/// Runs `switchboard ARGS` on the data directory `data`.
fn switchboard(data: &Path, args: &[&str]) -> anyhow::Result<Output> {
    Ok(
        std::process::Command::new(e2e::cluster::switchboard_binary()?)
            .env("SWITCHBOARD_DATA", data)
            .env_remove("REDIS_URL")
            .env_remove("REDIS_SENTINELS")
            .args(args)
            .output()?,
    )
}

fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn failed(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn site(id: &str) -> Site {
    Site {
        id: id.into(),
        name: id.into(),
        origins: vec![],
        languages: vec!["en".into()],
        identity_secret: None,
        previous_identity_secret: None,
        previous_secret_until_ms: None,
        api_key_hashes: vec![],
        prechat_form: false,
        hours: None,
        routing: Default::default(),
    }
}

/// Two sites and two agents, then the store is closed for the CLI.
async fn seed(data: &Path) -> anyhow::Result<()> {
    let store = SqliteStore::open(data, 16)?;
    store.put_site(&site("shop")).await?;
    store.put_site(&site("legacy")).await?;
    for email in ["ana@shop.test", "bo@shop.test"] {
        create_agent(
            &store,
            NewAgent {
                email: email.into(),
                name: email.into(),
                password: "correct horse battery".into(),
                max_concurrent: 3,
                admin: false,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    Ok(())
}

/// The site as stored (opening the store only while reading).
async fn stored(data: &Path, id: &str) -> anyhow::Result<Site> {
    let store = SqliteStore::open(data, 16)?;
    Ok(store.site(&id.into()).await?.unwrap())
}

/// Instants the stored schedule is asked about, in Unix milliseconds.
const CHRISTMAS_11_BERLIN: u64 = 1_798_192_800_000; // 2026-12-25T10:00Z
const SUNDAY_27TH_10_BERLIN: u64 = 1_798_362_000_000; // 2026-12-27T09:00Z
const MONDAY_28TH_09_BERLIN: u64 = 1_798_444_800_000; // 2026-12-28T08:00Z

fn zone_and_calendar(hours: &OpeningHours) {
    assert_eq!(hours.time_zone, "Europe/Berlin");
    assert_eq!(hours.utc_offset_minutes, 0);
    let holidays: Vec<(&str, &str)> = hours
        .holidays
        .iter()
        .map(|h| (h.date.as_str(), h.name.as_str()))
        .collect();
    assert_eq!(
        holidays,
        [
            ("2026-12-25", "Christmas Day"),
            ("2026-12-26", "Boxing Day")
        ]
    );
    let exceptions: Vec<(&str, usize)> = hours
        .exceptions
        .iter()
        .map(|e| (e.date.as_str(), e.spans.len()))
        .collect();
    assert_eq!(exceptions, [("2026-12-24", 0), ("2026-12-27", 1)]);
}

#[tokio::test]
async fn site_and_agent_settings_from_the_command_line() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path();
    seed(data).await?;

    let out = succeeded(&switchboard(
        data,
        &[
            "site",
            "--site",
            "shop",
            "--hours",
            "mon-fri 09:00-17:00",
            "--time-zone",
            "europe/berlin",
            "--holiday",
            "2026-12-26 Boxing Day",
            "--holiday",
            "2026-12-25 Christmas Day",
            "--exception",
            "2026-12-27 10:00-14:00",
            "--exception",
            "2026-12-24 closed",
            "--team",
            "billing:Billing",
            "--team",
            "sales:Sales",
            "--team-members",
            "billing=ana@shop.test, BO@shop.test",
            "--team-hours",
            "billing=mon-sat 08:00-20:00",
            "--topic",
            "refunds:Refunds and returns:billing:vat",
            "--topic",
            "pricing:Prices and plans:sales",
            "--topic-url",
            "pricing=/pricing",
            "--widen-after",
            "30",
            "--answer-within",
            "90",
            "--offline-grace",
            "120",
            "--priority-identified",
            "on",
            "--priority-attribute",
            "plan=vip",
            "--offline-form",
            "off",
        ],
    )?);
    assert!(out.contains("site shop: pre-chat form off"), "{out}");
    assert!(out.contains(r#""time_zone":"Europe/Berlin""#), "{out}");
    assert!(out.contains(r#""id":"billing""#), "{out}");

    let shop = stored(data, "shop").await?;
    let hours = shop.hours.as_ref().unwrap();
    assert_eq!(hours.spans.len(), 5);
    zone_and_calendar(hours);
    let routing = &shop.routing;
    let billing = routing.team("billing").unwrap();
    assert_eq!(billing.members.len(), 2);
    let team_hours = billing.hours.as_ref().unwrap();
    assert_eq!(team_hours.spans.len(), 6);
    zone_and_calendar(team_hours);
    let refunds = routing.topic("refunds").unwrap();
    assert_eq!(
        (refunds.team.as_deref(), refunds.skill.as_deref()),
        (Some("billing"), Some("vat"))
    );
    assert_eq!(routing.topic("pricing").unwrap().url_contains, ["/pricing"]);
    assert_eq!(
        (
            routing.widen_after_secs,
            routing.answer_within_secs,
            routing.offline_grace_secs
        ),
        (30, 90, 120)
    );
    assert!(routing.priority.identified);
    assert_eq!(routing.priority.attribute.as_ref().unwrap().key, "plan");
    assert!(!routing.offline_form);
    // The stored schedule decides in Berlin time (CET, +01:00): closed on
    // Christmas, open on Monday the 28th from 09:00 (08:00 UTC).
    use relay::opening_hours::{holiday, is_open, next_opening_ms};
    assert!(!is_open(hours, CHRISTMAS_11_BERLIN));
    assert_eq!(
        holiday(hours, CHRISTMAS_11_BERLIN).as_deref(),
        Some("Christmas Day")
    );
    // The exception opens Sunday the 27th, 10:00-14:00.
    assert_eq!(
        next_opening_ms(hours, CHRISTMAS_11_BERLIN),
        Some(SUNDAY_27TH_10_BERLIN)
    );
    assert!(is_open(hours, MONDAY_28TH_09_BERLIN));

    // Mistakes change nothing and say what was expected.
    let mistakes: [(&[&str], &str); 6] = [
        (&["--time-zone", "Mars/Olympus_Mons"], "Europe/Berlin"),
        (&["--holiday", "2026-02-30 Never"], "YYYY-MM-DD"),
        (&["--holiday", "Christmas"], "YYYY-MM-DD NAME"),
        (&["--team-members", "billing=nobody@shop.test"], "no agent"),
        (&["--remove-team", "billing"], "topic \"refunds\""),
        (&["--topic", "refunds:Refunds"], "ID:LABEL:TEAM[:SKILL]"),
    ];
    for (flags, message) in mistakes {
        let mut args = vec!["site", "--site", "shop", "--offline-form", "on"];
        args.extend_from_slice(flags);
        let error = failed(&switchboard(data, &args)?);
        assert!(error.contains(message), "{flags:?}: {error}");
    }
    assert_eq!(stored(data, "shop").await?, shop);

    // Removing and clearing.
    succeeded(&switchboard(
        data,
        &[
            "site",
            "--site",
            "shop",
            "--remove-topic",
            "pricing",
            "--remove-team",
            "sales",
            "--clear-holidays",
            "--no-priority-attribute",
            "--team-hours",
            "billing=site",
        ],
    )?);
    let shop = stored(data, "shop").await?;
    assert!(shop.routing.team("sales").is_none());
    assert!(shop.routing.topic("pricing").is_none());
    assert!(shop.routing.team("billing").unwrap().hours.is_none());
    assert!(shop.hours.as_ref().unwrap().holidays.is_empty());
    assert_eq!(shop.routing.priority.attribute, None);

    // Old scripts: a fixed offset, no zone.
    let out = succeeded(&switchboard(
        data,
        &[
            "site",
            "--site",
            "legacy",
            "--hours",
            "mon-fri 09:00-17:00",
            "--utc-offset",
            "-05:00",
        ],
    )?);
    assert!(out.contains(r#""utc_offset_minutes":-300"#), "{out}");
    let legacy = stored(data, "legacy").await?.hours.unwrap();
    assert!(legacy.time_zone.is_empty());

    // An agent's routing.
    let out = succeeded(&switchboard(
        data,
        &[
            "agent",
            "--email",
            "Ana@shop.test",
            "--languages",
            "fa,en",
            "--skills",
            "vat",
            "--capacity",
            "4",
        ],
    )?);
    assert!(
        out.contains("languages fa,en; skills vat; capacity 4"),
        "{out}"
    );
    let error = failed(&switchboard(
        data,
        &["agent", "--email", "ana@shop.test", "--capacity", "0"],
    )?);
    assert!(error.contains("capacity must be 1 to"), "{error}");
    let store = SqliteStore::open(data, 16)?;
    let ana = store.agent_by_email("ana@shop.test").await?.unwrap();
    assert_eq!(ana.languages, ["fa", "en"]);
    assert_eq!(ana.skills, ["vat"]);
    assert_eq!(ana.max_concurrent, 4);
    Ok(())
}
