//! Opening hours in a named time zone, on both stores, with the relay's
//! clock set by the test: a Berlin team is open at 09:00 Berlin time on
//! either side of the March daylight-saving change (07:00 UTC after it,
//! 08:00 UTC before), closed on its Christmas holiday (the widget is told
//! the holiday's name and the next opening after it), and open on a
//! Sunday its exception opens. What the visitor learns in `welcome`
//! (availability) and in the acknowledgement (away, back at) agree.

use std::time::Duration;

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay};
use relay::clock::Clock;
use shared::hours::{DayException, Holiday, OpeningHours, TimeSpan};
use shared::routing::Availability;
use shared::ServerFrame;

both_backends!(hours_follow_the_zone_across_dst_holidays_and_exceptions);

/// Unix ms of a UTC date and time, to the minute.
fn utc(year: i64, month: i64, day: i64, hour: u64, minute: u64) -> u64 {
    e2e::report_script::utc(year, month, day, hour, minute, 0)
}

fn berlin_office() -> OpeningHours {
    OpeningHours {
        holidays: vec![Holiday {
            date: "2026-12-25".into(),
            name: "Christmas Day".into(),
        }],
        exceptions: vec![DayException {
            date: "2026-12-27".into(),
            spans: vec![TimeSpan {
                opens: 10 * 60,
                closes: 14 * 60,
            }],
        }],
        ..OpeningHours::weekdays("Europe/Berlin", 9 * 60, 17 * 60)
    }
}

/// What a new visitor is told at the relay's current time.
async fn availability(relay: &TestRelay) -> anyhow::Result<Availability> {
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.send_visitor_hello(None, vec![]).await?;
    match visitor.recv().await? {
        ServerFrame::Welcome { availability, .. } => Ok(availability),
        other => anyhow::bail!("expected welcome, got {other:?}"),
    }
}

async fn hours_follow_the_zone_across_dst_holidays_and_exceptions(
    backend: Backend,
) -> anyhow::Result<()> {
    let clock = Clock::manual(utc(2026, 3, 27, 7, 30));
    let relay = TestRelay::start_with(backend, |config| {
        config.limits.clock = clock.clone();
    })
    .await?;
    let store = relay.store();
    let mut site = store.site(&"demo".into()).await?.expect("demo site");
    site.hours = Some(berlin_office());
    store.put_site(&site).await?;

    // Friday 27 March, winter time (UTC+1): 07:30 UTC is 08:30 in Berlin.
    let before = availability(&relay).await?;
    assert!(!before.open, "{before:?}");
    assert_eq!(before.opens_at_ms, Some(utc(2026, 3, 27, 8, 0)));
    assert!(before.offline_form, "closed: the form is offered");
    clock.set(utc(2026, 3, 27, 8, 0));
    assert!(availability(&relay).await?.open);

    // Monday 30 March, summer time (UTC+2) since Sunday: 07:30 UTC is
    // 09:30 in Berlin, and the day opened at 07:00 UTC.
    clock.set(utc(2026, 3, 30, 6, 59));
    let early = availability(&relay).await?;
    assert_eq!(early.opens_at_ms, Some(utc(2026, 3, 30, 7, 0)));
    clock.set(utc(2026, 3, 30, 7, 30));
    assert!(availability(&relay).await?.open);

    // Christmas Day, a Friday: closed all day though it is a weekday; the
    // next opening skips the weekend but not the Sunday exception.
    clock.set(utc(2026, 12, 25, 10, 0));
    let holiday = availability(&relay).await?;
    assert!(!holiday.open);
    assert_eq!(holiday.opens_at_ms, Some(utc(2026, 12, 27, 9, 0)));
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let ack = visitor.start_acknowledged(None).await?;
    let away = ack.away.expect("closed on the holiday");
    assert_eq!(away.holiday.as_deref(), Some("Christmas Day"));
    assert_eq!(away.opens_at_ms, Some(utc(2026, 12, 27, 9, 0)));

    // Sunday 27 December, the exception: 10:00–14:00 Berlin (09–13 UTC).
    clock.set(utc(2026, 12, 27, 12, 59));
    assert!(availability(&relay).await?.open);
    clock.set(utc(2026, 12, 27, 13, 0));
    let after = availability(&relay).await?;
    assert!(!after.open);
    assert_eq!(after.opens_at_ms, Some(utc(2026, 12, 28, 8, 0)));
    tokio::time::sleep(Duration::from_millis(10)).await;
    relay.stop().await;
    Ok(())
}
