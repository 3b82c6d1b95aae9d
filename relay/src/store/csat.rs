//! Satisfaction ratings in the store: a separate trait so its contract
//! reads on its own. A conversation is rated once, after it closed; the
//! check and the write are one atomic step in every store, so two tabs
//! (or two nodes) rating at once leave exactly one rating.

use async_trait::async_trait;
use shared::csat::Csat;
use shared::ConversationId;

use super::{Conversation, StoreResult};

/// The `Conflict` of rating a conversation that is still open.
pub const NOT_CLOSED: &str = "not closed";
/// The `Conflict` of rating a conversation that has a rating.
pub const ALREADY_RATED: &str = "already rated";

/// Ratings of chat conversations (ingested ones are on timeline items).
#[async_trait]
pub trait CsatStore: Send + Sync {
    /// Sets the conversation's rating, atomically, only if it is closed
    /// and not rated yet; its version goes up by one. `NotFound` for no
    /// such conversation, `Conflict(NOT_CLOSED)` while it is open,
    /// `Conflict(ALREADY_RATED)` when it has one; nothing changes then.
    async fn rate_conversation(
        &self,
        conversation: &ConversationId,
        csat: &Csat,
    ) -> StoreResult<Conversation>;
}
