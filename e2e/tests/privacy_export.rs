//! The GDPR right of access over the API, on both stores: one contact's
//! whole record (identities, timeline, visitors, every conversation with
//! its messages) for the site's key, and nothing for another site's.

use e2e::both_backends;
use e2e::http_get::send;
use e2e::records::ada_chats;
use e2e::relay_harness::{Backend, TestRelay};
use relay::site_admin::new_api_key;
use relay::store::Site;

both_backends!(a_contacts_whole_record_is_exported_for_its_site_only);

async fn export(
    relay: &TestRelay,
    site: &str,
    key: &str,
    contact: &str,
) -> anyhow::Result<(u16, serde_json::Value)> {
    let bearer = format!("Bearer {key}");
    let path = format!("/api/v1/sites/{site}/contacts/{contact}/export");
    let answer = send(
        relay.addr(),
        "GET",
        &path,
        &[("Authorization", &bearer)],
        None,
    )
    .await?;
    Ok((answer.status, serde_json::from_str(&answer.body)?))
}

async fn a_contacts_whole_record_is_exported_for_its_site_only(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (mut visitor, _, conversation, contact) = ada_chats(&relay).await?;
    visitor
        .visitor_say(&conversation, "m2", "it was due on Monday")
        .await?;
    let store = relay.store();
    let key = new_api_key(store.as_ref(), &"demo".into()).await?;
    let (status, record) = export(&relay, "demo", &key, contact.as_str()).await?;
    assert_eq!(status, 200, "{record}");
    assert_eq!(record["contact"]["name"], "Ada");
    let identities = record["contact"]["identities"].to_string();
    assert!(identities.contains("ada@example.com"), "{identities}");
    assert_eq!(record["visitors"].as_array().map(Vec::len), Some(1));
    let chat = &record["conversations"][0];
    assert_eq!(chat["conversation"]["id"], conversation.as_str());
    let texts: Vec<&str> = chat["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(texts, ["parcel 1182 is late", "it was due on Monday"]);
    assert!(record["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .any(|item| item["conversation"] == conversation.as_str()));

    // Another site's key reads nothing of it.
    let mut other = store.site(&"demo".into()).await?.expect("demo");
    other = Site {
        id: "other".into(),
        api_key_hashes: Vec::new(),
        ..other
    };
    store.put_site(&other).await?;
    let other_key = new_api_key(store.as_ref(), &"other".into()).await?;
    let (status, _) = export(&relay, "other", &other_key, contact.as_str()).await?;
    assert_eq!(status, 404);
    let (status, _) = export(&relay, "demo", &other_key, contact.as_str()).await?;
    assert_eq!(status, 401);
    relay.stop().await;
    Ok(())
}
