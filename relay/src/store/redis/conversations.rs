//! The conversation lifecycle, one script call each: open, append, assign,
//! transfer, close, and the routing snapshot they are decided from. Kept
//! apart from the plain reads in `ops` because here every precondition is
//! checked inside Redis, never in Rust (a check in Rust would race other
//! nodes).

use shared::{AgentId, ConversationId};

use super::scripts::unexpected;
use super::{codec, keys, unknown_conversation, RedisStore};
use crate::routing::{AgentLoad, RoutingSnapshot};
use crate::store::{Appended, Conversation, NewMessage, StoreError, StoreResult, VisitorRecord};

impl RedisStore {
    pub(super) async fn open(
        &self,
        visitor: &VisitorRecord,
        new_id: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<(Conversation, bool)> {
        if unknown_conversation(new_id)
            || !keys::addressable(visitor.id.as_str())
            || !keys::addressable(visitor.site.as_str())
        {
            return Err(StoreError::Conflict("invalid id"));
        }
        let (v, c) = (visitor.id.as_str(), new_id.as_str());
        let mut call = self.scripts.open_conversation.prepare_invoke();
        call.key(self.keys.visitor_open(v))
            .key(self.keys.visitor_conversations(v))
            .key(self.keys.conversation(c))
            .key(self.keys.queue())
            .key(self.keys.queue_seq())
            .key(self.keys.case_seq(visitor.site.as_str()))
            .key(self.keys.visitors_by_time())
            .arg(self.keys.prefix())
            .arg(c)
            .arg(visitor.site.as_str())
            .arg(v)
            .arg(at_ms);
        let (word, conversation) = self.conversation_script(&call).await?;
        match word.as_str() {
            "created" => Ok((conversation, true)),
            "existing" => Ok((conversation, false)),
            other => Err(unexpected(other)),
        }
    }

    pub(super) async fn append(&self, message: &NewMessage) -> StoreResult<Appended> {
        if unknown_conversation(&message.conversation) {
            return Err(StoreError::NotFound);
        }
        let c = message.conversation.as_str();
        let (head, tail) = codec::message_parts(message)?;
        let mut call = self.scripts.append_message.prepare_invoke();
        call.key(self.keys.conversation(c))
            .key(self.keys.messages(c))
            .key(self.keys.client_ids(c))
            .arg(message.client_msg_id.as_str())
            .arg(head)
            .arg(tail);
        let (word, payload) = self.eval(&call).await?;
        let duplicate = match word.as_str() {
            "ok" => false,
            "duplicate" => true,
            other => return Err(unexpected(other)),
        };
        let raw = payload.first().ok_or_else(|| unexpected(&word))?;
        Ok(Appended {
            message: codec::message(raw)?,
            duplicate,
        })
    }

    pub(super) async fn snapshot(&self) -> StoreResult<RoutingSnapshot> {
        let mut call = self.scripts.routing_snapshot.prepare_invoke();
        call.key(self.keys.agents())
            .key(self.keys.queue())
            .arg(self.keys.prefix());
        let (agents, waiting): (Vec<String>, Vec<String>) = self.invoke(&call, true).await?;
        let corrupt = |what: &str| StoreError::Corrupt(format!("routing snapshot: {what}"));
        let number = |v: &str| v.parse::<u64>().map_err(|_| corrupt(v));
        let agents = agents
            .chunks(5)
            .map(|a| match a {
                [id, presence, max, load, last] => Ok(AgentLoad {
                    id: AgentId(id.clone()),
                    presence: codec::presence(Some(presence)),
                    max_concurrent: u32::try_from(number(max)?).map_err(|_| corrupt(max))?,
                    load: u32::try_from(number(load)?).unwrap_or(u32::MAX),
                    last_activity_ms: number(last)?,
                }),
                _ => Err(corrupt("short agent entry")),
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(RoutingSnapshot {
            agents,
            waiting: waiting.into_iter().map(ConversationId).collect(),
        })
    }

    pub(super) async fn assign_to(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        if unknown_conversation(conversation) || !keys::addressable(agent.as_str()) {
            return Err(StoreError::NotFound);
        }
        let (c, a) = (conversation.as_str(), agent.as_str());
        let mut call = self.scripts.assign.prepare_invoke();
        call.key(self.keys.conversation(c))
            .key(self.keys.queue())
            .key(self.keys.agent(a))
            .key(self.keys.agent_open(a))
            .arg(c)
            .arg(a)
            .arg(at_ms);
        Ok(self.conversation_script(&call).await?.1)
    }

    pub(super) async fn transfer_to(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        to: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let ids = [conversation.as_str(), from.as_str(), to.as_str()];
        if !ids.iter().all(|id| keys::addressable(id)) {
            return Err(StoreError::NotFound);
        }
        let [c, from, to] = ids;
        let mut call = self.scripts.transfer.prepare_invoke();
        call.key(self.keys.conversation(c))
            .key(self.keys.agent_open(from))
            .key(self.keys.agent(to))
            .key(self.keys.agent_open(to))
            .arg(c)
            .arg(from)
            .arg(to)
            .arg(at_ms);
        Ok(self.conversation_script(&call).await?.1)
    }

    pub(super) async fn close(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        if unknown_conversation(conversation) {
            return Err(StoreError::NotFound);
        }
        let c = conversation.as_str();
        let mut call = self.scripts.close_conversation.prepare_invoke();
        call.key(self.keys.conversation(c))
            .key(self.keys.queue())
            .key(self.keys.closed())
            .arg(self.keys.prefix())
            .arg(c)
            .arg(at_ms);
        Ok(self.conversation_script(&call).await?.1)
    }
}
