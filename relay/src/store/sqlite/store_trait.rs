//! [`Store`] for [`SqliteStore`]: each method names the call in `core`,
//! `chats`, `queue` or `reopen` that does it, so the trait's contract
//! reads in one place and the SQL in another.

use async_trait::async_trait;
use shared::routing::{Match, Route};
use shared::{AgentId, ChatMessage, ConversationId, Presence, Seq, SiteId, VisitorId};

use super::SqliteStore;
use crate::routing::RoutingSnapshot;
use crate::store::{
    AgentRecord, AgentStatus, Appended, Conversation, NewMessage, Site, Store, StoreResult,
    VisitorRecord,
};

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.call(|_| Ok(())).await
    }

    async fn put_site(&self, site: &Site) -> StoreResult<()> {
        self.put_site_row(site).await
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        self.site_row(id).await
    }

    async fn sites(&self) -> StoreResult<Vec<SiteId>> {
        self.site_ids().await
    }

    async fn create_agent(&self, agent: &AgentRecord) -> StoreResult<()> {
        self.insert_agent(agent).await
    }

    async fn agent(&self, id: &AgentId) -> StoreResult<Option<AgentRecord>> {
        self.agent_by("id", id.as_str()).await
    }

    async fn agent_by_email(&self, email: &str) -> StoreResult<Option<AgentRecord>> {
        self.agent_by("email", email).await
    }

    async fn agents(&self) -> StoreResult<Vec<AgentRecord>> {
        self.all_agents().await
    }

    async fn agent_status(&self, id: &AgentId) -> StoreResult<AgentStatus> {
        self.status_of(id).await
    }

    async fn set_presence(&self, id: &AgentId, presence: Presence, at_ms: u64) -> StoreResult<()> {
        self.presence_to(id, presence, at_ms).await
    }

    // One process owns the data directory, so the node's own socket count
    // (kept by the relay) is the whole truth: no leases to keep.
    async fn hold_presence(
        &self,
        _node: &str,
        _agents: &[AgentId],
        _until: u64,
    ) -> StoreResult<()> {
        Ok(())
    }

    async fn release_presence(
        &self,
        _node: &str,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<bool> {
        self.presence_to(agent, Presence::Offline, at_ms).await?;
        Ok(true)
    }

    async fn expire_presence(&self, _now_ms: u64) -> StoreResult<Vec<AgentId>> {
        Ok(Vec::new())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        agent: &AgentId,
        expires_at_ms: u64,
    ) -> StoreResult<()> {
        self.insert_session(token_hash, agent, expires_at_ms).await
    }

    async fn session_agent(&self, token_hash: &str, now_ms: u64) -> StoreResult<Option<AgentId>> {
        self.session_owner(token_hash, now_ms).await
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.remove_session(token_hash).await
    }

    async fn touch_visitors(
        &self,
        conversations: &[ConversationId],
        at_ms: u64,
    ) -> StoreResult<()> {
        self.seen(conversations, at_ms).await
    }

    async fn end_agent_sessions(&self, agent: &AgentId, keep: Option<&str>) -> StoreResult<usize> {
        self.end_sessions(agent, keep).await
    }

    async fn set_password_hash(&self, agent: &AgentId, hash: &str) -> StoreResult<()> {
        self.set_password(agent, hash).await
    }

    async fn set_agent_disabled(&self, agent: &AgentId, disabled: bool) -> StoreResult<()> {
        self.set_disabled(agent, disabled).await
    }

    async fn create_visitor(&self, visitor: &VisitorRecord) -> StoreResult<()> {
        self.insert_visitor(visitor).await
    }

    async fn visitor_by_token(&self, token_hash: &str) -> StoreResult<Option<VisitorRecord>> {
        self.visitor_with_token(token_hash).await
    }

    async fn open_routed_conversation(
        &self,
        visitor: &VisitorRecord,
        new_id: &ConversationId,
        route: &Route,
        at_ms: u64,
    ) -> StoreResult<(Conversation, bool)> {
        self.open_or_create(visitor, new_id, route, at_ms).await
    }

    async fn conversation(&self, id: &ConversationId) -> StoreResult<Option<Conversation>> {
        self.conversation_by_id(id).await
    }

    async fn visitor_conversations(&self, visitor: &VisitorId) -> StoreResult<Vec<Conversation>> {
        self.conversations_of("visitor = ?1", visitor.as_str(), "created_at_ms, id")
            .await
    }

    async fn agent_conversations(&self, agent: &AgentId) -> StoreResult<Vec<Conversation>> {
        self.conversations_of(
            "agent = ?1 AND status = 'assigned'",
            agent.as_str(),
            "created_at_ms, id",
        )
        .await
    }

    async fn waiting(&self) -> StoreResult<Vec<Conversation>> {
        self.conversations_of("status = ?1", "waiting", "queue_seq")
            .await
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
        self.after(conversation, after, limit).await
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
        self.requeue_from(conversation, from, unanswered_since, at_ms)
            .await
    }

    async fn assigned_conversations(&self) -> StoreResult<Vec<Conversation>> {
        self.conversations_of("status = ?1", "assigned", "created_at_ms, id")
            .await
    }

    async fn set_agent_routing(
        &self,
        agent: &AgentId,
        languages: &[String],
        skills: &[String],
        max_concurrent: u32,
    ) -> StoreResult<()> {
        self.routing_to(agent, languages, skills, max_concurrent)
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
