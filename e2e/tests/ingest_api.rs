//! The integrators' REST API over real HTTP, on both stores: every channel
//! lands on the timeline, pushes are idempotent, unverified claims never
//! attach to someone else's record, cases are found by code, and every bad
//! request gets a typed error and changes nothing.

use e2e::both_backends;
use e2e::http_get::send;
use e2e::relay_harness::{Backend, TestRelay};
use relay::secrets::token_hash;
use relay::store::Site;
use serde_json::{json, Value};

both_backends!(
    every_channel_lands_on_the_timeline,
    pushes_are_idempotent_by_external_id,
    unverified_claims_raise_a_proposal_instead_of_attaching,
    cases_and_contacts_are_found,
    bad_requests_get_typed_errors_and_change_nothing,
    a_sites_key_reads_only_that_site,
);

const KEY: &str = "sbk_test_shop_key_0123456789";
const OTHER_KEY: &str = "sbk_test_other_key_9876543210";

async fn relay_with_sites(backend: Backend) -> anyhow::Result<TestRelay> {
    let relay = TestRelay::start(backend).await?;
    for (id, key) in [("shop", KEY), ("other", OTHER_KEY)] {
        relay
            .store()
            .put_site(&Site {
                id: id.into(),
                name: id.into(),
                origins: vec![],
                languages: vec!["en".into()],
                identity_secret: None,
                previous_identity_secret: None,
                previous_secret_until_ms: None,
                api_key_hashes: vec![token_hash(key)],
                prechat_form: false,
                hours: None,
                routing: Default::default(),
            })
            .await?;
    }
    Ok(relay)
}

/// `method path` with the key (if any) and a JSON body (if any).
async fn call(
    relay: &TestRelay,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&str>,
) -> anyhow::Result<(u16, Value)> {
    let auth = key.map(|k| format!("Bearer {k}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth));
    }
    let response = send(relay.addr(), method, path, &headers, body).await?;
    let value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    Ok((response.status, value))
}

async fn push(relay: &TestRelay, item: &Value) -> anyhow::Result<(u16, Value)> {
    call(
        relay,
        "POST",
        "/api/v1/sites/shop/items",
        Some(KEY),
        Some(&item.to_string()),
    )
    .await
}

fn email_item(external_id: &str, channel: &str, at_ms: u64, verified: bool) -> Value {
    json!({
        "external_id": external_id,
        "channel": channel,
        "direction": "in",
        "at_ms": at_ms,
        "text": format!("{channel} from Ada"),
        "contact": {"email": "Ada@Example.com", "name": "Ada", "verified": verified},
    })
}

async fn record(relay: &TestRelay, contact: &str) -> anyhow::Result<Value> {
    let (status, body) = call(
        relay,
        "GET",
        &format!("/api/v1/sites/shop/contacts/{contact}"),
        Some(KEY),
        None,
    )
    .await?;
    assert_eq!(status, 200, "{body}");
    Ok(body)
}

fn channels(record: &Value) -> Vec<String> {
    record["timeline"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["channel"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn every_channel_lands_on_the_timeline(backend: Backend) -> anyhow::Result<()> {
    let relay = relay_with_sites(backend).await?;
    let mut contact = None;
    let mut codes = Vec::new();
    for (i, channel) in ["email", "phone", "sms", "social", "web_form"]
        .iter()
        .enumerate()
    {
        let at = 1_700_000_000_000 + i as u64 * 1000;
        let (status, body) =
            push(&relay, &email_item(&format!("x-{i}"), channel, at, true)).await?;
        assert_eq!(status, 201, "{channel}: {body}");
        assert_eq!(body["duplicate"], json!(false));
        let this = body["contact"].as_str().unwrap_or_default().to_owned();
        assert_eq!(
            *contact.get_or_insert(this.clone()),
            this,
            "one contact for one verified email"
        );
        codes.push(
            body["item"]["case_code"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    let contact = contact.unwrap_or_default();
    let record = record(&relay, &contact).await?;
    assert_eq!(
        channels(&record),
        ["web_form", "social", "sms", "phone", "email"],
        "newest first"
    );
    assert_eq!(record["contact"]["name"], json!("Ada"));
    let identities = record["contact"]["identities"].to_string();
    assert!(
        identities.contains("ada@example.com") && identities.contains("true"),
        "{identities}"
    );
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 5, "a case code per item: {codes:?}");
    assert!(codes.iter().all(|c| c.starts_with("CASE-")), "{codes:?}");
    relay.stop().await;
    Ok(())
}

async fn pushes_are_idempotent_by_external_id(backend: Backend) -> anyhow::Result<()> {
    let relay = relay_with_sites(backend).await?;
    let item = email_item("mail-1", "email", 1_700_000_000_000, false);
    let (first_status, first) = push(&relay, &item).await?;
    assert_eq!(first_status, 201, "{first}");
    let (again_status, again) = push(&relay, &item).await?;
    assert_eq!(again_status, 200, "{again}");
    assert_eq!(again["duplicate"], json!(true));
    assert_eq!(again["item"], first["item"], "the first item, unchanged");
    assert_eq!(again["contact"], first["contact"]);
    let record = record(&relay, first["contact"].as_str().unwrap_or_default()).await?;
    assert_eq!(channels(&record).len(), 1);
    assert_eq!(
        record["merge_proposals"],
        json!([]),
        "a retry raises nothing"
    );
    relay.stop().await;
    Ok(())
}

async fn unverified_claims_raise_a_proposal_instead_of_attaching(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = relay_with_sites(backend).await?;
    let (_, verified) = push(&relay, &email_item("v-1", "email", 1_700_000_000_000, true)).await?;
    let ada = verified["contact"].as_str().unwrap_or_default().to_owned();
    let (status, claimed) = push(
        &relay,
        &email_item("u-1", "web_form", 1_700_000_001_000, false),
    )
    .await?;
    assert_eq!(status, 201, "{claimed}");
    let stranger = claimed["contact"].as_str().unwrap_or_default().to_owned();
    assert_ne!(stranger, ada, "an unverified email does not attach to Ada");
    assert_eq!(claimed["merge_proposed"], json!(true));
    let ada_record = record(&relay, &ada).await?;
    assert_eq!(
        channels(&ada_record),
        ["email"],
        "Ada's timeline is untouched"
    );
    let proposals = ada_record["merge_proposals"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(proposals.len(), 1, "{ada_record}");
    assert_eq!(proposals[0]["from"], json!(stranger));
    assert_eq!(proposals[0]["into"], json!(ada));
    relay.stop().await;
    Ok(())
}

async fn cases_and_contacts_are_found(backend: Backend) -> anyhow::Result<()> {
    let relay = relay_with_sites(backend).await?;
    let mut item = email_item("c-1", "phone", 1_700_000_000_000, true);
    item["contact"]["phone"] = json!("+1 (555) 010-9999");
    let (_, pushed) = push(&relay, &item).await?;
    let code = pushed["item"]["case_code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let contact = pushed["contact"].clone();

    let (status, case) = call(
        &relay,
        "GET",
        &format!("/api/v1/sites/shop/cases/{}", code.to_lowercase()),
        Some(KEY),
        None,
    )
    .await?;
    assert_eq!(status, 200, "{case}");
    assert_eq!(case["case_code"], json!(code));
    assert_eq!(case["contact"]["id"], contact);
    assert_eq!(case["item"]["external_id"], json!("c-1"));

    // A follow-up joins the same case.
    let mut follow_up = email_item("c-2", "email", 1_700_000_002_000, true);
    follow_up["case_code"] = json!(code);
    let (status, joined) = push(&relay, &follow_up).await?;
    assert_eq!(status, 201, "{joined}");
    assert_eq!(joined["item"]["case_code"], json!(code));

    for q in [code.as_str(), "ada@example.com", "+15550109999", "ada"] {
        let (status, found) = call(
            &relay,
            "GET",
            &format!(
                "/api/v1/sites/shop/contacts?q={}",
                q.replace('+', "%2B").replace('@', "%40")
            ),
            Some(KEY),
            None,
        )
        .await?;
        assert_eq!(status, 200, "{q}: {found}");
        let ids: Vec<&Value> = found["contacts"]
            .as_array()
            .map(|c| c.iter().map(|c| &c["id"]).collect())
            .unwrap_or_default();
        assert_eq!(ids, [&contact], "search {q:?}");
    }
    let (status, none) = call(
        &relay,
        "GET",
        "/api/v1/sites/shop/cases/CASE-99999",
        Some(KEY),
        None,
    )
    .await?;
    assert_eq!(
        (status, none["error"]["code"].clone()),
        (404, json!("not_found"))
    );
    relay.stop().await;
    Ok(())
}

async fn bad_requests_get_typed_errors_and_change_nothing(backend: Backend) -> anyhow::Result<()> {
    let relay = relay_with_sites(backend).await?;
    let good = email_item("g-1", "email", 1_700_000_000_000, true);
    let path = "/api/v1/sites/shop/items";
    let body = good.to_string();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(&str, Option<&str>, String, u16, &str)> = vec![
        ("no key", None, body.clone(), 401, "unauthorized"),
        (
            "wrong key",
            Some("sbk_wrong"),
            body.clone(),
            401,
            "unauthorized",
        ),
        (
            "other site's key",
            Some(OTHER_KEY),
            body.clone(),
            401,
            "unauthorized",
        ),
        (
            "malformed JSON",
            Some(KEY),
            "{\"external_id\": ".into(),
            400,
            "invalid_request",
        ),
        (
            "unknown field",
            Some(KEY),
            with(&|v| v["surprise"] = json!(1)),
            400,
            "invalid_request",
        ),
        (
            "chat is not ingestible",
            Some(KEY),
            with(&|v| v["channel"] = json!("chat")),
            400,
            "invalid_request",
        ),
        (
            "unknown channel",
            Some(KEY),
            with(&|v| v["channel"] = json!("fax")),
            400,
            "invalid_request",
        ),
        (
            "empty text",
            Some(KEY),
            with(&|v| v["text"] = json!("  ")),
            400,
            "invalid_request",
        ),
        (
            "text too long",
            Some(KEY),
            with(&|v| v["text"] = json!("x".repeat(20_001))),
            400,
            "invalid_request",
        ),
        (
            "no identity",
            Some(KEY),
            with(&|v| v["contact"] = json!({"name": "Nobody"})),
            400,
            "invalid_request",
        ),
        (
            "not an email",
            Some(KEY),
            with(&|v| v["contact"]["email"] = json!("not-an-email")),
            400,
            "invalid_request",
        ),
        (
            "control characters",
            Some(KEY),
            with(&|v| v["contact"]["name"] = json!("A\u{0}da")),
            400,
            "invalid_request",
        ),
        (
            "empty external id",
            Some(KEY),
            with(&|v| v["external_id"] = json!("")),
            400,
            "invalid_request",
        ),
        (
            "unknown case",
            Some(KEY),
            with(&|v| v["case_code"] = json!("CASE-424242")),
            404,
            "not_found",
        ),
        (
            "not a case code",
            Some(KEY),
            with(&|v| v["case_code"] = json!("hello")),
            400,
            "invalid_request",
        ),
        (
            "body too large",
            Some(KEY),
            format!("{{\"text\": \"{}\"}}", "x".repeat(70_000)),
            413,
            "too_large",
        ),
    ];
    for (what, key, body, status, code) in cases {
        let (got, error) = call(&relay, "POST", path, key, Some(&body)).await?;
        assert_eq!(got, status, "{what}: {error}");
        assert_eq!(error["error"]["code"], json!(code), "{what}: {error}");
        assert!(
            error["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}"
        );
    }
    let (status, _) = call(
        &relay,
        "POST",
        "/api/v1/sites/nowhere/items",
        Some(KEY),
        Some(&good.to_string()),
    )
    .await?;
    assert_eq!(status, 401, "unknown sites answer like wrong keys");
    // Nothing above stored anything: the contact does not exist yet.
    let (status, found) = call(
        &relay,
        "GET",
        "/api/v1/sites/shop/contacts?q=ada%40example.com",
        Some(KEY),
        None,
    )
    .await?;
    assert_eq!((status, found["contacts"].clone()), (200, json!([])));
    // And the server still works.
    let (status, pushed) = push(&relay, &good).await?;
    assert_eq!(status, 201, "{pushed}");
    relay.stop().await;
    Ok(())
}

async fn a_sites_key_reads_only_that_site(backend: Backend) -> anyhow::Result<()> {
    let relay = relay_with_sites(backend).await?;
    let (_, pushed) = push(&relay, &email_item("s-1", "sms", 1_700_000_000_000, true)).await?;
    let contact = pushed["contact"].as_str().unwrap_or_default().to_owned();
    let (status, body) = call(
        &relay,
        "GET",
        &format!("/api/v1/sites/other/contacts/{contact}"),
        Some(OTHER_KEY),
        None,
    )
    .await?;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (404, json!("not_found")),
        "{body}"
    );
    let (status, _) = call(
        &relay,
        "GET",
        &format!("/api/v1/sites/shop/contacts/{contact}"),
        Some(OTHER_KEY),
        None,
    )
    .await?;
    assert_eq!(status, 401);
    let code = pushed["item"]["case_code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (status, _) = call(
        &relay,
        "GET",
        &format!("/api/v1/sites/other/cases/{code}"),
        Some(OTHER_KEY),
        None,
    )
    .await?;
    assert_eq!(status, 404, "case codes are per site");
    relay.stop().await;
    Ok(())
}
