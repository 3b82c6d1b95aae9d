//! [`Store`] for [`RedisStore`]: sites, agents, sessions, visitors and the
//! reads, each one command, pipeline or small script. The conversation
//! lifecycle it delegates to `conversations`.

use async_trait::async_trait;
use shared::routing::{Match, Route};
use shared::{AgentId, ChatMessage, ConversationId, Presence, Seq, SiteId, VisitorId};

use super::scripts::unexpected;
use super::{codec, keys, oldest_first, unknown_conversation, RedisStore};
use crate::routing::RoutingSnapshot;
use crate::store::{
    AgentRecord, AgentStatus, Appended, Conversation, NewMessage, Site, Store, StoreError,
    StoreResult, VisitorRecord,
};

/// Sessions outlive their `expires_at_ms` in Redis by this much. Validity is
/// decided by `expires_at_ms` against the caller's clock (the relay's one
/// clock); the Redis expiry only collects garbage, so skew between the
/// relay's and Redis's clocks can never cut a session short.
const SESSION_GRACE_MS: u64 = 60_000;

#[async_trait]
impl Store for RedisStore {
    async fn ping(&self) -> StoreResult<()> {
        let _: String = self.query(&redis::cmd("PING")).await?;
        Ok(())
    }

    async fn put_site(&self, site: &Site) -> StoreResult<()> {
        let mut hset = redis::cmd("HSET");
        hset.arg(self.keys.site(site.id.as_str()));
        for (field, value) in codec::site_fields(site)? {
            hset.arg(field).arg(value);
        }
        let mut pipe = redis::pipe();
        pipe.atomic().add_command(hset).ignore();
        pipe.cmd("SADD")
            .arg(self.keys.sites())
            .arg(site.id.as_str())
            .ignore();
        self.write_pipe(&pipe).await
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        let fields: codec::Fields = self
            .query(redis::cmd("HGETALL").arg(self.keys.site(id.as_str())))
            .await?;
        if fields.is_empty() {
            return Ok(None);
        }
        codec::site(id.as_str(), &fields).map(Some)
    }

    async fn sites(&self) -> StoreResult<Vec<SiteId>> {
        let mut ids: Vec<String> = self
            .query(redis::cmd("SMEMBERS").arg(self.keys.sites()))
            .await?;
        ids.sort();
        Ok(ids.into_iter().map(SiteId).collect())
    }

    async fn create_agent(&self, agent: &AgentRecord) -> StoreResult<()> {
        if !keys::addressable(agent.id.as_str()) {
            return Err(StoreError::Conflict("invalid id"));
        }
        let mut call = self.scripts.create_agent.prepare_invoke();
        call.key(self.keys.agent_email(&agent.email))
            .key(self.keys.agent(agent.id.as_str()))
            .key(self.keys.agents())
            .arg(agent.id.as_str())
            .arg(&agent.email)
            .arg(&agent.name)
            .arg(&agent.password_hash)
            .arg(if agent.admin { "1" } else { "0" })
            .arg(agent.max_concurrent)
            .arg(agent.created_at_ms)
            .arg(codec::json(&agent.languages, "agent")?)
            .arg(codec::json(&agent.skills, "agent")?);
        let (word, _) = self.eval(&call).await?;
        match word.as_str() {
            "ok" => Ok(()),
            other => Err(unexpected(other)),
        }
    }

    async fn agent(&self, id: &AgentId) -> StoreResult<Option<AgentRecord>> {
        if !keys::addressable(id.as_str()) {
            return Ok(None);
        }
        Ok(self.agents_by_id(std::slice::from_ref(&id.0)).await?.pop())
    }

    async fn agent_by_email(&self, email: &str) -> StoreResult<Option<AgentRecord>> {
        let id: Option<String> = self
            .query(redis::cmd("GET").arg(self.keys.agent_email(email)))
            .await?;
        match id {
            Some(id) => self.agent(&AgentId(id)).await,
            None => Ok(None),
        }
    }

    async fn agents(&self) -> StoreResult<Vec<AgentRecord>> {
        let ids: Vec<String> = self
            .query(redis::cmd("LRANGE").arg(self.keys.agents()).arg(0).arg(-1))
            .await?;
        self.agents_by_id(&ids).await
    }

    async fn agent_status(&self, id: &AgentId) -> StoreResult<AgentStatus> {
        if !keys::addressable(id.as_str()) {
            return Ok(codec::agent_status(None, None));
        }
        let (presence, last): (Option<String>, Option<String>) = self
            .query(
                redis::cmd("HMGET")
                    .arg(self.keys.agent(id.as_str()))
                    .arg("presence")
                    .arg("last_activity_ms"),
            )
            .await?;
        Ok(codec::agent_status(presence, last))
    }

    async fn set_presence(&self, id: &AgentId, presence: Presence, at_ms: u64) -> StoreResult<()> {
        if !keys::addressable(id.as_str()) {
            return Err(StoreError::NotFound);
        }
        let mut call = self.scripts.set_presence.prepare_invoke();
        call.key(self.keys.agent(id.as_str()))
            .arg(codec::presence_word(presence))
            .arg(at_ms);
        let (word, _) = self.eval(&call).await?;
        match word.as_str() {
            "ok" => Ok(()),
            other => Err(unexpected(other)),
        }
    }

    async fn hold_presence(
        &self,
        node: &str,
        agents: &[AgentId],
        until_ms: u64,
    ) -> StoreResult<()> {
        self.hold(node, agents, until_ms).await
    }

    async fn release_presence(&self, node: &str, agent: &AgentId, at_ms: u64) -> StoreResult<bool> {
        self.release(node, agent, at_ms).await
    }

    async fn expire_presence(&self, now_ms: u64) -> StoreResult<Vec<AgentId>> {
        self.expire(now_ms).await
    }

    async fn create_session(
        &self,
        token_hash: &str,
        agent: &AgentId,
        expires_at_ms: u64,
    ) -> StoreResult<()> {
        let key = self.keys.session(token_hash);
        let ttl = expires_at_ms
            .saturating_sub(crate::now_ms())
            .saturating_add(SESSION_GRACE_MS);
        let mut pipe = redis::pipe();
        pipe.atomic().cmd("DEL").arg(&key).ignore();
        pipe.cmd("HSET")
            .arg(&key)
            .arg("agent")
            .arg(agent.as_str())
            .arg("expires_at_ms")
            .arg(expires_at_ms)
            .ignore();
        pipe.cmd("PEXPIRE").arg(&key).arg(ttl).ignore();
        let index = self.keys.agent_sessions(agent.as_str());
        pipe.cmd("SADD").arg(&index).arg(token_hash).ignore();
        pipe.cmd("PEXPIRE").arg(&index).arg(ttl).ignore();
        self.write_pipe(&pipe).await
    }

    async fn touch_visitors(
        &self,
        conversations: &[ConversationId],
        at_ms: u64,
    ) -> StoreResult<()> {
        let mut call = self.scripts.touch_visitors.prepare_invoke();
        let mut any = false;
        for id in conversations
            .iter()
            .filter(|c| keys::addressable(c.as_str()))
        {
            call.key(self.keys.conversation(id.as_str()));
            any = true;
        }
        if !any {
            return Ok(());
        }
        call.arg(at_ms);
        self.eval(&call).await.map(drop)
    }

    async fn end_agent_sessions(&self, agent: &AgentId, keep: Option<&str>) -> StoreResult<usize> {
        self.end_sessions(agent, keep).await
    }

    async fn set_password_hash(&self, agent: &AgentId, hash: &str) -> StoreResult<()> {
        self.set_agent_field(agent, "password_hash", hash).await
    }

    async fn set_agent_disabled(&self, agent: &AgentId, disabled: bool) -> StoreResult<()> {
        let flag = if disabled { "1" } else { "0" };
        self.set_agent_field(agent, "disabled", flag).await
    }

    async fn session_agent(&self, token_hash: &str, now_ms: u64) -> StoreResult<Option<AgentId>> {
        let (agent, expires): (Option<String>, Option<String>) = self
            .query(
                redis::cmd("HMGET")
                    .arg(self.keys.session(token_hash))
                    .arg("agent")
                    .arg("expires_at_ms"),
            )
            .await?;
        let (Some(agent), Some(expires)) = (agent, expires) else {
            return Ok(None);
        };
        let expires: u64 = expires
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("session expiry {expires:?}")))?;
        Ok((expires > now_ms).then_some(AgentId(agent)))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.write(redis::cmd("DEL").arg(self.keys.session(token_hash)))
            .await
            .map(|_: i64| ())
    }

    async fn create_visitor(&self, visitor: &VisitorRecord) -> StoreResult<()> {
        if !keys::addressable(visitor.id.as_str()) {
            return Err(StoreError::Conflict("invalid id"));
        }
        let mut call = self.scripts.create_visitor.prepare_invoke();
        call.key(self.keys.visitor(visitor.id.as_str()))
            .key(self.keys.visitor_token(&visitor.token_hash))
            .key(self.keys.visitors_by_time())
            .arg(visitor.id.as_str())
            .arg(visitor.site.as_str())
            .arg(&visitor.token_hash)
            .arg(visitor.created_at_ms);
        let (word, _) = self.eval(&call).await?;
        match word.as_str() {
            "ok" => Ok(()),
            other => Err(unexpected(other)),
        }
    }

    async fn visitor_by_token(&self, token_hash: &str) -> StoreResult<Option<VisitorRecord>> {
        let id: Option<String> = self
            .query(redis::cmd("GET").arg(self.keys.visitor_token(token_hash)))
            .await?;
        let Some(id) = id.filter(|id| keys::addressable(id)) else {
            return Ok(None);
        };
        let fields: codec::Fields = self
            .query(redis::cmd("HGETALL").arg(self.keys.visitor(&id)))
            .await?;
        if fields.is_empty() {
            return Ok(None);
        }
        codec::visitor(&id, &fields).map(Some)
    }

    async fn open_routed_conversation(
        &self,
        visitor: &VisitorRecord,
        new_id: &ConversationId,
        route: &Route,
        at_ms: u64,
    ) -> StoreResult<(Conversation, bool)> {
        self.open(visitor, new_id, route, at_ms).await
    }

    async fn conversation(&self, id: &ConversationId) -> StoreResult<Option<Conversation>> {
        if unknown_conversation(id) {
            return Ok(None);
        }
        Ok(self.conversations(std::slice::from_ref(&id.0)).await?.pop())
    }

    async fn visitor_conversations(&self, visitor: &VisitorId) -> StoreResult<Vec<Conversation>> {
        if !keys::addressable(visitor.as_str()) {
            return Ok(Vec::new());
        }
        let key = self.keys.visitor_conversations(visitor.as_str());
        let ids: Vec<String> = self
            .query(redis::cmd("LRANGE").arg(key).arg(0).arg(-1))
            .await?;
        Ok(oldest_first(self.conversations(&ids).await?))
    }

    async fn agent_conversations(&self, agent: &AgentId) -> StoreResult<Vec<Conversation>> {
        if !keys::addressable(agent.as_str()) {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = self
            .query(redis::cmd("SMEMBERS").arg(self.keys.agent_open(agent.as_str())))
            .await?;
        let mut list = self.conversations(&ids).await?;
        list.retain(|c| c.is_open() && c.agent.as_ref() == Some(agent));
        Ok(oldest_first(list))
    }

    async fn waiting(&self) -> StoreResult<Vec<Conversation>> {
        let ids: Vec<String> = self
            .query(redis::cmd("ZRANGE").arg(self.keys.queue()).arg(0).arg(-1))
            .await?;
        let mut list = self.conversations(&ids).await?;
        list.retain(|c| c.status == shared::ConversationStatus::Waiting);
        Ok(list)
    }

    async fn append_message(&self, message: &NewMessage) -> StoreResult<Appended> {
        self.append(message).await
    }

    async fn messages_after(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> StoreResult<Vec<ChatMessage>> {
        // Element i holds seq i + 1, so seq > after starts at index after.
        let Ok(start) = i64::try_from(after) else {
            return Ok(Vec::new());
        };
        if limit == 0 || unknown_conversation(conversation) {
            return Ok(Vec::new());
        }
        let count = i64::try_from(limit).unwrap_or(i64::MAX);
        let stop = start.saturating_add(count - 1);
        let raw: Vec<String> = self
            .query(
                redis::cmd("LRANGE")
                    .arg(self.keys.messages(conversation.as_str()))
                    .arg(start)
                    .arg(stop),
            )
            .await?;
        raw.iter().map(|m| codec::message(m)).collect()
    }

    async fn routing_snapshot(&self) -> StoreResult<RoutingSnapshot> {
        self.snapshot().await
    }

    async fn assign_matched(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        matched: Option<Match>,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        self.assign_to(conversation, agent, matched, at_ms).await
    }

    async fn requeue(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        unanswered_since: Option<u64>,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        self.requeue_front(conversation, from, unanswered_since, at_ms)
            .await
    }

    async fn assigned_conversations(&self) -> StoreResult<Vec<Conversation>> {
        self.assigned().await
    }

    async fn set_agent_routing(
        &self,
        agent: &AgentId,
        languages: &[String],
        skills: &[String],
        max_concurrent: u32,
    ) -> StoreResult<()> {
        self.set_routing(agent, languages, skills, max_concurrent)
            .await
    }

    async fn transfer(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        to: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        self.transfer_to(conversation, from, to, at_ms).await
    }

    async fn close_conversation(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        self.close(conversation, at_ms).await
    }

    async fn reopen_conversation(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        self.reopen(conversation, at_ms).await
    }
}
