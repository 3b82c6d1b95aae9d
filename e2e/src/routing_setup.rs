//! Setting up routing scenarios: a site's routing settings changed in the
//! store, agents with languages and capacity that routing sees online
//! without a socket, visitors starting with a language or a topic, and
//! waiting (bounded) for a conversation to reach a state.

use std::time::Duration;

use anyhow::{bail, Context};
use relay::store::{Conversation, Store};
use shared::routing::SiteRouting;
use shared::{AgentId, ConversationId, ServerFrame, VisitorFrame};
use tokio::time::Instant;

use crate::client::Client;
use crate::cluster_clients::routable_agent;

/// Changes the demo site's routing settings in the store.
pub async fn set_routing(
    store: &dyn Store,
    change: impl FnOnce(&mut SiteRouting),
) -> anyhow::Result<()> {
    let mut site = store.site(&"demo".into()).await?.context("demo site")?;
    change(&mut site.routing);
    site.routing.check().map_err(|e| anyhow::anyhow!("{e}"))?;
    store.put_site(&site).await?;
    Ok(())
}

/// Chat scenarios where the visitor writes before any agent signs in:
/// without this the widget would rightly offer the offline form instead.
pub async fn without_offline_form(store: &dyn Store) -> anyhow::Result<()> {
    set_routing(store, |r| r.offline_form = false).await
}

/// An online agent (no socket) with `capacity` places and `languages`.
pub async fn speaker(
    store: &dyn Store,
    id: &str,
    capacity: u32,
    languages: &[&str],
) -> anyhow::Result<AgentId> {
    let agent = routable_agent(store, id, capacity).await?;
    let languages: Vec<String> = languages.iter().map(|l| (*l).to_owned()).collect();
    store
        .set_agent_routing(&agent, &languages, &[], capacity)
        .await?;
    Ok(agent)
}

/// A demo-site visitor that started a conversation in `language` (and
/// `topic`); returns the socket and the conversation.
pub async fn visitor_in(
    addr: std::net::SocketAddr,
    language: Option<&str>,
    topic: Option<&str>,
) -> anyhow::Result<(Client, ConversationId)> {
    let mut visitor = Client::demo_visitor(addr).await?;
    visitor.visitor_hello(None, vec![]).await?;
    visitor
        .send(&VisitorFrame::Start {
            details: None,
            topic: topic.map(str::to_owned),
            language: language.map(str::to_owned),
            page_url: None,
        })
        .await?;
    match visitor
        .recv_until(|f| matches!(f, ServerFrame::Conversation(_)))
        .await?
    {
        ServerFrame::Conversation(c) => Ok((visitor, c.id)),
        _ => unreachable!(),
    }
}

/// Polls the store until `conversation` satisfies `done` (at most `within`).
pub async fn until(
    store: &dyn Store,
    conversation: &ConversationId,
    within: Duration,
    done: impl Fn(&Conversation) -> bool,
) -> anyhow::Result<Conversation> {
    let deadline = Instant::now() + within;
    loop {
        let now = store
            .conversation(conversation)
            .await?
            .context("conversation gone")?;
        if done(&now) {
            return Ok(now);
        }
        if Instant::now() >= deadline {
            bail!("{conversation}: still {now:?} after {within:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Who has `conversation` now.
pub fn agent_of(conversation: &Conversation) -> Option<&str> {
    conversation.agent.as_ref().map(AgentId::as_str)
}
