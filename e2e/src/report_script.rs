//! Scripting conversations at chosen times for the report tests: the
//! relay runs on a manual clock, and each step (a visitor starting and
//! writing, an agent getting the conversation, replying, transferring,
//! closing) happens after the clock is set, so every stored time and
//! every report figure is known in advance. Visitors use real sockets;
//! agents act through the conversation service, as their sockets would,
//! and are online only while routing should give them something.

use std::time::Duration;

use anyhow::Context;
use relay::clock::Clock;
use relay::conversations::Actor;
use relay::secrets::token_hash;
use relay::store::AgentRecord;
use serde_json::json;
use shared::hours::OpeningHours;
use shared::{AgentId, ClientMsgId, ConversationId, ConversationStatus, Presence};

use crate::client::Client;
use crate::cluster_clients::routable_agent;
use crate::http_get::send;
use crate::relay_harness::TestRelay;
use crate::routing_setup::{set_routing, until, visitor_in};

/// Unix ms of a UTC date and time (days from civil, Howard Hinnant's
/// algorithm, so a test does not trust the calendar code it checks).
pub fn utc(year: i64, month: i64, day: i64, hour: u64, minute: u64, second: u64) -> u64 {
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).expect("after 1970");
    ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000
}

/// An office in Berlin: Monday to Friday, 09:00–17:00 local time.
pub fn berlin_office() -> OpeningHours {
    OpeningHours::weekdays("Europe/Berlin", 9 * 60, 17 * 60)
}

/// Gives the demo site `hours` and the API key `key`, turns off what
/// would move conversations on its own (reassignment, widening, the
/// offline form), and adds `agents` (capacity 5 each), away.
pub async fn prepare_demo<const N: usize>(
    relay: &TestRelay,
    hours: OpeningHours,
    key: &str,
    agents: [&str; N],
) -> anyhow::Result<[AgentId; N]> {
    let store = relay.store();
    let mut site = store.site(&"demo".into()).await?.context("demo site")?;
    site.hours = Some(hours);
    site.api_key_hashes = vec![token_hash(key)];
    store.put_site(&site).await?;
    set_routing(store.as_ref(), |r| {
        r.offline_form = false;
        r.answer_within_secs = 0;
        r.offline_grace_secs = 0;
        r.widen_after_secs = 0;
    })
    .await?;
    let mut ids = Vec::new();
    for name in agents {
        let id = routable_agent(store.as_ref(), name, 5).await?;
        store.set_presence(&id, Presence::Away, 0).await?;
        ids.push(id);
    }
    ids.try_into()
        .map_err(|_| anyhow::anyhow!("agents miscounted"))
}

/// `GET path` with the API key `key`: status and body.
pub async fn api_get(relay: &TestRelay, key: &str, path: &str) -> anyhow::Result<(u16, String)> {
    let auth = format!("Bearer {key}");
    let response = send(relay.addr(), "GET", path, &[("Authorization", &auth)], None).await?;
    Ok((response.status, response.body))
}

/// Pushes an item (`direction` `in`/`out`) through the ingest API.
pub async fn push_item(
    relay: &TestRelay,
    key: &str,
    id: &str,
    channel: &str,
    direction: &str,
    at_ms: u64,
) {
    let item = json!({
        "external_id": id, "channel": channel, "direction": direction, "at_ms": at_ms,
        "text": "about parcel 1182", "contact": {"email": "ada@example.com"},
    });
    let auth = format!("Bearer {key}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    let body = item.to_string();
    let response = send(
        relay.addr(),
        "POST",
        "/api/v1/sites/demo/items",
        &headers,
        Some(&body),
    )
    .await;
    assert!(
        matches!(&response, Ok(r) if r.status == 201 || r.status == 200),
        "{response:?}"
    );
}

/// A relay on a manual clock, and the visitors kept connected.
#[derive(Debug)]
pub struct Script<'a> {
    pub relay: &'a TestRelay,
    pub clock: Clock,
    visitors: Vec<Client>,
}

impl<'a> Script<'a> {
    pub fn new(relay: &'a TestRelay, clock: Clock) -> Self {
        Self {
            relay,
            clock,
            visitors: Vec::new(),
        }
    }

    /// A visitor starts a conversation at `at_ms` and writes at once.
    pub async fn open(&mut self, at_ms: u64) -> anyhow::Result<ConversationId> {
        self.clock.set(at_ms);
        let (mut visitor, id) = visitor_in(self.relay.addr(), None, None).await?;
        visitor
            .visitor_say(&id, &format!("q-{id}"), "Where is my parcel?")
            .await?;
        self.visitors.push(visitor);
        Ok(id)
    }

    /// `agent` comes online at `at_ms`, routing gives it `id`, and it
    /// goes away again (so routing gives it nothing it was not meant to get).
    pub async fn assign(
        &self,
        id: &ConversationId,
        agent: &AgentId,
        at_ms: u64,
    ) -> anyhow::Result<()> {
        self.clock.set(at_ms);
        let store = self.relay.store();
        store.set_presence(agent, Presence::Online, at_ms).await?;
        self.relay.app().conversations.assign_waiting(true).await?;
        let got = until(store.as_ref(), id, Duration::from_secs(5), |c| {
            c.status == ConversationStatus::Assigned
        })
        .await?;
        anyhow::ensure!(got.agent.as_ref() == Some(agent), "{got:?}");
        store.set_presence(agent, Presence::Away, at_ms).await?;
        Ok(())
    }

    async fn record(&self, agent: &AgentId) -> anyhow::Result<AgentRecord> {
        self.relay
            .store()
            .agent(agent)
            .await?
            .context("no such agent")
    }

    /// `agent` replies in `id` at `at_ms`.
    pub async fn reply(
        &self,
        id: &ConversationId,
        agent: &AgentId,
        at_ms: u64,
    ) -> anyhow::Result<()> {
        self.clock.set(at_ms);
        let record = self.record(agent).await?;
        let service = &self.relay.app().conversations;
        let grant = service.agent_grant(&record, id).await?;
        let client_msg_id = ClientMsgId::from(format!("r-{at_ms}").as_str());
        service
            .post(&grant, client_msg_id, "It ships today.".into())
            .await?;
        Ok(())
    }

    /// `from` hands `id` to `to` at `at_ms` (`to` online only meanwhile).
    pub async fn transfer(
        &self,
        id: &ConversationId,
        from: &AgentId,
        to: &AgentId,
        at_ms: u64,
    ) -> anyhow::Result<()> {
        self.clock.set(at_ms);
        let store = self.relay.store();
        store.set_presence(to, Presence::Online, at_ms).await?;
        let record = self.record(from).await?;
        self.relay
            .app()
            .conversations
            .transfer(&record, id, to)
            .await?;
        store.set_presence(to, Presence::Away, at_ms).await?;
        Ok(())
    }

    /// The agent holding `id` closes it at `at_ms`.
    pub async fn close(
        &self,
        id: &ConversationId,
        agent: &AgentId,
        at_ms: u64,
    ) -> anyhow::Result<()> {
        self.clock.set(at_ms);
        let record = self.record(agent).await?;
        self.relay
            .app()
            .conversations
            .close(Actor::Agent(&record), id)
            .await?;
        Ok(())
    }
}
