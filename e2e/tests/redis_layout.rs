//! The Redis key layout is a public contract: another system reads a
//! conversation, its transcript and its visitor, and a customer record
//! (contact, identities, timeline items, case and visitor indexes), with
//! plain `redis-cli`, exactly as the README documents; and hears each new
//! message once on the events channel, published by the script that
//! stored it.

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

/// `field value` lines of `HGETALL` (or `ZRANGE .. WITHSCORES`) as pairs.
fn pairs(raw: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = raw.lines().collect();
    let mut out: Vec<(String, String)> = lines
        .chunks(2)
        .map(|kv| {
            (
                kv[0].to_owned(),
                kv.get(1).copied().unwrap_or("").to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<_> = list
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_system_reads_a_customer_record_with_redis_cli() -> anyhow::Result<()> {
    use shared::contacts::{Channel, Contact, Direction, Identity, IdentityKind, TimelineItem};

    let s = e2e::store_subject::Subject::redis("layout").await;
    let (redis, p) = s.redis.clone().expect("a Redis subject");
    let store = &*s.store;
    let ada = Contact {
        id: "ct_ada".into(),
        site: "demo".into(),
        name: Some("Ada Lovelace".into()),
        identities: vec![
            Identity::new(IdentityKind::Email, "Ada@Example.com", true),
            Identity::new(IdentityKind::Phone, "+44 20 7946 0000", false),
        ],
        attributes: [("plan".to_owned(), "pro".to_owned())].into(),
        created_at_ms: 1_700_000_000_000,
    };
    store.create_contact(&ada).await?;
    let call = TimelineItem {
        id: "ti_1".into(),
        channel: Channel::Phone,
        direction: Direction::In,
        at_ms: 1_700_000_000_500,
        text: "Asked about invoice 7".into(),
        agent: Some("Grace".into()),
        case_code: Some("CASE-1001".into()),
        external_id: Some("call-9".into()),
        conversation: None,
        csat: None,
    };
    store.record(&"demo".into(), &ada.id, &call).await?;
    let visitor = relay::store::VisitorRecord {
        id: "v_1".into(),
        site: "demo".into(),
        token_hash: "hash".into(),
        created_at_ms: 1_700_000_000_000,
    };
    store.create_visitor(&visitor).await?;
    store.link_visitor(&visitor.id, &ada.id).await?;

    let cli = |args: &[&str]| redis.cli(args);
    let contact = pairs(&cli(&["HGETALL", &format!("{p}contact:ct_ada")])?);
    let expected = [
        ("site", "demo"),
        ("name", "Ada Lovelace"),
        ("name_words", "ada lovelace"),
        ("created_at_ms", "1700000000000"),
    ];
    assert_eq!(contact, owned(&expected));
    let identities = pairs(&cli(&[
        "HGETALL",
        &format!("{p}contact:ct_ada:identities"),
    ])?);
    let expected = [("email:ada@example.com", "1"), ("phone:+442079460000", "0")];
    assert_eq!(identities, owned(&expected));
    let attrs = cli(&["HGET", &format!("{p}contact:ct_ada:attrs"), "plan"])?;
    assert_eq!(attrs.trim(), "pro");
    let timeline = cli(&[
        "ZRANGE",
        &format!("{p}contact:ct_ada:timeline"),
        "0",
        "-1",
        "WITHSCORES",
    ])?;
    assert_eq!(pairs(&timeline), owned(&[("ti_1", "1700000000500")]));
    let item = pairs(&cli(&["HGETALL", &format!("{p}item:ti_1")])?);
    let expected = [
        ("contact", "ct_ada"),
        ("site", "demo"),
        ("channel", "phone"),
        ("direction", "in"),
        ("at_ms", "1700000000500"),
        ("text", "Asked about invoice 7"),
        ("agent", "Grace"),
        ("case_code", "CASE-1001"),
        ("external_id", "call-9"),
    ];
    assert_eq!(item, owned(&expected));
    for (key, value) in [
        (
            format!("{p}site:demo:identity:email:ada@example.com"),
            "ct_ada",
        ),
        (format!("{p}site:demo:case:CASE-1001"), "ti_1"),
        (format!("{p}site:demo:external:call-9"), "ti_1"),
        (format!("{p}visitor:v_1:contact"), "ct_ada"),
    ] {
        assert_eq!(cli(&["GET", &key])?.trim(), value, "{key}");
    }
    assert_eq!(
        cli(&["SMEMBERS", &format!("{p}contact:ct_ada:visitors")])?.trim(),
        "v_1"
    );
    assert_eq!(
        cli(&["SMEMBERS", &format!("{p}site:demo:contacts")])?.trim(),
        "ct_ada"
    );
    Ok(())
}

/// A `redis-cli SUBSCRIBE` child whose payloads arrive on a channel
/// (redis-cli prints `message`, the channel and the payload, one a line).
struct Subscriber {
    child: std::process::Child,
    payloads: std::sync::mpsc::Receiver<String>,
}

impl Subscriber {
    fn start(port: u16, channel: &str) -> anyhow::Result<Self> {
        use std::io::BufRead;
        let mut child = std::process::Command::new("redis-cli")
            .args(["-p", &port.to_string(), "SUBSCRIBE", channel])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().expect("piped");
        let (tx, payloads) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok);
            while let Some(line) = lines.next() {
                let payload = match line.as_str() {
                    "message" => lines.nth(1),
                    // The subscription's confirmation, as an empty payload.
                    "subscribe" => lines.nth(1).map(|_| String::new()),
                    _ => continue,
                };
                if payload.and_then(|p| tx.send(p).ok()).is_none() {
                    return;
                }
            }
        });
        let subscribed = payloads.recv_timeout(std::time::Duration::from_secs(10));
        anyhow::ensure!(
            subscribed.is_ok_and(|p| p.is_empty()),
            "redis-cli never subscribed"
        );
        Ok(Self { child, payloads })
    }

    /// The next message event of `conversation`, skipping other events.
    fn next_message(
        &self,
        conversation: &shared::ConversationId,
    ) -> anyhow::Result<shared::ChatMessage> {
        loop {
            let payload = self
                .payloads
                .recv_timeout(std::time::Duration::from_secs(10))
                .map_err(|_| anyhow::anyhow!("no message event within 10 s"))?;
            if let relay::bus::Event::Message { message } = serde_json::from_str(&payload)? {
                if &message.conversation == conversation {
                    return Ok(message);
                }
            }
        }
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_new_message_is_published_once_by_the_script_that_stored_it() -> anyhow::Result<()> {
    let relay = TestRelay::start(Backend::Redis).await?;
    let redis = relay.redis.as_ref().expect("a Redis-backed relay");
    let channel = relay::bus::redis::events_channel(relay.redis_prefix());
    let events = Subscriber::start(redis.port(), &channel)?;
    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    let conversation = visitor.start().await?.id;
    let first = visitor.visitor_say(&conversation, "v1", "one").await?;
    let heard = events.next_message(&conversation)?;
    assert_eq!((heard.seq, heard.text.as_str()), (first, "one"));
    let stored = relay
        .app()
        .store
        .messages_after(&conversation, 0, 10)
        .await?;
    assert_eq!(stored, vec![heard], "the event carries the stored message");
    // A resend is acked again but stores and publishes nothing new: the
    // next event heard is the next message.
    assert_eq!(
        visitor.visitor_say(&conversation, "v1", "one").await?,
        first
    );
    visitor.visitor_say(&conversation, "v2", "two").await?;
    let next = events.next_message(&conversation)?;
    assert_eq!((next.seq, next.text.as_str()), (2, "two"));
    relay.stop().await;
    Ok(())
}
