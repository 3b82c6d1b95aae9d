//! Durable domain data behind one trait, [`Store`], with two implementations:
//! [`sqlite::SqliteStore`] (the single-node default, "the embedded store":
//! SQLite in a data directory) and [`redis::RedisStore`] (shared by several
//! relay nodes). [`crate::backend`] is the one place that picks between
//! them. [`embedded`] is the journal store of earlier versions, kept to
//! read (and, in tests, write) the data directories they left, which the
//! SQLite store imports on first open.
//!
//! Every method that changes data is atomic on its own: the SQLite store
//! runs each call in its own savepoint, the Redis store runs a Lua script.
//! Methods that check a precondition (`assign`, `transfer`, `append_message`)
//! fail with a typed [`StoreError`] and change nothing when it does not hold.
//! The conformance suite (`e2e/tests/store_conformance.rs`) runs every
//! implementation through the same cases. Every store is also a
//! [`ContactStore`] (the customer record, [`contacts`]), with its own suite
//! (`e2e/tests/contact_store.rs`), a [`RetentionStore`] (deleting old
//! data in batches, [`retention`]) and a [`KnowledgeStore`] (articles,
//! canned replies, [`knowledge`]; suite `e2e/tests/knowledge_store.rs`)
//! and a [`ReportStore`] (report roll-ups: rows of counters per bucket
//! and channel or agent, [`reports`]; suite `e2e/tests/report_store.rs`).

pub mod contacts;
pub mod csat;
pub mod embedded;
pub mod erasure;
pub mod knowledge;
mod model;
pub mod redis;
pub mod reports;
pub mod retention;
pub mod sign_ins;
pub mod sqlite;

use async_trait::async_trait;
pub use contacts::{ContactStore, Recorded};
pub use csat::CsatStore;
pub use erasure::{AuditEntry, Erased, ErasureStore};
pub use knowledge::KnowledgeStore;
pub use model::{
    AgentRecord, AgentStatus, Appended, Conversation, MessageReport, NewMessage, Site,
    VisitorRecord,
};
pub use reports::ReportStore;
pub use retention::RetentionStore;
use shared::routing::{Match, Route};
use shared::{AgentId, ChatMessage, ConversationId, Presence, Seq, SiteId, VisitorId};
pub use sign_ins::{Failures, SignInFailures};

use crate::routing::RoutingSnapshot;

/// What can go wrong in a store, in terms the layers above can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The conversation or agent does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule or a precondition did not hold (email taken,
    /// conversation no longer waiting, ...). Nothing was changed.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The conversation is closed; nothing was changed.
    #[error("conversation closed")]
    ConversationClosed,
    /// The target agent is offline/away or at capacity; nothing was changed.
    #[error("agent unavailable")]
    AgentUnavailable,
    /// The backend could not be reached or failed (I/O, Redis down). The
    /// operation may be retried; it was not applied.
    #[error("backend: {0}")]
    Backend(String),
    /// Stored data could not be decoded: a bug or outside tampering.
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The conflict of an agent's message to a conversation not (or no
/// longer) assigned to that agent.
pub const NOT_ASSIGNED: &str = "not assigned to the author";

/// Durable domain data. See the module docs for the atomicity contract.
#[async_trait]
pub trait Store:
    ContactStore
    + CsatStore
    + ErasureStore
    + KnowledgeStore
    + ReportStore
    + RetentionStore
    + SignInFailures
    + Send
    + Sync
    + std::fmt::Debug
    + 'static
{
    /// Succeeds when the backend is reachable (for `/readyz`).
    async fn ping(&self) -> StoreResult<()>;

    /// Creates or replaces a site.
    async fn put_site(&self, site: &Site) -> StoreResult<()>;
    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>>;
    /// Every site's id, sorted.
    async fn sites(&self) -> StoreResult<Vec<SiteId>>;

    /// Creates an agent; `Conflict` if the email is taken. New agents are offline.
    async fn create_agent(&self, agent: &AgentRecord) -> StoreResult<()>;
    async fn agent(&self, id: &AgentId) -> StoreResult<Option<AgentRecord>>;
    /// Looks up by email (callers pass it lower-cased and trimmed).
    async fn agent_by_email(&self, email: &str) -> StoreResult<Option<AgentRecord>>;
    /// All agents, in creation order.
    async fn agents(&self) -> StoreResult<Vec<AgentRecord>>;
    /// `Offline` for an agent that never set one.
    async fn agent_status(&self, id: &AgentId) -> StoreResult<AgentStatus>;
    /// Sets presence; going online also counts as activity (for routing).
    async fn set_presence(&self, id: &AgentId, presence: Presence, at_ms: u64) -> StoreResult<()>;

    /// Node `node` holds live sockets of `agents` until `until_ms` (a
    /// lease, renewed while the sockets stay). With several nodes, an
    /// agent's presence lives only as long as some node holds a lease:
    /// see [`Store::expire_presence`].
    async fn hold_presence(&self, node: &str, agents: &[AgentId], until_ms: u64)
        -> StoreResult<()>;
    /// Node `node` no longer holds sockets of `agent`. If no other node
    /// holds a live lease, the agent goes offline atomically; returns
    /// whether it did.
    async fn release_presence(&self, node: &str, agent: &AgentId, at_ms: u64) -> StoreResult<bool>;
    /// Sets offline every agent whose leases all ran out (their nodes died
    /// without releasing them); returns those agents.
    async fn expire_presence(&self, now_ms: u64) -> StoreResult<Vec<AgentId>>;

    /// Stores an agent session under the hash of its token.
    async fn create_session(
        &self,
        token_hash: &str,
        agent: &AgentId,
        expires_at_ms: u64,
    ) -> StoreResult<()>;
    /// The session's agent, if the session exists and has not expired.
    async fn session_agent(&self, token_hash: &str, now_ms: u64) -> StoreResult<Option<AgentId>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Notes that a visitor's socket is on each of `conversations` at
    /// `at_ms` (soft state: an abandoned waiting conversation is one whose
    /// visitor has not been seen for a while).
    async fn touch_visitors(&self, conversations: &[ConversationId], at_ms: u64)
        -> StoreResult<()>;
    /// Ends every session of `agent` but the one hashing to `keep`;
    /// returns how many ended.
    async fn end_agent_sessions(&self, agent: &AgentId, keep: Option<&str>) -> StoreResult<usize>;
    /// Replaces an agent's password hash. `NotFound` for no such agent.
    async fn set_password_hash(&self, agent: &AgentId, hash: &str) -> StoreResult<()>;
    /// Disables (or enables again) an agent. `NotFound` for no such agent.
    async fn set_agent_disabled(&self, agent: &AgentId, disabled: bool) -> StoreResult<()>;

    async fn create_visitor(&self, visitor: &VisitorRecord) -> StoreResult<()>;
    async fn visitor_by_token(&self, token_hash: &str) -> StoreResult<Option<VisitorRecord>>;

    /// Returns the visitor's open conversation, or creates `new_id` as a
    /// waiting conversation at the back of the queue. The bool is true when
    /// it was created.
    async fn open_conversation(
        &self,
        visitor: &VisitorRecord,
        new_id: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<(Conversation, bool)> {
        self.open_routed_conversation(visitor, new_id, &Route::default(), at_ms)
            .await
    }
    /// [`Store::open_conversation`] with what the new conversation asks
    /// of routing; the store sets `route.queued_at_ms` to `at_ms`. An
    /// open conversation that already exists is returned unchanged.
    async fn open_routed_conversation(
        &self,
        visitor: &VisitorRecord,
        new_id: &ConversationId,
        route: &Route,
        at_ms: u64,
    ) -> StoreResult<(Conversation, bool)>;
    async fn conversation(&self, id: &ConversationId) -> StoreResult<Option<Conversation>>;
    /// All of the visitor's conversations, oldest first.
    async fn visitor_conversations(&self, visitor: &VisitorId) -> StoreResult<Vec<Conversation>>;
    /// The agent's open conversations, oldest first.
    async fn agent_conversations(&self, agent: &AgentId) -> StoreResult<Vec<Conversation>>;
    /// Waiting conversations in arrival order.
    async fn waiting(&self) -> StoreResult<Vec<Conversation>>;

    /// Stores a message with the next seq of its conversation, unless its
    /// client message id is already stored there (then returns that one with
    /// `duplicate: true`). `NotFound` / `ConversationClosed` change nothing,
    /// and so does [`NOT_ASSIGNED`] for a message whose `assignee` is not
    /// the conversation's agent (or the conversation is not assigned).
    /// An agent's message also sets the conversation's `agent_replied_at_ms`.
    async fn append_message(&self, message: &NewMessage) -> StoreResult<Appended>;
    /// Messages with seq > `after`, in seq order, at most `limit`.
    async fn messages_after(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> StoreResult<Vec<ChatMessage>>;

    /// Everything routing needs, read consistently enough that a decision
    /// made from it is either valid or rejected by [`Store::assign`].
    async fn routing_snapshot(&self) -> StoreResult<RoutingSnapshot>;
    /// Assigns a waiting conversation to an online agent with free capacity,
    /// atomically. `Conflict` if the conversation is no longer waiting,
    /// `AgentUnavailable` if the agent is not online or is full.
    async fn assign(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        self.assign_matched(conversation, agent, None, at_ms).await
    }
    /// [`Store::assign`], also setting `assigned_at_ms` to `at_ms` and
    /// `route.matched` to `matched` (how routing found the agent; `None`
    /// for an agent taking it by hand).
    async fn assign_matched(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        matched: Option<Match>,
        at_ms: u64,
    ) -> StoreResult<Conversation>;
    /// Sends an assigned conversation back to the front of the queue,
    /// atomically: `agent` and `assigned_at_ms` cleared, `route.returned`
    /// + 1, `route.queued_at_ms` = `at_ms`, `route.matched` cleared, the
    /// agent's capacity freed, version + 1. `NotFound` unless it is open
    /// and assigned to `from`. With `unanswered_since: Some(t)` it only
    /// goes back if it was assigned at `t` and no agent wrote since
    /// (`Conflict("answered")` otherwise), so a reply that lands first,
    /// or another node's requeue and new assignment, wins the race.
    async fn requeue(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        unanswered_since: Option<u64>,
        at_ms: u64,
    ) -> StoreResult<Conversation>;
    /// Every open conversation with an agent, for the reassignment sweep.
    async fn assigned_conversations(&self) -> StoreResult<Vec<Conversation>>;
    /// Sets an agent's languages, skills and capacity (checked by the
    /// caller). `NotFound` for no such agent. Lowering capacity below the
    /// agent's load takes nothing away; it only stops new assignments.
    async fn set_agent_routing(
        &self,
        agent: &AgentId,
        languages: &[String],
        skills: &[String],
        max_concurrent: u32,
    ) -> StoreResult<()>;
    /// Moves an assigned conversation from `from` to `to`, atomically;
    /// `assigned_at_ms` becomes `at_ms` (the new agent's answer deadline
    /// starts) and `route.matched` is cleared.
    /// `NotFound` unless it is open and assigned to `from`;
    /// `AgentUnavailable` unless `to` is online with free capacity.
    async fn transfer(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        to: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Conversation>;
    /// Closes an open conversation (freeing its agent's capacity or leaving
    /// the queue). `ConversationClosed` if it already was.
    async fn close_conversation(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation>;
    /// Opens a closed conversation again, atomically: it waits at the back
    /// of the queue (`route.queued_at_ms` = `at_ms`, `route.matched` and
    /// `returned_from` cleared), `closed_at_ms`, `agent` and
    /// `assigned_at_ms` cleared, version + 1; its messages and rating stay.
    /// It is its visitor's open conversation again. `NotFound` unless it
    /// exists and is closed; `Conflict("visitor_busy")` when its visitor
    /// has another conversation open (one open conversation per visitor).
    async fn reopen_conversation(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation>;
}
