//! Retention: deleting what a deployment no longer wants to keep, by age.
//! A separate trait so the contract reads on its own; the relay's sweeper
//! (`crate::retention`) calls it with cutoffs from its settings, and both
//! stores implement it with the same rules.
//!
//! What goes, per method (each takes a cutoff in Unix ms and deletes only
//! what is strictly older):
//! - a **closed conversation** closed before the cutoff, with its
//!   messages and its client-message-id dedupe data, and its place in its
//!   visitor's conversation list (SQLite also drops its report fact keys;
//!   on Redis they expire by themselves; the report sums stay). Open (waiting or assigned) ones never go,
//!   however old.
//! - an **anonymous visitor**, created before the cutoff, linked to no
//!   contact and with no conversation left at all (its token goes with it:
//!   the token no longer finds anyone, and a widget holding it starts over
//!   as a new visitor). A visitor whose conversations are all closed waits
//!   until those are deleted: removing it first would leave them pointing
//!   at nobody.
//! - an agent **session** that expired before the cutoff. On Redis
//!   sessions expire on their own (a minute after `expires_at_ms`, see
//!   `redis::ops`), so there this deletes nothing.
//!
//! What stays: contacts and everything on their timelines, including the
//! chat item a conversation left there (its text is only "Chat
//! conversation", its case code and its time): the customer record has
//! its own lifecycle (erasure, [`super::erasure`]), its history and case
//! codes still resolve after the chat is gone, and opening the item finds
//! the conversation `NotFound`. Visitors linked to a contact stay with it.
//!
//! Every method is idempotent (deleting again finds nothing) and batched:
//! one call deletes at most `max` records, each call is atomic on its own
//! (one savepoint, one Lua script), so a sweep of a large backlog is many
//! short calls, never one long hold on the store. A caller repeats until a
//! call returns 0. Calls from several relays at once are safe: each record
//! is deleted, and counted, by exactly one of them.
//!
//! Deleted rows are overwritten in the SQLite file (`secure_delete`); older
//! copies in its write-ahead log are overwritten by its ordinary
//! checkpoints (unlike erasure, retention does not force one).

use async_trait::async_trait;

use super::StoreResult;

/// Deleting old data in batches. See the module docs for the rules.
#[async_trait]
pub trait RetentionStore {
    /// Deletes up to `max` conversations closed before `closed_before_ms`
    /// (oldest first) with their messages; returns how many went.
    async fn delete_closed_conversations(
        &self,
        closed_before_ms: u64,
        max: usize,
    ) -> StoreResult<usize>;
    /// Deletes up to `max` visitors created before `created_before_ms`
    /// with no contact and no conversation; returns how many went.
    async fn delete_anonymous_visitors(
        &self,
        created_before_ms: u64,
        max: usize,
    ) -> StoreResult<usize>;
    /// Deletes up to `max` sessions that expired before
    /// `expired_before_ms`; returns how many went.
    async fn delete_expired_sessions(
        &self,
        expired_before_ms: u64,
        max: usize,
    ) -> StoreResult<usize>;
}
