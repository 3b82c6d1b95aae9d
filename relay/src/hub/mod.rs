//! This node's sockets, indexed by what they watch: conversations, an agent
//! id, the queue. The bus hands every event to [`Hub::fan_out`], which
//! queues it for the interested connections only. Each queue is bounded; a
//! full one drops the event and its reader resyncs from the store once it
//! has caught up ([`mailbox`]), so one slow client cannot grow memory
//! without bound, hold up the others, or lose its socket. Each connection keeps the
//! list of what it watches, so leaving the hub costs its own watches, not
//! a pass over every watched key (a reconnect storm of many disconnects
//! would otherwise be quadratic under the one lock). Fan-out of a message is
//! timed here (`switchboard_message_stage_seconds{stage="fan_out"}`): every
//! bus delivers through this one function.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::histogram::Histogram;
use shared::{AgentId, ArticleId, ConversationId, SiteId};
use tokio::sync::mpsc;

use crate::bus::Event;

pub mod mailbox;

use mailbox::{Mailbox, Offer, Slot};

/// Events queued per connection; beyond it, events are coalesced into
/// one resync.
const CONNECTION_QUEUE: usize = 1024;

/// Identifies one registered connection.
pub type ConnId = u64;

/// One registered connection: where its events go and what it watches.
#[derive(Debug)]
struct Connection {
    slot: Slot,
    conversations: HashSet<ConversationId>,
    agents: HashSet<AgentId>,
}

#[derive(Debug, Default)]
struct Index {
    next_id: ConnId,
    connections: HashMap<ConnId, Connection>,
    by_conversation: HashMap<ConversationId, HashSet<ConnId>>,
    by_agent: HashMap<AgentId, HashSet<ConnId>>,
    queue_watchers: HashSet<ConnId>,
}

/// Takes `id` out of `key`'s watchers, and the key out of the map when
/// nobody watches it any more.
fn forget<K: std::hash::Hash + Eq>(map: &mut HashMap<K, HashSet<ConnId>>, key: &K, id: ConnId) {
    if let Some(set) = map.get_mut(key) {
        set.remove(&id);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

impl Index {
    /// Costs the connection's own watches.
    fn remove(&mut self, id: ConnId) {
        self.queue_watchers.remove(&id);
        let Some(gone) = self.connections.remove(&id) else {
            return;
        };
        for conversation in &gone.conversations {
            forget(&mut self.by_conversation, conversation, id);
        }
        for agent in &gone.agents {
            forget(&mut self.by_agent, agent, id);
        }
    }
}

/// Local fan-out from events to connections.
#[derive(Debug)]
pub struct Hub {
    index: Mutex<Index>,
    /// Seconds each message event takes to be queued on its sockets.
    fan_out_seconds: Histogram,
    /// Events dropped for a full connection queue (each reader resyncs).
    coalesced: Counter,
    /// Where `Event::ArticleChanged` goes: this node's search index keeper.
    articles: Mutex<Option<mpsc::Sender<(SiteId, ArticleId)>>>,
}

/// Article changes waiting for the index keeper; beyond this the keeper's
/// periodic resync catches up.
const ARTICLE_QUEUE: usize = 1024;

/// A connection's place in the hub; leaves the hub when dropped.
#[derive(Debug)]
pub struct Subscription {
    hub: Arc<Hub>,
    pub id: ConnId,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.lock().remove(self.id);
    }
}

impl Subscription {
    pub fn watch_conversation(&self, conversation: &ConversationId) {
        let mut index = self.hub.lock();
        let Some(me) = index.connections.get_mut(&self.id) else {
            return;
        };
        if me.conversations.insert(conversation.clone()) {
            index
                .by_conversation
                .entry(conversation.clone())
                .or_default()
                .insert(self.id);
        }
    }

    pub fn unwatch_conversation(&self, conversation: &ConversationId) {
        let mut index = self.hub.lock();
        if let Some(me) = index.connections.get_mut(&self.id) {
            me.conversations.remove(conversation);
        }
        forget(&mut index.by_conversation, conversation, self.id);
    }

    pub fn watch_agent(&self, agent: &AgentId) {
        let mut index = self.hub.lock();
        let Some(me) = index.connections.get_mut(&self.id) else {
            return;
        };
        if me.agents.insert(agent.clone()) {
            index
                .by_agent
                .entry(agent.clone())
                .or_default()
                .insert(self.id);
        }
    }

    pub fn watch_queue(&self) {
        let mut index = self.hub.lock();
        if index.connections.contains_key(&self.id) {
            index.queue_watchers.insert(self.id);
        }
    }
}

impl Hub {
    /// A hub that records each message's fan-out in `fan_out_seconds`
    /// (`Metrics::stages.fan_out`) and counts the events it dropped for
    /// full queues in `coalesced` (`Metrics::coalesced_events`).
    pub fn new(fan_out_seconds: Histogram, coalesced: Counter) -> Arc<Self> {
        Arc::new(Self {
            index: Mutex::default(),
            fan_out_seconds,
            coalesced,
            articles: Mutex::default(),
        })
    }

    /// The articles this node must re-index, as their events arrive.
    pub fn article_changes(&self) -> mpsc::Receiver<(SiteId, ArticleId)> {
        let (tx, rx) = mpsc::channel(ARTICLE_QUEUE);
        *self.articles.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
        rx
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Index> {
        // A panic while holding this lock leaves plain maps behind, still
        // consistent enough to keep serving; don't take the node down.
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a connection; it receives nothing until it watches
    /// something.
    pub fn register(self: &Arc<Self>) -> (Subscription, Mailbox) {
        let (slot, mailbox) = mailbox::mailbox(CONNECTION_QUEUE);
        let mut index = self.lock();
        index.next_id += 1;
        let id = index.next_id;
        index.connections.insert(
            id,
            Connection {
                slot,
                conversations: HashSet::new(),
                agents: HashSet::new(),
            },
        );
        let subscription = Subscription {
            hub: Arc::clone(self),
            id,
        };
        (subscription, mailbox)
    }

    /// The conversations and agents local connections watch (for the
    /// bus catch-up pass, `bus::catchup`).
    pub fn watched(&self) -> (Vec<ConversationId>, Vec<AgentId>) {
        let index = self.lock();
        (
            index.by_conversation.keys().cloned().collect(),
            index.by_agent.keys().cloned().collect(),
        )
    }

    /// Queues `event` for every interested local connection.
    pub fn fan_out(&self, event: Arc<Event>) {
        // Before the lock: waiting for it is part of the stage.
        let arrived = Instant::now();
        let mut index = self.lock();
        let mut targets: HashSet<ConnId> = HashSet::new();
        match event.as_ref() {
            Event::Message { message } => {
                extend(
                    &mut targets,
                    index.by_conversation.get(&message.conversation),
                );
            }
            Event::Typing { conversation, .. } => {
                extend(&mut targets, index.by_conversation.get(conversation));
            }
            Event::ConversationChanged {
                conversation,
                previous_agent,
                ..
            } => {
                extend(&mut targets, index.by_conversation.get(&conversation.id));
                if let Some(agent) = &conversation.agent {
                    extend(&mut targets, index.by_agent.get(agent));
                }
                if let Some(agent) = previous_agent {
                    extend(&mut targets, index.by_agent.get(agent));
                }
            }
            Event::QueueChanged { .. } => targets.extend(index.queue_watchers.iter().copied()),
            Event::SessionsRevoked { agent, .. } => extend(&mut targets, index.by_agent.get(agent)),
            Event::NoteAdded { note } => {
                extend(&mut targets, index.by_conversation.get(&note.conversation));
            }
            Event::ArticleChanged { site, article } => {
                drop(index);
                let keeper = self.articles.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(tx) = keeper.as_ref() {
                    // Full: the keeper's resync will find it.
                    let _ = tx.try_send((site.clone(), article.clone()));
                }
                return;
            }
        }
        let mut gone = Vec::new();
        for id in targets {
            if let Some(conn) = index.connections.get(&id) {
                match conn.slot.offer(&event) {
                    Offer::Queued => {}
                    Offer::Coalesced => {
                        self.coalesced.inc();
                    }
                    Offer::Closed => gone.push(id),
                }
            }
        }
        for id in gone {
            index.remove(id);
        }
        drop(index);
        if matches!(event.as_ref(), Event::Message { .. }) {
            self.fan_out_seconds
                .observe(arrived.elapsed().as_secs_f64());
        }
    }
}

fn extend(targets: &mut HashSet<ConnId>, ids: Option<&HashSet<ConnId>>) {
    if let Some(ids) = ids {
        targets.extend(ids.iter().copied());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    fn hub() -> Arc<Hub> {
        Hub::new(Histogram::new([0.001]), Counter::default())
    }

    fn ids(hub: &Hub) -> (Vec<String>, Vec<String>) {
        let (mut conversations, mut agents) = hub.watched();
        conversations.sort();
        agents.sort();
        (
            conversations.into_iter().map(|c| c.to_string()).collect(),
            agents.into_iter().map(|a| a.0).collect(),
        )
    }

    #[test]
    fn leaving_takes_exactly_its_own_watches() {
        let hub = hub();
        let (a, _rx_a) = hub.register();
        let (b, _rx_b) = hub.register();
        for c in ["c1", "c2"] {
            a.watch_conversation(&ConversationId::from(c));
        }
        a.watch_conversation(&ConversationId::from("c1"));
        b.watch_conversation(&ConversationId::from("c2"));
        a.watch_agent(&AgentId("ana".into()));
        b.watch_agent(&AgentId("bo".into()));
        a.watch_queue();
        assert_eq!(
            ids(&hub),
            (
                vec!["c1".into(), "c2".into()],
                vec!["ana".into(), "bo".into()]
            )
        );
        a.unwatch_conversation(&ConversationId::from("c2"));
        drop(a);
        assert_eq!(ids(&hub), (vec!["c2".into()], vec!["bo".into()]));
        {
            let index = hub.lock();
            assert!(index.queue_watchers.is_empty());
            assert_eq!(index.connections.len(), 1);
            assert_eq!(
                index
                    .by_conversation
                    .get(&ConversationId::from("c2"))
                    .map(HashSet::len),
                Some(1)
            );
        }
        drop(b);
        assert_eq!(ids(&hub), (Vec::new(), Vec::new()));
    }

    #[test]
    fn events_reach_the_watchers_left() {
        let hub = hub();
        let (a, _rx_a) = hub.register();
        let (b, mut rx_b) = hub.register();
        let conversation = ConversationId::from("c1");
        a.watch_conversation(&conversation);
        b.watch_conversation(&conversation);
        drop(a);
        hub.fan_out(Arc::new(Event::Typing {
            conversation: conversation.clone(),
            role: shared::Role::Agent,
            typing: true,
        }));
        assert!(matches!(
            rx_b.recv().now_or_never(),
            Some(Some(mailbox::Delivered::Event(_)))
        ));
        // Watching after leaving changes nothing.
        let (c, _rx_c) = hub.register();
        let id = c.id;
        hub.lock().remove(id);
        c.watch_conversation(&ConversationId::from("c9"));
        assert_eq!(ids(&hub).0, vec!["c1".to_owned()]);
    }
}
