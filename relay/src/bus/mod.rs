//! Cross-node fan-out of events. A [`Bus`] carries [`Event`]s from the node
//! where something happened to every node (itself included), where the
//! [`crate::hub::Hub`] hands them to local sockets. The bus never touches
//! sockets and never stores anything: events are hints to deliver what the
//! store already holds, so a lost event costs latency, not data (sessions
//! fill seq gaps from the store).
//!
//! [`local::LocalBus`] is the single-node default; [`redis::RedisBus`]
//! uses Redis pub/sub on one channel. The backend is picked in [`crate::backend`].
//! A bus that can lose events offers a [`catchup::DeliveryLog`], and the
//! relay runs [`catchup::run`] beside it.

pub mod catchup;
pub mod local;
pub mod redis;

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use shared::canned::Note;
use shared::{AgentId, ArticleId, ChatMessage, ConversationId, ConversationSummary, Role, SiteId};

use crate::store::Conversation;

/// Something that happened that connected clients may need to see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A message was stored.
    Message { message: ChatMessage },
    /// Someone started or stopped typing. Not stored.
    Typing {
        conversation: ConversationId,
        role: Role,
        typing: bool,
    },
    /// A conversation was created, assigned, transferred or closed.
    /// `previous_agent` is set when it left that agent (transfer).
    /// `version` is the conversation's store version when the snapshot
    /// was taken: events race between nodes, so a session drops any
    /// snapshot older than one it holds (see `conversations::versions`).
    ConversationChanged {
        /// Boxed: a summary is several times the size of the other events.
        conversation: Box<ConversationSummary>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_agent: Option<AgentId>,
        #[serde(default)]
        version: u64,
    },
    /// The waiting queue changed; the full queue, oldest first.
    QueueChanged { waiting: Vec<ConversationSummary> },
    /// The agent's sessions ended (signed out everywhere, password
    /// changed, disabled): its sockets close, on every node, except the
    /// one whose session hashes to `keep`.
    SessionsRevoked {
        agent: AgentId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep: Option<String>,
    },
    /// An agent left a private note in a conversation. Only agents'
    /// sessions pass it on; a visitor's session drops it.
    NoteAdded { note: Note },
    /// An article was saved or deleted: every node re-reads it for its
    /// search index (`knowledge::library`). No socket receives it.
    ArticleChanged { site: SiteId, article: ArticleId },
}

impl Event {
    /// The snapshot of a conversation as stored.
    pub fn changed(conversation: &Conversation, previous_agent: Option<AgentId>) -> Self {
        Self::ConversationChanged {
            conversation: Box::new(conversation.summary()),
            previous_agent,
            version: conversation.version,
        }
    }
}

/// A bus could not publish; the event is lost (the data is not).
#[derive(Debug, thiserror::Error)]
#[error("bus: {0}")]
pub struct BusError(pub String);

/// Publishes events to every node. Implementations deliver each published
/// event to every subscribed node's hub at most once; order is kept per
/// publishing node. Delivery is not guaranteed: see the module docs.
#[async_trait]
pub trait Bus: Send + Sync + std::fmt::Debug + 'static {
    async fn publish(&self, event: &Event) -> Result<(), BusError>;

    /// For a bus that can lose events: its log, for the catch-up safety
    /// net. `None` (the default) for a bus that cannot lose any.
    fn delivery_log(&self) -> Option<Arc<catchup::DeliveryLog>> {
        None
    }
}
