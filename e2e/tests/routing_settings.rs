//! Routing settings over the console's socket, on both stores: admins
//! save a site's teams, topics and hours and any agent reads them back;
//! bad settings (a topic naming no team, an unknown time zone, a date
//! that is not one) are refused with a typed error and change nothing;
//! agents' languages, skills and capacity are checked the same way; a
//! non-admin may read but not write. And an agent idle past the setting
//! goes away by itself, and is told so.

use std::time::Duration;

use e2e::both_backends;
use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::hours::{Holiday, OpenSpan, OpeningHours};
use shared::routing::{SiteRouting, Team, Topic};
use shared::{AgentFrame, AgentProfile, ErrorCode, Presence, ServerFrame};

both_backends!(
    admins_save_routing_settings_and_bad_ones_change_nothing,
    an_idle_agent_goes_away_and_is_told,
);

fn settings() -> (SiteRouting, OpeningHours) {
    let routing = SiteRouting {
        teams: vec![Team {
            id: "billing".into(),
            name: "Billing".into(),
            members: vec![],
            hours: None,
            answer_within_secs: Some(90),
        }],
        topics: vec![Topic {
            id: "refunds".into(),
            label: "Refunds".into(),
            team: Some("billing".into()),
            skill: Some("vat".into()),
            url_contains: vec!["/returns".into()],
        }],
        widen_after_secs: 45,
        ..SiteRouting::default()
    };
    let hours = OpeningHours {
        time_zone: "Asia/Tehran".into(),
        spans: vec![
            OpenSpan {
                weekday: 5,
                opens: 9 * 60,
                closes: 13 * 60,
            },
            OpenSpan {
                weekday: 5,
                opens: 14 * 60,
                closes: 18 * 60,
            },
        ],
        holidays: vec![Holiday {
            date: "2027-03-21".into(),
            name: "نوروز".into(),
        }],
        ..OpeningHours::default()
    };
    (routing, hours)
}

async fn save(
    agent: &mut Client,
    routing: &SiteRouting,
    hours: &OpeningHours,
) -> anyhow::Result<ServerFrame> {
    agent
        .send(&AgentFrame::SaveSiteSettings {
            site: "demo".into(),
            routing: Box::new(routing.clone()),
            hours: Some(hours.clone()),
        })
        .await?;
    agent
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::SiteSettings { .. } | ServerFrame::Error { .. }
            )
        })
        .await
}

async fn admins_save_routing_settings_and_bad_ones_change_nothing(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    let (routing, hours) = settings();
    match save(&mut admin, &routing, &hours).await? {
        ServerFrame::SiteSettings {
            routing: saved,
            hours: saved_hours,
            ..
        } => {
            assert_eq!(*saved, routing);
            assert_eq!(saved_hours.as_ref(), Some(&hours));
        }
        other => anyhow::bail!("not saved: {other:?}"),
    }

    let mut bad_topic = routing.clone();
    bad_topic.topics[0].team = Some("nobody".into());
    let mut bad_zone = hours.clone();
    bad_zone.time_zone = "Mars/Olympus".into();
    let mut bad_date = hours.clone();
    bad_date.holidays[0].date = "2027-02-30".into();
    for (routing, hours) in [
        (bad_topic, hours.clone()),
        (routing.clone(), bad_zone),
        (routing.clone(), bad_date),
    ] {
        match save(&mut admin, &routing, &hours).await? {
            ServerFrame::Error { code, .. } => assert_eq!(code, ErrorCode::InvalidFrame),
            other => anyhow::bail!("bad settings saved: {other:?}"),
        }
    }
    let stored = relay.store().site(&"demo".into()).await?.expect("demo");
    assert_eq!(
        (stored.routing, stored.hours),
        (routing.clone(), Some(hours.clone()))
    );

    // Agents' languages, skills and capacity.
    admin
        .add_agent("nika@example.com", "Nika", "nika-password-1")
        .await?;
    let nika = relay
        .store()
        .agent_by_email("nika@example.com")
        .await?
        .expect("added");
    let set = |languages: &[&str], skills: &[&str], max| AgentFrame::SetAgentRouting {
        agent: nika.id.clone(),
        languages: languages.iter().map(|l| (*l).to_owned()).collect(),
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        max_concurrent: max,
    };
    admin.send(&set(&["fa", "en-GB"], &["vat"], 4)).await?;
    let agents: Vec<AgentProfile> = match admin
        .recv_until(|f| matches!(f, ServerFrame::Agents { .. } | ServerFrame::Error { .. }))
        .await?
    {
        ServerFrame::Agents { agents } => agents,
        other => anyhow::bail!("not set: {other:?}"),
    };
    let profile = agents.iter().find(|a| a.id == nika.id).expect("listed");
    assert_eq!(profile.languages, vec!["fa", "en-GB"]);
    assert_eq!(
        (profile.skills.as_slice(), profile.max_concurrent),
        (&["vat".to_owned()][..], 4)
    );
    for bad in [
        set(&["not a tag"], &[], 2),
        set(&[], &["Bad Skill"], 2),
        set(&[], &[], 0),
    ] {
        admin.send(&bad).await?;
        assert_eq!(admin.recv_error().await?, ErrorCode::InvalidFrame);
    }
    admin
        .send(&AgentFrame::SetAgentRouting {
            agent: "a-nobody".into(),
            languages: vec![],
            skills: vec![],
            max_concurrent: 2,
        })
        .await?;
    assert_eq!(admin.recv_error().await?, ErrorCode::UnknownAgent);
    let kept = relay.store().agent(&nika.id).await?.expect("agent");
    assert_eq!((kept.languages.len(), kept.max_concurrent), (2, 4));

    // A non-admin reads the settings but may not change them.
    let mut nika_socket = Client::agent(relay.addr()).await?;
    nika_socket
        .agent_sign_in("nika@example.com", "nika-password-1")
        .await?;
    nika_socket
        .send(&AgentFrame::SiteSettings {
            site: "demo".into(),
        })
        .await?;
    match nika_socket
        .recv_until(|f| matches!(f, ServerFrame::SiteSettings { .. }))
        .await?
    {
        ServerFrame::SiteSettings { routing: read, .. } => assert_eq!(*read, routing),
        _ => unreachable!(),
    }
    let mut wider = routing.clone();
    wider.widen_after_secs = 5;
    match save(&mut nika_socket, &wider, &hours).await? {
        ServerFrame::Error { code, .. } => assert_eq!(code, ErrorCode::Forbidden),
        other => anyhow::bail!("a non-admin saved: {other:?}"),
    }
    relay.stop().await;
    Ok(())
}

async fn an_idle_agent_goes_away_and_is_told(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start_with(backend, |config| {
        config.limits.agent_idle_away_secs = 1;
        config.limits.ping_interval = Duration::from_millis(250);
    })
    .await?;
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin.set_presence(Presence::Online).await?;
    admin
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Presence {
                    presence: Presence::Away
                }
            )
        })
        .await?;
    let status = relay
        .store()
        .agent_status(
            &relay
                .store()
                .agent_by_email(ADMIN_EMAIL)
                .await?
                .expect("admin")
                .id,
        )
        .await?;
    assert_eq!(status.presence, Presence::Away);
    // Choosing Online brings the agent back.
    admin.set_presence(Presence::Online).await?;
    relay.stop().await;
    Ok(())
}
