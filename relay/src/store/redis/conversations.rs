//! The conversation lifecycle, one script call each: open, append, assign,
//! transfer, close, reopen (the routing snapshot and requeue are in
//! `routing`). Kept apart from the plain reads in `ops` because here every
//! precondition is checked inside Redis, never in Rust (a check in Rust
//! would race other nodes).

use shared::routing::{Match, Route};
use shared::{AgentId, ConversationId, Role};

use super::scripts::unexpected;
use super::{codec, keys, unknown_conversation, RedisStore};
use crate::store::{Appended, Conversation, NewMessage, StoreError, StoreResult, VisitorRecord};

impl RedisStore {
    pub(super) async fn open(
        &self,
        visitor: &VisitorRecord,
        new_id: &ConversationId,
        route: &Route,
        at_ms: u64,
    ) -> StoreResult<(Conversation, bool)> {
        if unknown_conversation(new_id)
            || !keys::addressable(visitor.id.as_str())
            || !keys::addressable(visitor.site.as_str())
        {
            return Err(StoreError::Conflict("invalid id"));
        }
        let route = Route {
            queued_at_ms: at_ms,
            ..route.clone()
        };
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
            .arg(at_ms)
            .arg(codec::json(&route, "route")?);
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
        let replied_at = match message.author.role {
            Role::Agent => message.at_ms.to_string(),
            Role::Visitor | Role::System => String::new(),
        };
        let mut call = self.scripts.append_message.prepare_invoke();
        call.key(self.keys.conversation(c))
            .key(self.keys.messages(c))
            .key(self.keys.client_ids(c))
            .arg(message.client_msg_id.as_str())
            .arg(head)
            .arg(tail)
            .arg(replied_at)
            .arg(self.message_events.as_deref().unwrap_or(""))
            .arg(message.assignee.as_ref().map_or("", AgentId::as_str));
        if let Some(report) = message
            .report
            .as_ref()
            .filter(|r| keys::addressable(r.site.as_str()) && !r.adds.is_empty())
        {
            self.report_adds(&mut call, report.site.as_str(), &report.adds);
        }
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
            published: !duplicate && self.message_events.is_some(),
            first_reply: payload.get(1).is_some_and(|flag| flag == "1"),
        })
    }

    pub(super) async fn assign_to(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        matched: Option<Match>,
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
            .arg(at_ms)
            .arg(super::routing::match_word(matched)?);
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

    pub(super) async fn reopen(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        if unknown_conversation(conversation) {
            return Err(StoreError::NotFound);
        }
        let c = conversation.as_str();
        let mut call = self.scripts.reopen_conversation.prepare_invoke();
        call.key(self.keys.conversation(c))
            .key(self.keys.queue())
            .key(self.keys.queue_seq())
            .key(self.keys.closed())
            .arg(self.keys.prefix())
            .arg(c)
            .arg(at_ms);
        Ok(self.conversation_script(&call).await?.1)
    }
}
