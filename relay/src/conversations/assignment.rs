//! Assigning the queue to agents: snapshot, plan with the pure
//! [`crate::routing`] functions (teams, languages, skills, widening,
//! priority), apply each decision through [`Store::assign_matched`]
//! (which re-checks it atomically, so racing nodes can only lose a race,
//! never double-assign), publish what changed. Runs after every step that
//! may free capacity or fill the queue, and on a periodic sweep, which is
//! also when waiting conversations widen.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shared::SiteId;

use super::events::Publisher;
use crate::clock::Clock;
use crate::routing::{plan_assignments, Policies, RoutingSnapshot};
use crate::store::{Conversation, Site, Store, StoreError, StoreResult};
use crate::wait_estimate::WaitEstimate;

/// Snapshot-plan-apply rounds before giving up until the next trigger.
const MAX_ROUNDS: usize = 8;
/// How stale a site's routing settings may be on this node: a save on
/// another node applies here within this.
const SITE_FRESHNESS: Duration = Duration::from_secs(2);

/// Runs assignment passes, one at a time on this node.
#[derive(Debug)]
pub struct QueueAssigner {
    store: Arc<dyn Store>,
    /// One pass at a time on this node; nodes race only each other.
    one_at_a_time: tokio::sync::Mutex<()>,
    /// How long assigned conversations waited (the visitor's expected wait).
    pub waits: WaitEstimate,
    sites: SiteCache,
    /// What assignment times and widening read (the service's clock).
    clock: Clock,
}

impl QueueAssigner {
    pub fn new(store: Arc<dyn Store>, clock: Clock) -> Self {
        Self {
            sites: SiteCache::new(Arc::clone(&store)),
            store,
            one_at_a_time: tokio::sync::Mutex::new(()),
            waits: WaitEstimate::default(),
            clock,
        }
    }

    /// The site's settings as routing uses them (at most a moment old).
    pub async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        self.sites.get(id).await
    }

    /// Forgets a site's settings after this node changed them.
    pub fn forget_site(&self, id: &SiteId) {
        self.sites.forget(id);
    }

    /// Assigns as much of the queue as capacity allows and publishes each
    /// assignment, then the queue if it changed. `queue_changed` says the
    /// caller changed the queue itself, so it is published even if nothing
    /// gets assigned. Returns the conversations assigned.
    pub async fn assign_waiting(
        &self,
        publisher: &Publisher,
        queue_changed: bool,
    ) -> StoreResult<Vec<Conversation>> {
        let _one_at_a_time = self.one_at_a_time.lock().await;
        let mut changed = queue_changed;
        let mut assigned = Vec::new();
        for _ in 0..MAX_ROUNDS {
            let snapshot = self.store.routing_snapshot().await?;
            let policies = self.policies(&snapshot).await?;
            let plan = plan_assignments(&snapshot, &policies, self.clock.now_ms());
            if plan.is_empty() {
                break;
            }
            let mut raced = false;
            for decision in plan {
                match self
                    .store
                    .assign_matched(
                        &decision.conversation,
                        &decision.agent,
                        Some(decision.matched),
                        self.clock.now_ms(),
                    )
                    .await
                {
                    Ok(conversation) => {
                        changed = true;
                        self.assigned(publisher, &conversation).await;
                        assigned.push(conversation);
                    }
                    // Another node (or a close, or a presence change) got
                    // there first: re-plan from a fresh snapshot.
                    Err(
                        StoreError::Conflict(_)
                        | StoreError::AgentUnavailable
                        | StoreError::NotFound,
                    ) => {
                        raced = true;
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
            if !raced {
                break;
            }
        }
        if changed {
            publisher.queue().await?;
        }
        Ok(assigned)
    }

    /// The teams and widening of every site with a waiting conversation.
    async fn policies(&self, snapshot: &RoutingSnapshot) -> StoreResult<Policies> {
        let mut sites = HashMap::new();
        for waiting in &snapshot.waiting {
            if !sites.contains_key(&waiting.site) {
                if let Some(site) = self.sites.get(&waiting.site).await? {
                    sites.insert(waiting.site.clone(), site);
                }
            }
        }
        Ok(Policies::from_sites(
            sites.iter().map(|(id, site)| (id, &site.routing)),
        ))
    }

    async fn assigned(&self, publisher: &Publisher, assigned: &Conversation) {
        // From when it last entered the queue: a returned conversation's
        // second wait, not its whole life.
        let queued = assigned.route.queued_at_ms.max(assigned.created_at_ms);
        self.waits
            .record(self.clock.now_ms().saturating_sub(queued));
        tracing::info!(conversation = %assigned.id, agent = ?assigned.agent, matched = ?assigned.route.matched, "assigned");
        publisher.changed(assigned, None).await;
    }
}

/// Sites read at most [`SITE_FRESHNESS`] ago, so a routing pass does not
/// read every site's settings from the store again.
#[derive(Debug)]
struct SiteCache {
    store: Arc<dyn Store>,
    sites: std::sync::Mutex<HashMap<SiteId, (Instant, Site)>>,
}

impl SiteCache {
    fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            sites: std::sync::Mutex::new(HashMap::new()),
        }
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, HashMap<SiteId, (Instant, Site)>> {
        self.sites.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn get(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        if let Some((at, site)) = self.cached().get(id) {
            if at.elapsed() < SITE_FRESHNESS {
                return Ok(Some(site.clone()));
            }
        }
        let site = self.store.site(id).await?;
        if let Some(site) = &site {
            self.cached()
                .insert(id.clone(), (Instant::now(), site.clone()));
        }
        Ok(site)
    }

    fn forget(&self, id: &SiteId) {
        self.cached().remove(id);
    }
}
