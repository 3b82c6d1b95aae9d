//! Routing settings as stored: an agent's languages, skills and capacity,
//! and a site's teams, topics and rules.

use e2e::store_subject::Subject;
use relay::store::{AgentRecord, Site, StoreError};
use shared::routing::{AttributeRule, PriorityRules, SiteRouting, Team, Topic};

use super::fixtures::*;

pub(crate) async fn agent_routing_settings_are_stored(s: Subject) {
    let store = s.store.as_ref();
    let a1 = online_agent(store, "a1", 2).await;
    assert_eq!(store.agent(&a1).await.unwrap(), Some(agent("a1", 2)));
    let (languages, skills) = (
        vec!["he".to_owned(), "en".into()],
        vec!["stripe".to_owned()],
    );
    store
        .set_agent_routing(&a1, &languages, &skills, 4)
        .await
        .unwrap();
    let expected = AgentRecord {
        languages: languages.clone(),
        skills: skills.clone(),
        max_concurrent: 4,
        ..agent("a1", 2)
    };
    assert_eq!(store.agent(&a1).await.unwrap(), Some(expected.clone()));
    assert_eq!(store.agents().await.unwrap(), vec![expected.clone()]);
    let snapshot = store.routing_snapshot().await.unwrap();
    let seen = &snapshot.agents[0];
    assert_eq!(
        (&seen.languages, &seen.skills, seen.max_concurrent),
        (&languages, &skills, 4)
    );
    let missing = store.set_agent_routing(&"nobody".into(), &[], &[], 1).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    // Lowering capacity under the load takes nothing away.
    for name in ["1", "2", "3"] {
        let c = waiting_one(store, name).await;
        store.assign(&c, &a1, T0).await.unwrap();
    }
    store
        .set_agent_routing(&a1, &languages, &skills, 1)
        .await
        .unwrap();
    assert_eq!(store.agent_conversations(&a1).await.unwrap().len(), 3);
    let c = waiting_one(store, "4").await;
    assert!(matches!(
        store.assign(&c, &a1, T0).await,
        Err(StoreError::AgentUnavailable)
    ));
    let reopened = s.reopen().await;
    let kept = reopened.store.agent(&a1).await.unwrap().unwrap();
    assert_eq!(
        (kept.languages, kept.skills, kept.max_concurrent),
        (languages, skills, 1)
    );
}

pub(crate) async fn site_routing_settings_are_stored(s: Subject) {
    let store = s.store.as_ref();
    let routing = SiteRouting {
        teams: vec![Team {
            id: "billing".into(),
            name: "Billing".into(),
            members: vec!["a1".into(), "a2".into()],
            hours: None,
            answer_within_secs: Some(90),
        }],
        topics: vec![Topic {
            id: "refunds".into(),
            label: "A refund".into(),
            team: Some("billing".into()),
            skill: Some("stripe".into()),
            url_contains: vec!["/orders".into()],
        }],
        widen_after_secs: 30,
        answer_within_secs: 120,
        offline_grace_secs: 45,
        priority: PriorityRules {
            identified: true,
            attribute: Some(AttributeRule {
                key: "plan".into(),
                value: "vip".into(),
            }),
        },
        offline_form: false,
    };
    let site = Site {
        id: "shop".into(),
        name: "Shop".into(),
        origins: vec!["https://shop.example".into()],
        languages: vec!["en".into()],
        identity_secret: None,
        previous_identity_secret: None,
        previous_secret_until_ms: None,
        api_key_hashes: Vec::new(),
        prechat_form: false,
        hours: None,
        routing,
    };
    store.put_site(&site).await.unwrap();
    assert_eq!(store.site(&site.id).await.unwrap(), Some(site.clone()));
    let reopened = s.reopen().await;
    assert_eq!(reopened.store.site(&site.id).await.unwrap(), Some(site));
}
