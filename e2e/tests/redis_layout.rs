//! The Redis key layout is a public contract: another system reads a
//! conversation, its transcript and its visitor with plain `redis-cli`,
//! exactly as the README documents.

use e2e::client::Client;
use e2e::relay_harness::{Backend, TestRelay, ADMIN_EMAIL, ADMIN_PASSWORD};
use shared::Presence;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_system_reads_a_conversation_with_redis_cli() -> anyhow::Result<()> {
    let relay = TestRelay::start(Backend::Redis).await?;
    let mut agent = Client::agent(relay.addr()).await?;
    agent.agent_sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    agent.set_presence(Presence::Online).await?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    let token = visitor.visitor_hello(None, vec![]).await?.token;
    let summary = visitor.start().await?;
    let conversation = summary.id.clone();
    visitor
        .visitor_say(&conversation, "v1", "Where is order #1042?")
        .await?;
    agent.assigned().await?;
    agent
        .agent_say(&conversation, "a1", "On its way, arriving Friday")
        .await?;

    let redis = relay.redis.as_ref().expect("a Redis-backed relay");
    let p = relay.redis_prefix();
    let hash = redis.cli(&["HGETALL", &format!("{p}conversation:{conversation}")])?;
    let fields: Vec<&str> = hash.lines().collect();
    let field = |name: &str| fields.chunks(2).find(|kv| kv[0] == name).map(|kv| kv[1]);
    assert_eq!(field("status"), Some("assigned"), "{hash}");
    assert_eq!(field("agent_name"), Some("Admin"));
    assert_eq!(field("last_seq"), Some("2"));
    assert_eq!(field("visitor"), Some(summary.visitor.as_str()));

    let transcript = redis.cli(&[
        "LRANGE",
        &format!("{p}conversation:{conversation}:messages"),
        "0",
        "-1",
    ])?;
    let messages: Vec<serde_json::Value> = transcript
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(messages.len(), 2);
    assert_eq!(
        (messages[0]["seq"].as_u64(), messages[0]["text"].as_str()),
        (Some(1), Some("Where is order #1042?"))
    );
    assert_eq!(messages[1]["author"]["role"], "agent");

    let visitor_hash = redis.cli(&["HGET", &format!("{p}visitor:{}", summary.visitor), "site"])?;
    assert_eq!(visitor_hash.trim(), "demo");
    let theirs = redis.cli(&[
        "LRANGE",
        &format!("{p}visitor:{}:conversations", summary.visitor),
        "0",
        "-1",
    ])?;
    assert_eq!(theirs.trim(), conversation.as_str());
    // Nothing readable gives away a secret: tokens appear only as hashes.
    let keys = redis.cli(&["--scan", "--pattern", &format!("{p}*")])?;
    let hashed = format!("{p}visitor-token:{}", relay::secrets::token_hash(&token));
    assert!(keys.lines().any(|k| k == hashed), "{keys}");
    assert!(!keys.contains(&token));
    relay.stop().await;
    Ok(())
}
