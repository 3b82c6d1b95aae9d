//! The conversation service: every domain step of the product — a visitor
//! saying hello, starting, posting, typing, closing, identifying; an agent
//! signing in, replying, transferring, closing, reading a customer's card;
//! an integrator pushing and reading records — is one method of
//! [`ConversationService`], taking a typed [`Actor`] and returning a typed
//! result or a [`ServiceError`]. Sockets and the REST API only translate
//! frames and requests into these calls, so each rule exists once:
//! - who may do what: [`actor`] (visitor access), [`access`] (agents, admins);
//! - the order of a step: store write, then publish ([`events`]), then
//!   assignment ([`assignment`]), in [`ConversationService::after_change`];
//! - persist, then ack, then fan out: [`messages`].
//!
//! Map:
//! - [`error`]: `ServiceError`, mapped once to wire codes and once to HTTP.
//! - [`actor`]: actors and grants.
//! - [`access`]: which conversations an actor may read or change.
//! - [`visitors`]: a visitor's hello and identify.
//! - [`start`]: starting a conversation, and what the visitor is told.
//! - [`messages`]: posting, typing, reading history.
//! - [`agent_grants`]: an agent session's grants, kept between replies.
//! - [`lifecycle`]: close and transfer.
//! - [`csat`]: the satisfaction survey of a closed conversation.
//! - [`desk`]: an agent's sign-in and presence.
//! - [`accounts`]: the team's accounts: list, add, disable, passwords,
//!   signing out everywhere.
//! - [`sign_in_guard`]: failed sign-ins slow password guessing down.
//! - [`floods`]: new visitors and starts per address and per site.
//! - [`customers`]: the customer card, search, merges, the records API.
//! - [`ingest`]: other channels' items onto the record.
//! - [`export`]: a contact's whole record, for the person it is about.
//! - [`erasure`]: erasing a contact, the audit log, the admin's privacy actions.
//! - [`versions`]: dropping conversation snapshots older than one held.
//! - [`events`], [`assignment`]: publishing and assigning the queue.
//! - [`live_view`]: the admins' live view of the queue and the agents.
//! - [`report_period`]: a report's days in the site's time zone.

pub mod access;
pub mod accounts;
pub mod actor;
pub mod agent_grants;
pub mod assignment;
pub mod availability;
pub mod canned;
pub mod csat;
pub mod customers;
pub mod desk;
pub mod erasure;
pub mod error;
pub mod events;
pub mod export;
mod floods;
pub mod ingest;
pub mod knowledge;
pub mod lifecycle;
pub mod live_view;
pub mod messages;
pub mod offline;
mod offline_mail;
pub mod reassign;
pub mod reopen;
mod report_facts;
pub mod report_period;
pub mod reports;
pub mod route;
pub mod routing_admin;
pub mod routing_notes;
pub mod sign_in_guard;
pub mod start;
pub mod versions;
pub mod visitors;

use std::sync::Arc;

pub use actor::{Actor, Grant, VisitorActor};
pub use agent_grants::AgentGrants;
pub use error::{ServiceError, ServiceResult};
pub use versions::SeenVersions;

use crate::auth::Authenticator;
use crate::bus::Bus;
use crate::clock::Clock;
use crate::config::Limits;
use crate::knowledge::Library;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::store::{Conversation, Store};
use assignment::QueueAssigner;
use events::Publisher;

/// What the service uses on this node beside the store and the bus.
#[derive(Debug)]
pub struct Resources {
    /// The search index of the knowledge base.
    pub library: Arc<Library>,
    /// `None` when no SMTP server is configured.
    pub mailer: Option<Arc<Mailer>>,
}

/// The domain steps, shared by every transport; handlers reach it as
/// `app.conversations`.
#[derive(Debug)]
pub struct ConversationService {
    store: Arc<dyn Store>,
    publisher: Publisher,
    assigner: QueueAssigner,
    auth: Authenticator,
    metrics: Arc<Metrics>,
    floods: floods::Floods,
    /// Password sign-ins hashing now, per address (`sign_in_guard`).
    signing_in: sign_in_guard::InFlight,
    limits: Limits,
    /// Whether the `demo` site may be used (`Config::demo`).
    demo: bool,
    /// This node's search index of the knowledge base.
    library: Arc<Library>,
    /// Sends offline answers by email, when SMTP is configured.
    mailer: Option<Arc<Mailer>>,
    /// What opening hours read and what stored times come from
    /// (`Limits::clock`; the system clock but in tests scripting time).
    clock: Clock,
    /// When this node first saw each agent offline (`reassign`).
    offline_seen: reassign::OfflineSeen,
}

impl ConversationService {
    pub fn new(
        store: Arc<dyn Store>,
        bus: Arc<dyn Bus>,
        auth: Authenticator,
        metrics: Arc<Metrics>,
        resources: Resources,
        limits: Limits,
        demo: bool,
    ) -> Self {
        let Resources { library, mailer } = resources;
        Self {
            publisher: Publisher::new(Arc::clone(&store), bus, Arc::clone(&metrics)),
            assigner: QueueAssigner::new(Arc::clone(&store), limits.clock.clone()),
            store,
            auth,
            metrics,
            floods: floods::Floods::new(&limits),
            signing_in: sign_in_guard::InFlight::default(),
            clock: limits.clock.clone(),
            offline_seen: reassign::OfflineSeen::default(),
            limits,
            demo,
            library,
            mailer,
        }
    }

    /// This node's search index of the knowledge base.
    pub fn library(&self) -> &Arc<Library> {
        &self.library
    }

    /// What every step that changed a conversation does after its store
    /// write, in this order: publish the new snapshot, then assign the
    /// queue (a close or transfer may have freed capacity; a start filled
    /// the queue). A routing failure is logged; the sweep retries it.
    async fn after_change(
        &self,
        conversation: &Conversation,
        previous_agent: Option<shared::AgentId>,
        queue_changed: bool,
    ) {
        self.publisher.changed(conversation, previous_agent).await;
        self.assign_after_step(queue_changed).await;
    }

    async fn assign_after_step(&self, queue_changed: bool) {
        if let Err(e) = self.assign_waiting(queue_changed).await {
            tracing::warn!(error = %e, "routing failed; the sweep will retry");
        }
    }

    /// Assigns what capacity allows (the periodic sweep and start-up call
    /// this directly); `queue_changed` publishes the queue even if nothing
    /// was assigned.
    pub async fn assign_waiting(&self, queue_changed: bool) -> ServiceResult<()> {
        let assigned = self
            .assigner
            .assign_waiting(&self.publisher, queue_changed)
            .await?;
        for conversation in &assigned {
            self.assigned_fact(conversation).await;
            self.note_if_widened(conversation).await;
        }
        Ok(())
    }

    /// The publisher, for the tests that replay a stale event.
    pub fn publisher(&self) -> &Publisher {
        &self.publisher
    }
}
