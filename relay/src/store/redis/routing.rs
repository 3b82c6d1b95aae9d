//! What routing reads and the writes only it makes, in Redis: the snapshot
//! it decides from, sending an unanswered conversation back to the front of
//! the queue, the assigned conversations the reassignment sweep walks, and
//! an agent's languages, skills and capacity. The route is JSON in the
//! conversation hash; scripts that change part of it (assign, transfer,
//! requeue) edit it inside Redis (`lua/prelude.lua`), so two nodes never
//! overwrite each other's change with a stale copy.

use std::collections::HashSet;

use shared::routing::{Match, Route};
use shared::{AgentId, ConversationId, SiteId};

use super::codec::{self, corrupt};
use super::{keys, oldest_first, unknown_conversation, RedisStore};
use crate::routing::{AgentLoad, RoutingSnapshot, Waiting};
use crate::store::{Conversation, StoreError, StoreResult};

/// How routing found the agent, as serde spells it inside a route (the
/// assign script writes it there); empty for none.
pub(super) fn match_word(matched: Option<Match>) -> StoreResult<String> {
    let Some(matched) = matched else {
        return Ok(String::new());
    };
    match serde_json::to_value(matched) {
        Ok(serde_json::Value::String(word)) => Ok(word),
        other => Err(corrupt("route", format_args!("match as {other:?}"))),
    }
}

/// A JSON value a script read; empty (the field was absent) is the default.
fn json_or_default<T: serde::de::DeserializeOwned + Default>(
    raw: &str,
    what: &str,
) -> StoreResult<T> {
    if raw.is_empty() {
        return Ok(T::default());
    }
    serde_json::from_str(raw).map_err(|e| corrupt(what, e))
}

fn number(raw: &str) -> StoreResult<u64> {
    raw.parse()
        .map_err(|_| corrupt("routing snapshot", format_args!("{raw:?}")))
}

fn agent_load(entry: &[String]) -> StoreResult<AgentLoad> {
    let [id, presence, max, load, last, languages, skills] = entry else {
        return Err(corrupt("routing snapshot", "short agent entry"));
    };
    Ok(AgentLoad {
        id: AgentId(id.clone()),
        presence: codec::presence(Some(presence)),
        max_concurrent: u32::try_from(number(max)?)
            .map_err(|_| corrupt("routing snapshot", max))?,
        load: u32::try_from(number(load)?).unwrap_or(u32::MAX),
        last_activity_ms: number(last)?,
        languages: json_or_default(languages, "agent languages")?,
        skills: json_or_default(skills, "agent skills")?,
    })
}

fn waiting(entry: &[String]) -> StoreResult<Waiting> {
    let [id, site, route, created] = entry else {
        return Err(corrupt("routing snapshot", "short queue entry"));
    };
    Ok(Waiting {
        id: ConversationId(id.clone()),
        site: SiteId(site.clone()),
        route: json_or_default::<Route>(route, "route")?,
        created_at_ms: number(created)?,
    })
}

impl RedisStore {
    pub(super) async fn snapshot(&self) -> StoreResult<RoutingSnapshot> {
        let mut call = self.scripts.routing_snapshot.prepare_invoke();
        call.key(self.keys.agents())
            .key(self.keys.queue())
            .arg(self.keys.prefix());
        let (agents, queue): (Vec<String>, Vec<String>) = self.invoke(&call, true).await?;
        Ok(RoutingSnapshot {
            agents: agents
                .chunks(7)
                .map(agent_load)
                .collect::<StoreResult<_>>()?,
            waiting: queue.chunks(4).map(waiting).collect::<StoreResult<_>>()?,
        })
    }

    pub(super) async fn requeue_front(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        unanswered_since: Option<u64>,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        if unknown_conversation(conversation) || !keys::addressable(from.as_str()) {
            return Err(StoreError::NotFound);
        }
        let c = conversation.as_str();
        let mut call = self.scripts.requeue.prepare_invoke();
        call.key(self.keys.conversation(c))
            .key(self.keys.agent_open(from.as_str()))
            .key(self.keys.queue())
            .arg(c)
            .arg(from.as_str())
            .arg(unanswered_since.map(|t| t.to_string()).unwrap_or_default())
            .arg(at_ms);
        Ok(self.conversation_script(&call).await?.1)
    }

    /// Read with plain commands, not atomically: the sweep acts through
    /// `requeue`, which re-checks everything it relies on.
    pub(super) async fn assigned(&self) -> StoreResult<Vec<Conversation>> {
        let agents: Vec<String> = self
            .query(redis::cmd("LRANGE").arg(self.keys.agents()).arg(0).arg(-1))
            .await?;
        let agents: Vec<String> = agents
            .into_iter()
            .filter(|a| keys::addressable(a))
            .collect();
        if agents.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for agent in &agents {
            pipe.cmd("SMEMBERS").arg(self.keys.agent_open(agent));
        }
        let open: Vec<Vec<String>> = self.read_pipe(&pipe).await?;
        let mut seen = HashSet::new();
        let ids: Vec<String> = open
            .into_iter()
            .flatten()
            .filter(|id| keys::addressable(id) && seen.insert(id.clone()))
            .collect();
        let mut list = self.conversations(&ids).await?;
        // An open set can lag its conversation (another system's edits);
        // the hash says who holds it.
        list.retain(|c| c.is_open() && c.agent.is_some());
        Ok(oldest_first(list))
    }

    pub(super) async fn set_routing(
        &self,
        agent: &AgentId,
        languages: &[String],
        skills: &[String],
        max_concurrent: u32,
    ) -> StoreResult<()> {
        if !keys::addressable(agent.as_str()) {
            return Err(StoreError::NotFound);
        }
        let mut call = self.scripts.set_agent_field.prepare_invoke();
        call.key(self.keys.agent(agent.as_str()))
            .arg("languages")
            .arg(codec::json(&languages, "agent")?)
            .arg("skills")
            .arg(codec::json(&skills, "agent")?)
            .arg("max_concurrent")
            .arg(max_concurrent);
        self.eval_ok(&call).await.map(drop)
    }
}
