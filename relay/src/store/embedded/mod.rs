//! The default store: durable on one node with nothing to install. State
//! lives in memory (see [`state`]); every change is first appended to an
//! fsynced journal (see [`journal`]) in the data directory, so a restart
//! with the same directory loses nothing that was acknowledged. One lock
//! covers check-and-write, which makes each method atomic. The fsync runs
//! on tokio's blocking pool.
//!
//! Every call waits, after releasing the lock, until the journal is on
//! disk up to what the call saw (group commit, see [`journal`]): a write is
//! acknowledged only once durable, and a read never returns state that a
//! crash could still take back, while one fsync serves many writers.
//!
//! Compaction (the journal rewritten as one snapshot of the state) runs
//! after an erasure, so erased data is in no line of it; otherwise the
//! journal grows with every message and replay time with it.

mod as_pairs;
mod contact_erase;
mod contact_merge;
mod contact_proof;
mod contact_proposals;
mod contact_rows;
mod contact_state;
mod contacts;
mod csat;
pub(crate) mod handover;
mod journal;
mod knowledge;
mod reports;
mod retention;
mod sign_ins;
mod state;

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use shared::{
    AgentId, ChatMessage, ConversationId, ConversationStatus, Presence, Seq, SiteId, VisitorId,
};

use self::journal::{Durability, Journal};
use self::state::{Op, SnapshotLine, State};
use super::{
    AgentRecord, AgentStatus, Appended, Conversation, NewMessage, Site, Store, StoreError,
    StoreResult, VisitorRecord,
};
use crate::routing::{AgentLoad, RoutingSnapshot, Waiting};
use shared::routing::{Match, Route};

#[derive(Debug)]
struct Inner {
    state: State,
    journal: Journal,
}

impl Inner {
    /// Journals `op`, then applies it: nothing is visible before it is durable.
    fn commit(&mut self, op: Op) -> StoreResult<()> {
        self.journal.append(&op)?;
        self.state.apply(op);
        Ok(())
    }

    /// Rewrites the journal as one snapshot of the state: what an erasure
    /// removed is then in no line of it (and replay is one line long).
    fn compact(&mut self) -> StoreResult<()> {
        self.journal.rewrite(&SnapshotLine::Snapshot(&self.state))?;
        tracing::info!("journal compacted to a snapshot");
        Ok(())
    }
}

/// The embedded store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EmbeddedStore {
    inner: Arc<Mutex<Inner>>,
    durability: Arc<Durability>,
    sign_ins: Arc<crate::store::sign_ins::FailureCounts>,
}

impl EmbeddedStore {
    /// Opens the store in `dir`, replaying its journal. Fails if another
    /// process holds the directory.
    pub fn open(dir: &Path) -> StoreResult<Self> {
        let (journal, ops) = Journal::open::<Op>(dir)?;
        let mut state = State::default();
        let replayed = ops.len();
        // An erasure whose compaction did not finish (a crash, a full
        // disk) leaves older lines holding what it erased: compact now.
        let erased_since_snapshot = ops.iter().any(|op| matches!(op, Op::EraseContact { .. }));
        for op in ops {
            state.apply(op);
        }
        // Who was connected before the restart is unknown: count it as a
        // sighting now, so no waiting visitor is taken for gone at once.
        let opened_at = crate::now_ms();
        for conversation in state.conversations.values_mut() {
            conversation.visitor_seen_ms = Some(opened_at);
        }
        tracing::info!(dir = %dir.display(), replayed, "embedded store opened");
        let durability = journal.durability();
        let mut inner = Inner { state, journal };
        if erased_since_snapshot {
            inner.compact()?;
        }
        Ok(Self {
            inner: Arc::new(Mutex::new(inner)),
            durability,
            sign_ins: Arc::default(),
        })
    }

    /// Runs `f` under the lock, then waits (lock released) until the
    /// journal is durable up to what `f` saw. `f` runs inline: it touches
    /// memory and at most writes a line to the page cache; the one slow
    /// step, the fsync, runs on the blocking pool, shared by every caller
    /// waiting at that moment.
    async fn with<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Inner) -> StoreResult<R> + Send + 'static,
    {
        let (result, seen) = {
            let mut guard = self
                .inner
                .lock()
                .map_err(|_| StoreError::Backend("store lock poisoned".into()))?;
            let result = f(&mut guard);
            (result, self.durability.written())
        };
        self.durability.until_durable(seen).await?;
        result
    }
}

#[async_trait]
impl Store for EmbeddedStore {
    async fn ping(&self) -> StoreResult<()> {
        self.with(|_| Ok(())).await
    }

    async fn put_site(&self, site: &Site) -> StoreResult<()> {
        let site = site.clone();
        self.with(move |i| i.commit(Op::PutSite(site))).await
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        let id = id.clone();
        self.with(move |i| Ok(i.state.sites.get(&id).cloned()))
            .await
    }

    async fn sites(&self) -> StoreResult<Vec<SiteId>> {
        self.with(move |i| {
            let mut ids: Vec<SiteId> = i.state.sites.keys().cloned().collect();
            ids.sort();
            Ok(ids)
        })
        .await
    }

    async fn create_agent(&self, agent: &AgentRecord) -> StoreResult<()> {
        let agent = agent.clone();
        self.with(move |i| {
            if i.state.agent_by_email.contains_key(&agent.email) {
                return Err(StoreError::Conflict("email taken"));
            }
            i.commit(Op::CreateAgent(agent))
        })
        .await
    }

    async fn agent(&self, id: &AgentId) -> StoreResult<Option<AgentRecord>> {
        let id = id.clone();
        self.with(move |i| Ok(i.state.agents.get(&id).cloned()))
            .await
    }

    async fn agent_by_email(&self, email: &str) -> StoreResult<Option<AgentRecord>> {
        let email = email.to_owned();
        self.with(move |i| {
            let s = &i.state;
            Ok(s.agent_by_email
                .get(&email)
                .and_then(|id| s.agents.get(id))
                .cloned())
        })
        .await
    }

    async fn agents(&self) -> StoreResult<Vec<AgentRecord>> {
        self.with(|i| {
            let s = &i.state;
            Ok(s.agent_order
                .iter()
                .filter_map(|id| s.agents.get(id).cloned())
                .collect())
        })
        .await
    }

    async fn agent_status(&self, id: &AgentId) -> StoreResult<AgentStatus> {
        let id = id.clone();
        self.with(move |i| Ok(i.state.status(&id))).await
    }

    async fn set_presence(&self, id: &AgentId, presence: Presence, at_ms: u64) -> StoreResult<()> {
        let id = id.clone();
        self.with(move |i| {
            if !i.state.agents.contains_key(&id) {
                return Err(StoreError::NotFound);
            }
            let previous = i.state.status(&id);
            let last_activity_ms = if presence == Presence::Online {
                at_ms
            } else {
                previous.last_activity_ms
            };
            i.state.status.insert(
                id,
                AgentStatus {
                    presence,
                    last_activity_ms,
                },
            );
            Ok(())
        })
        .await
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
        self.set_presence(agent, Presence::Offline, at_ms).await?;
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
        let op = Op::CreateSession {
            token_hash: token_hash.to_owned(),
            agent: agent.clone(),
            expires_at_ms,
        };
        self.with(move |i| i.commit(op)).await
    }

    async fn session_agent(&self, token_hash: &str, now_ms: u64) -> StoreResult<Option<AgentId>> {
        let token_hash = token_hash.to_owned();
        self.with(move |i| {
            Ok(i.state
                .sessions
                .get(&token_hash)
                .filter(|(_, expires)| *expires > now_ms)
                .map(|(agent, _)| agent.clone()))
        })
        .await
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let token_hash = token_hash.to_owned();
        self.with(move |i| {
            if !i.state.sessions.contains_key(&token_hash) {
                return Ok(());
            }
            i.commit(Op::DeleteSession { token_hash })
        })
        .await
    }

    async fn touch_visitors(
        &self,
        conversations: &[ConversationId],
        at_ms: u64,
    ) -> StoreResult<()> {
        let conversations = conversations.to_vec();
        self.with(move |i| {
            // Soft state, straight into memory: a restart counts as a
            // sighting (see `open`), and visitors reconnect at once.
            for id in &conversations {
                if let Some(c) = i.state.conversations.get_mut(id) {
                    c.visitor_seen_ms = Some(at_ms);
                }
            }
            Ok(())
        })
        .await
    }

    async fn end_agent_sessions(&self, agent: &AgentId, keep: Option<&str>) -> StoreResult<usize> {
        let (agent, keep) = (agent.clone(), keep.map(str::to_owned));
        self.with(move |i| {
            let ending = i
                .state
                .sessions
                .iter()
                .filter(|(hash, (owner, _))| *owner == agent && keep.as_ref() != Some(*hash))
                .count();
            if ending > 0 {
                i.commit(Op::EndAgentSessions { agent, keep })?;
            }
            Ok(ending)
        })
        .await
    }

    async fn set_password_hash(&self, agent: &AgentId, hash: &str) -> StoreResult<()> {
        let op = Op::SetPasswordHash {
            agent: agent.clone(),
            hash: hash.to_owned(),
        };
        self.with(move |i| known_agent(i, op)).await
    }

    async fn set_agent_disabled(&self, agent: &AgentId, disabled: bool) -> StoreResult<()> {
        let op = Op::SetAgentDisabled {
            agent: agent.clone(),
            disabled,
        };
        self.with(move |i| known_agent(i, op)).await
    }

    async fn create_visitor(&self, visitor: &VisitorRecord) -> StoreResult<()> {
        let visitor = visitor.clone();
        self.with(move |i| {
            if i.state.visitors.contains_key(&visitor.id)
                || i.state.visitor_by_token.contains_key(&visitor.token_hash)
            {
                return Err(StoreError::Conflict("visitor exists"));
            }
            i.commit(Op::CreateVisitor(visitor))
        })
        .await
    }

    async fn visitor_by_token(&self, token_hash: &str) -> StoreResult<Option<VisitorRecord>> {
        let token_hash = token_hash.to_owned();
        self.with(move |i| {
            let s = &i.state;
            Ok(s.visitor_by_token
                .get(&token_hash)
                .and_then(|id| s.visitors.get(id))
                .cloned())
        })
        .await
    }

    /// The journal has no routing fields: the route is not kept (this
    /// store only writes in tests that make old data directories).
    async fn open_routed_conversation(
        &self,
        visitor: &VisitorRecord,
        new_id: &ConversationId,
        _route: &Route,
        at_ms: u64,
    ) -> StoreResult<(Conversation, bool)> {
        let visitor = visitor.clone();
        let new_id = new_id.clone();
        self.with(move |i| {
            let open = i
                .state
                .visitor_conversations
                .get(&visitor.id)
                .into_iter()
                .flatten()
                .filter_map(|id| i.state.conversations.get(id))
                .find(|c| c.is_open())
                .cloned();
            if let Some(open) = open {
                return Ok((open, false));
            }
            let number = contacts::take_case_number(i, &visitor.site)?;
            let conversation = Conversation::new_waiting(new_id, &visitor, number, at_ms);
            i.commit(Op::OpenConversation(conversation.clone()))?;
            Ok((conversation, true))
        })
        .await
    }

    async fn conversation(&self, id: &ConversationId) -> StoreResult<Option<Conversation>> {
        let id = id.clone();
        self.with(move |i| Ok(i.state.conversations.get(&id).cloned()))
            .await
    }

    async fn visitor_conversations(&self, visitor: &VisitorId) -> StoreResult<Vec<Conversation>> {
        let visitor = visitor.clone();
        self.with(move |i| {
            let s = &i.state;
            Ok(s.conversations_sorted(s.visitor_conversations.get(&visitor).into_iter().flatten()))
        })
        .await
    }

    async fn agent_conversations(&self, agent: &AgentId) -> StoreResult<Vec<Conversation>> {
        let agent = agent.clone();
        self.with(move |i| {
            let s = &i.state;
            Ok(s.conversations_sorted(s.open_by_agent.get(&agent).into_iter().flatten()))
        })
        .await
    }

    async fn waiting(&self) -> StoreResult<Vec<Conversation>> {
        self.with(|i| {
            let s = &i.state;
            Ok(s.queue
                .iter()
                .filter_map(|id| s.conversations.get(id).cloned())
                .collect())
        })
        .await
    }

    async fn append_message(&self, message: &NewMessage) -> StoreResult<Appended> {
        let new = message.clone();
        self.with(move |i| {
            let s = &i.state;
            let conversation = s
                .conversations
                .get(&new.conversation)
                .ok_or(StoreError::NotFound)?;
            let earlier = s
                .client_ids
                .get(&new.conversation)
                .and_then(|ids| ids.get(&new.client_msg_id));
            if let Some(&seq) = earlier {
                let stored = usize::try_from(seq - 1)
                    .ok()
                    .and_then(|idx| s.messages.get(&new.conversation)?.get(idx).cloned())
                    .ok_or_else(|| StoreError::Corrupt("client id without message".into()))?;
                return Ok(Appended {
                    message: stored,
                    duplicate: true,
                    published: false,
                    first_reply: false,
                });
            }
            conversation.accepts(new.assignee.as_ref())?;
            // The journal keeps no reply times: every agent message may be
            // the first (reports find out from the messages).
            let first_reply = new.author.role == shared::Role::Agent;
            let message = ChatMessage {
                conversation: new.conversation,
                seq: conversation.last_seq + 1,
                client_msg_id: new.client_msg_id,
                author: new.author,
                text: new.text,
                sent_at_ms: new.at_ms,
            };
            i.commit(Op::AppendMessage(message.clone()))?;
            Ok(Appended {
                message,
                duplicate: false,
                published: false,
                first_reply,
            })
        })
        .await
    }

    async fn messages_after(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> StoreResult<Vec<ChatMessage>> {
        let conversation = conversation.clone();
        self.with(move |i| {
            let all = i.state.messages.get(&conversation);
            let start = usize::try_from(after).unwrap_or(usize::MAX);
            Ok(all
                .map(|m| m.iter().skip(start).take(limit).cloned().collect())
                .unwrap_or_default())
        })
        .await
    }

    async fn routing_snapshot(&self) -> StoreResult<RoutingSnapshot> {
        self.with(|i| {
            let s = &i.state;
            let agents = s
                .agent_order
                .iter()
                .filter_map(|id| s.agents.get(id))
                .map(|a| {
                    let status = s.status(&a.id);
                    AgentLoad {
                        id: a.id.clone(),
                        presence: status.presence,
                        max_concurrent: a.max_concurrent,
                        load: s.load(&a.id),
                        last_activity_ms: status.last_activity_ms,
                        languages: Vec::new(),
                        skills: Vec::new(),
                    }
                })
                .collect();
            let waiting = s
                .queue
                .iter()
                .filter_map(|id| s.conversations.get(id))
                .map(|c| Waiting {
                    id: c.id.clone(),
                    site: c.site.clone(),
                    route: c.route.clone(),
                    created_at_ms: c.created_at_ms,
                })
                .collect();
            Ok(RoutingSnapshot { agents, waiting })
        })
        .await
    }

    async fn assign_matched(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        _matched: Option<Match>,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let (conversation, agent) = (conversation.clone(), agent.clone());
        self.with(move |i| {
            let record = i
                .state
                .conversations
                .get(&conversation)
                .ok_or(StoreError::NotFound)?;
            if record.status != ConversationStatus::Waiting {
                return Err(StoreError::Conflict("not waiting"));
            }
            let target = i.state.agents.get(&agent).ok_or(StoreError::NotFound)?;
            if !i.state.can_take(target) {
                return Err(StoreError::AgentUnavailable);
            }
            move_to_agent(i, conversation, target.clone(), at_ms)
        })
        .await
    }

    async fn requeue(
        &self,
        _: &ConversationId,
        _: &AgentId,
        _: Option<u64>,
        _: u64,
    ) -> StoreResult<Conversation> {
        Err(no_routing())
    }

    async fn assigned_conversations(&self) -> StoreResult<Vec<Conversation>> {
        self.with(|i| {
            Ok(i.state
                .conversations
                .values()
                .filter(|c| c.status == ConversationStatus::Assigned)
                .cloned()
                .collect())
        })
        .await
    }

    async fn set_agent_routing(
        &self,
        _: &AgentId,
        _: &[String],
        _: &[String],
        _: u32,
    ) -> StoreResult<()> {
        Err(no_routing())
    }

    async fn transfer(
        &self,
        conversation: &ConversationId,
        from: &AgentId,
        to: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let (conversation, from, to) = (conversation.clone(), from.clone(), to.clone());
        self.with(move |i| {
            let record = i
                .state
                .conversations
                .get(&conversation)
                .ok_or(StoreError::NotFound)?;
            if !record.is_open() || record.agent.as_ref() != Some(&from) {
                return Err(StoreError::NotFound);
            }
            let target = i.state.agents.get(&to).ok_or(StoreError::NotFound)?;
            if to == from || !i.state.can_take(target) {
                return Err(StoreError::AgentUnavailable);
            }
            move_to_agent(i, conversation, target.clone(), at_ms)
        })
        .await
    }

    async fn close_conversation(
        &self,
        conversation: &ConversationId,
        at_ms: u64,
    ) -> StoreResult<Conversation> {
        let conversation = conversation.clone();
        self.with(move |i| {
            let record = i
                .state
                .conversations
                .get(&conversation)
                .ok_or(StoreError::NotFound)?;
            if !record.is_open() {
                return Err(StoreError::ConversationClosed);
            }
            i.commit(Op::Close {
                conversation: conversation.clone(),
                at_ms,
            })?;
            i.state
                .conversations
                .get(&conversation)
                .cloned()
                .ok_or(StoreError::NotFound)
        })
        .await
    }

    // Reopening puts a conversation back in the queue, which this store's
    // journal has no op for; its data moves to SQLite before any relay
    // serves from it.
    async fn reopen_conversation(&self, _: &ConversationId, _: u64) -> StoreResult<Conversation> {
        Err(no_routing())
    }
}

/// Journals and applies an assignment (first or transfer) and marks the
/// agent active now, so routing counts this as their latest activity.
/// Commits an op about one agent, if that agent exists.
fn known_agent(i: &mut Inner, op: Op) -> StoreResult<()> {
    let agent = match &op {
        Op::SetPasswordHash { agent, .. } | Op::SetAgentDisabled { agent, .. } => agent,
        _ => return i.commit(op),
    };
    if !i.state.agents.contains_key(agent) {
        return Err(StoreError::NotFound);
    }
    i.commit(op)
}

/// Routing settings came after this store; its data moves to SQLite.
fn no_routing() -> StoreError {
    StoreError::Backend(
        "the journal store of earlier versions has no routing settings; \
         this version moves its data to SQLite on first open"
            .into(),
    )
}

fn move_to_agent(
    i: &mut Inner,
    conversation: ConversationId,
    agent: AgentRecord,
    at_ms: u64,
) -> StoreResult<Conversation> {
    i.commit(Op::Assign {
        conversation: conversation.clone(),
        agent: agent.id.clone(),
        agent_name: agent.name.clone(),
    })?;
    let status = i.state.status(&agent.id);
    i.state.status.insert(
        agent.id,
        AgentStatus {
            last_activity_ms: at_ms,
            ..status
        },
    );
    i.state
        .conversations
        .get(&conversation)
        .cloned()
        .ok_or(StoreError::NotFound)
}
