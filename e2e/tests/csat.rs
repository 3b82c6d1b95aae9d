//! The satisfaction survey over real sockets and HTTP, on both stores: a
//! visitor rates a closed conversation once (the agent sees the rating on
//! the conversation, the card and the customer's timeline, and a reload
//! says it is rated); rating an open conversation, someone else's, out
//! of range, with too long a comment or a second time is refused with its
//! typed code and stores nothing; other channels' ratings come through the
//! ingest API, checked the same way.

use e2e::both_backends;
use e2e::client::Client;
use e2e::http_get::send;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use relay::secrets::token_hash;
use relay::store::Site;
use serde_json::{json, Value};
use shared::contacts::Channel;
use shared::limits::MAX_CSAT_COMMENT_CHARS;
use shared::{
    AgentFrame, ConversationId, ConversationStatus, ErrorCode, Presence, ServerFrame, VisitorFrame,
};

both_backends!(
    a_closed_conversation_is_rated_once_and_the_agent_sees_it,
    the_ingest_api_takes_ratings_of_other_channels
);

const COMMENT: &str = "Quick and kind, thanks";
const KEY: &str = "sbk_test_csat_key_0123456789";

fn rate(conversation: &ConversationId, rating: u32, comment: Option<&str>) -> VisitorFrame {
    VisitorFrame::Rate {
        conversation: conversation.clone(),
        rating,
        comment: comment.map(str::to_owned),
    }
}

/// Sends `frame` and returns the refusal's code.
async fn refused(visitor: &mut Client, frame: VisitorFrame) -> anyhow::Result<ErrorCode> {
    visitor.send(&frame).await?;
    visitor.recv_error().await
}

async fn a_closed_conversation_is_rated_once_and_the_agent_sees_it(
    backend: Backend,
) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let store = relay.store();
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    agent.set_presence(Presence::Online).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    let token = visitor.visitor_hello(None, vec![]).await?.token;
    visitor.start().await?;
    let conversation = visitor.assigned().await?.id;
    agent.assigned().await?;
    visitor
        .visitor_say(&conversation, "v1", "Where is my parcel?")
        .await?;

    let open = refused(&mut visitor, rate(&conversation, 5, None)).await?;
    assert_eq!(open, ErrorCode::NotClosed, "an open conversation");

    agent
        .send(&AgentFrame::Close {
            conversation: conversation.clone(),
        })
        .await?;
    visitor
        .recv_until(
            |f| matches!(f, ServerFrame::Conversation(c) if c.status == ConversationStatus::Closed),
        )
        .await?;

    for rating in [0, 6, 300] {
        let code = refused(&mut visitor, rate(&conversation, rating, None)).await?;
        assert_eq!(code, ErrorCode::InvalidRating, "rating {rating}");
    }
    let long = "x".repeat(MAX_CSAT_COMMENT_CHARS + 1);
    let code = refused(&mut visitor, rate(&conversation, 3, Some(&long))).await?;
    assert_eq!(code, ErrorCode::CommentTooLong);
    let mut stranger = Client::demo_visitor(relay.addr()).await?;
    stranger.visitor_hello(None, vec![]).await?;
    let code = refused(&mut stranger, rate(&conversation, 1, None)).await?;
    assert_eq!(code, ErrorCode::NotFound, "another visitor's conversation");
    let stored = store.conversation(&conversation).await?.expect("stored");
    assert_eq!(stored.csat, None, "nothing stored on a refusal");

    visitor
        .send(&rate(&conversation, 4, Some(&format!("  {COMMENT} "))))
        .await?;
    let csat = match visitor
        .recv_until(|f| matches!(f, ServerFrame::Rated { .. } | ServerFrame::Error { .. }))
        .await?
    {
        ServerFrame::Rated {
            conversation: c,
            csat,
        } if c == conversation => csat,
        other => anyhow::bail!("expected rated, got {other:?}"),
    };
    assert_eq!((csat.rating, csat.comment.as_deref()), (4, Some(COMMENT)));

    // The agent who had it sees the rating on the conversation.
    let seen = agent
        .recv_until(|f| matches!(f, ServerFrame::Conversation(c) if c.id == conversation && c.csat.is_some()))
        .await?;
    let ServerFrame::Conversation(summary) = seen else {
        unreachable!()
    };
    assert_eq!(summary.csat.as_ref(), Some(&csat));

    let again = refused(
        &mut visitor,
        rate(&conversation, 1, Some("changed my mind")),
    )
    .await?;
    assert_eq!(again, ErrorCode::AlreadyRated);
    let stored = store.conversation(&conversation).await?.expect("stored");
    assert_eq!(stored.csat.as_ref(), Some(&csat), "the first rating stays");

    // On the customer card: the conversation and a timeline item.
    agent
        .send(&AgentFrame::Card {
            conversation: conversation.clone(),
        })
        .await?;
    let ServerFrame::Card(card) = agent
        .recv_until(|f| matches!(f, ServerFrame::Card(_)))
        .await?
    else {
        unreachable!()
    };
    let rated: Vec<_> = card.timeline.iter().filter(|i| i.csat.is_some()).collect();
    assert_eq!(rated.len(), 1, "{:?}", card.timeline);
    assert_eq!(rated[0].csat.as_ref(), Some(&csat));
    assert_eq!(rated[0].channel, Channel::Chat);
    assert_eq!(rated[0].conversation.as_ref(), Some(&conversation));
    let listed = card.conversations.iter().find(|c| c.id == conversation);
    assert_eq!(listed.and_then(|c| c.csat.as_ref()), Some(&csat));

    // After a reload the widget learns it is rated (and asks no more).
    let mut again = Client::demo_visitor(relay.addr()).await?;
    let welcome = again.visitor_hello(Some(&token), vec![]).await?;
    let summary = welcome.conversations.iter().find(|c| c.id == conversation);
    assert_eq!(summary.and_then(|c| c.csat.as_ref()), Some(&csat));

    // Erasing the customer keeps the rating for reports, not their words.
    store
        .erase_contact(&card.contact.site, &card.contact.id, "api", relay::now_ms())
        .await?;
    let erased = store.conversation(&conversation).await?.expect("stored");
    let kept = erased.csat.expect("the rating stays");
    assert_eq!((kept.rating, kept.comment), (4, None));
    relay.stop().await;
    Ok(())
}

async fn shop_relay(backend: Backend) -> anyhow::Result<TestRelay> {
    let relay = TestRelay::start(backend).await?;
    relay
        .store()
        .put_site(&Site {
            id: "shop".into(),
            name: "shop".into(),
            origins: vec![],
            languages: vec!["en".into()],
            identity_secret: None,
            previous_identity_secret: None,
            previous_secret_until_ms: None,
            api_key_hashes: vec![token_hash(KEY)],
            prechat_form: false,
            hours: None,
            routing: Default::default(),
        })
        .await?;
    Ok(relay)
}

async fn call(
    relay: &TestRelay,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> anyhow::Result<(u16, Value)> {
    let auth = format!("Bearer {KEY}");
    let headers = [
        ("Content-Type", "application/json"),
        ("Authorization", auth.as_str()),
    ];
    let body = body.map(Value::to_string);
    let response = send(relay.addr(), method, path, &headers, body.as_deref()).await?;
    Ok((
        response.status,
        serde_json::from_str(&response.body).unwrap_or(Value::Null),
    ))
}

fn survey(external_id: &str, csat: Value) -> Value {
    json!({
        "external_id": external_id,
        "channel": "email",
        "direction": "in",
        "at_ms": 1_700_000_000_000u64,
        "contact": {"email": "ada@example.com", "name": "Ada"},
        "csat": csat,
    })
}

async fn the_ingest_api_takes_ratings_of_other_channels(backend: Backend) -> anyhow::Result<()> {
    let relay = shop_relay(backend).await?;
    let push = |item: Value| {
        let relay = &relay;
        async move { call(relay, "POST", "/api/v1/sites/shop/items", Some(&item)).await }
    };
    let (status, body) = push(survey(
        "survey-1",
        json!({"rating": 5, "comment": "Fast reply"}),
    ))
    .await?;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["item"]["csat"]["rating"], 5, "{body}");
    assert_eq!(body["item"]["csat"]["comment"], "Fast reply");
    assert_eq!(body["item"]["csat"]["at_ms"], 1_700_000_000_000u64);
    assert_eq!(body["item"]["channel"], "email");
    assert_eq!(
        body["item"]["text"],
        "Satisfaction rating 5 of 5: Fast reply"
    );
    let contact = body["contact"].as_str().unwrap_or_default().to_owned();

    // A retry changes nothing.
    let (status, again) = push(survey(
        "survey-1",
        json!({"rating": 5, "comment": "Fast reply"}),
    ))
    .await?;
    assert_eq!((status, again["duplicate"].as_bool()), (200, Some(true)));

    let long = "x".repeat(MAX_CSAT_COMMENT_CHARS + 1);
    for (id, bad) in [
        ("survey-2", json!({"rating": 0})),
        ("survey-3", json!({"rating": 6})),
        ("survey-4", json!({"rating": 3, "comment": long})),
        ("survey-5", json!({"rating": 3, "stars": 4})),
    ] {
        let (status, body) = push(survey(id, bad)).await?;
        assert_eq!(status, 400, "{id}: {body}");
        assert_eq!(body["error"]["code"], "invalid_request", "{id}: {body}");
    }
    let (status, record) = call(
        &relay,
        "GET",
        &format!("/api/v1/sites/shop/contacts/{contact}"),
        None,
    )
    .await?;
    assert_eq!(status, 200, "{record}");
    let items = record["timeline"].as_array().map(Vec::len);
    assert_eq!(items, Some(1), "refused ratings store nothing: {record}");

    // Reports count the rating under its channel, not as someone writing
    // in: over the (UTC, the site has no hours) day of 14 November 2023.
    let period = "from=1699920000000&to=1700006400000";
    let (status, report) = call(
        &relay,
        "GET",
        &format!("/api/v1/sites/shop/reports?{period}"),
        None,
    )
    .await?;
    assert_eq!(status, 200, "{report}");
    let overview = &report["overview"];
    assert_eq!(overview["csat_count"]["value"], 1.0, "{overview}");
    assert_eq!(overview["csat_score"]["value"], 100.0, "{overview}");
    assert_eq!(overview["conversations"]["value"], 0.0, "{overview}");
    relay.stop().await;
    Ok(())
}
