//! The GDPR right to erasure through the relay, on both stores: over the
//! API with the site's key (`DELETE .../contacts/{id}`, then the audit log
//! says so), and in the console's protocol for admins only (export, then
//! erase). The visitor who chatted still has their conversation, with
//! every message replaced by the erased marker.

use e2e::both_backends;
use e2e::client::Client;
use e2e::http_get::send;
use e2e::records::ada_chats;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use relay::site_admin::new_api_key;
use relay::store::erasure::ERASED_TEXT;
use relay::store::Site;
use shared::{AgentFrame, ErrorCode, ServerFrame};

both_backends!(
    an_integration_erases_a_contact_of_its_site_and_the_audit_log_says_so,
    only_admins_export_and_erase_in_the_console,
);

async fn api(
    relay: &TestRelay,
    method: &str,
    path: &str,
    key: &str,
) -> anyhow::Result<(u16, serde_json::Value)> {
    let bearer = format!("Bearer {key}");
    let answer = send(
        relay.addr(),
        method,
        path,
        &[("Authorization", &bearer)],
        None,
    )
    .await?;
    let body = serde_json::from_str(&answer.body).unwrap_or(serde_json::Value::Null);
    Ok((answer.status, body))
}

/// The texts the visitor's next hello replays.
async fn texts_seen_again(relay: &TestRelay, token: &str) -> anyhow::Result<Vec<String>> {
    let mut again = Client::demo_visitor(relay.addr()).await?;
    let welcome = again.visitor_hello(Some(token), vec![]).await?;
    let conversation = welcome.conversations.first().expect("the chat").id.clone();
    again
        .send(&shared::VisitorFrame::Resume(shared::ResumePoint {
            conversation,
            after_seq: 0,
        }))
        .await?;
    let ServerFrame::Message(first) = again
        .recv_until(|f| matches!(f, ServerFrame::Message(_)))
        .await?
    else {
        unreachable!()
    };
    Ok(vec![first.text])
}

async fn an_integration_erases_a_contact_of_its_site_and_the_audit_log_says_so(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (_visitor, token, _, contact) = ada_chats(&relay).await?;
    let store = relay.store();
    let key = new_api_key(store.as_ref(), &"demo".into()).await?;
    let other = Site {
        id: "other".into(),
        api_key_hashes: Vec::new(),
        ..store.site(&"demo".into()).await?.expect("demo")
    };
    store.put_site(&other).await?;
    let other_key = new_api_key(store.as_ref(), &"other".into()).await?;
    let path = format!("/api/v1/sites/demo/contacts/{contact}");

    // Another site's key, a wrong site in the path, no such contact: refused, nothing erased.
    assert_eq!(api(&relay, "DELETE", &path, &other_key).await?.0, 401);
    let elsewhere = format!("/api/v1/sites/other/contacts/{contact}");
    assert_eq!(api(&relay, "DELETE", &elsewhere, &other_key).await?.0, 404);
    let ghost = "/api/v1/sites/demo/contacts/ct_nobody";
    assert_eq!(api(&relay, "DELETE", ghost, &key).await?.0, 404);
    assert!(store.contact(&contact).await?.is_some());

    let (status, erased) = api(&relay, "DELETE", &path, &key).await?;
    assert_eq!(status, 200, "{erased}");
    assert_eq!(erased["contact"], contact.as_str());
    assert_eq!(erased["messages_redacted"], 1, "{erased}");
    assert!(store.contact(&contact).await?.is_none());
    assert_eq!(api(&relay, "GET", &path, &key).await?.0, 404);
    assert_eq!(api(&relay, "DELETE", &path, &key).await?.0, 404);

    let (status, audit) = api(&relay, "GET", "/api/v1/sites/demo/audit", &key).await?;
    assert_eq!(status, 200, "{audit}");
    let entries = audit["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["action"], "contact_erased");
    assert_eq!(entries[0]["by"], "api");
    assert_eq!(entries[0]["subject"], contact.as_str());
    let (_, theirs) = api(&relay, "GET", "/api/v1/sites/other/audit", &other_key).await?;
    assert_eq!(theirs["entries"].as_array().map(Vec::len), Some(0));

    assert_eq!(texts_seen_again(&relay, &token).await?, [ERASED_TEXT]);
    relay.stop().await;
    Ok(())
}

async fn only_admins_export_and_erase_in_the_console(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (_visitor, token, _, contact) = ada_chats(&relay).await?;
    let mut admin = Client::agent(relay.addr()).await?;
    admin.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    admin
        .add_agent("bo@example.com", "Bo", "bo-password-1")
        .await?;
    let mut bo = Client::agent(relay.addr()).await?;
    bo.agent_sign_in("bo@example.com", "bo-password-1").await?;
    for frame in [
        AgentFrame::ExportContact {
            contact: contact.clone(),
        },
        AgentFrame::EraseContact {
            contact: contact.clone(),
        },
    ] {
        bo.send(&frame).await?;
        assert_eq!(bo.recv_error().await?, ErrorCode::Forbidden);
    }

    admin
        .send(&AgentFrame::ExportContact {
            contact: contact.clone(),
        })
        .await?;
    let ServerFrame::ContactExport(export) = admin
        .recv_until(|f| matches!(f, ServerFrame::ContactExport(_) | ServerFrame::Error { .. }))
        .await?
    else {
        anyhow::bail!("no export")
    };
    assert_eq!(export.contact.id, contact);
    assert_eq!(
        export.conversations[0].messages[0].text,
        "parcel 1182 is late"
    );

    admin
        .send(&AgentFrame::EraseContact {
            contact: contact.clone(),
        })
        .await?;
    let ServerFrame::ContactErased(erased) = admin
        .recv_until(|f| matches!(f, ServerFrame::ContactErased(_) | ServerFrame::Error { .. }))
        .await?
    else {
        anyhow::bail!("not erased")
    };
    assert_eq!(
        (erased.contact.clone(), erased.messages_redacted),
        (contact.clone(), 1)
    );
    let log = relay.store().audit_log(&"demo".into(), 10).await?;
    assert!(log[0].by.starts_with("agent:"), "{log:?}");
    admin
        .send(&AgentFrame::EraseContact {
            contact: contact.clone(),
        })
        .await?;
    assert_eq!(admin.recv_error().await?, ErrorCode::NotFound);
    assert_eq!(texts_seen_again(&relay, &token).await?, [ERASED_TEXT]);
    relay.stop().await;
    Ok(())
}
