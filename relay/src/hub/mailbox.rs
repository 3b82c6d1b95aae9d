//! A connection's bounded event queue, which never disconnects a slow
//! reader. When the queue is full the hub drops the event and marks the
//! queue lagged; once the reader has emptied it, it is told to resync:
//! to read again from the store what it watches (messages after its
//! positions, the conversations' states, the queue). Events are hints
//! (the store holds the truth), so a burst a console cannot keep up with
//! costs it one re-read per drain, not its socket: fifty agents are not
//! all disconnected at once when traffic spikes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

use crate::bus::Event;

/// What a connection takes from its mailbox next.
#[derive(Debug)]
pub enum Delivered {
    Event(Arc<Event>),
    /// Events were dropped while the queue was full: read the state again.
    Resync,
}

/// The hub's end of a mailbox.
#[derive(Debug)]
pub(super) struct Slot {
    sender: mpsc::Sender<Arc<Event>>,
    lagged: Arc<AtomicBool>,
}

/// How offering an event went.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Offer {
    Queued,
    /// The queue was full: the event was dropped and the reader will resync.
    Coalesced,
    /// The reader is gone.
    Closed,
}

impl Slot {
    pub(super) fn offer(&self, event: &Arc<Event>) -> Offer {
        match self.sender.try_send(Arc::clone(event)) {
            Ok(()) => Offer::Queued,
            Err(TrySendError::Full(_)) => {
                self.lagged.store(true, Ordering::Release);
                Offer::Coalesced
            }
            Err(TrySendError::Closed(_)) => Offer::Closed,
        }
    }
}

/// The connection's end of a mailbox.
#[derive(Debug)]
pub struct Mailbox {
    receiver: mpsc::Receiver<Arc<Event>>,
    lagged: Arc<AtomicBool>,
}

impl Mailbox {
    /// The next event, or a resync once the queue is empty after the hub
    /// dropped some. `None` when the hub is gone.
    ///
    /// The lag mark is set only while the queue is full, so a reader that
    /// finds it set has queued events left to take, and sees the mark again
    /// when it has taken them: no dropped event goes unnoticed.
    pub async fn recv(&mut self) -> Option<Delivered> {
        if self.receiver.is_empty() && self.lagged.swap(false, Ordering::AcqRel) {
            return Some(Delivered::Resync);
        }
        self.receiver.recv().await.map(Delivered::Event)
    }
}

impl Mailbox {
    /// Like [`Mailbox::recv`] without waiting: `None` when nothing is ready.
    pub fn try_recv(&mut self) -> Option<Delivered> {
        if self.receiver.is_empty() && self.lagged.swap(false, Ordering::AcqRel) {
            return Some(Delivered::Resync);
        }
        self.receiver.try_recv().ok().map(Delivered::Event)
    }
}

/// A mailbox holding at most `capacity` events.
pub(super) fn mailbox(capacity: usize) -> (Slot, Mailbox) {
    let (sender, receiver) = mpsc::channel(capacity);
    let lagged = Arc::new(AtomicBool::new(false));
    (
        Slot {
            sender,
            lagged: Arc::clone(&lagged),
        },
        Mailbox { receiver, lagged },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typing(n: u32) -> Arc<Event> {
        Arc::new(Event::Typing {
            conversation: format!("c{n}").as_str().into(),
            role: shared::Role::Visitor,
            typing: true,
        })
    }

    #[tokio::test]
    async fn a_full_queue_drops_then_asks_for_one_resync_after_the_rest() {
        let (slot, mut mailbox) = mailbox(2);
        assert_eq!(slot.offer(&typing(1)), Offer::Queued);
        assert_eq!(slot.offer(&typing(2)), Offer::Queued);
        assert_eq!(slot.offer(&typing(3)), Offer::Coalesced);
        assert_eq!(slot.offer(&typing(4)), Offer::Coalesced);
        for expected in [typing(1), typing(2)] {
            match mailbox.recv().await {
                Some(Delivered::Event(event)) => assert_eq!(event, expected),
                other => panic!("expected an event, got {other:?}"),
            }
        }
        assert!(matches!(mailbox.recv().await, Some(Delivered::Resync)));
        assert!(mailbox.try_recv().is_none(), "one resync per drain");
        // Afterwards events flow again.
        assert_eq!(slot.offer(&typing(5)), Offer::Queued);
        match mailbox.recv().await {
            Some(Delivered::Event(event)) => assert_eq!(event, typing(5)),
            other => panic!("expected an event, got {other:?}"),
        }
        drop(slot);
        assert!(mailbox.recv().await.is_none());
    }

    #[tokio::test]
    async fn a_gone_reader_is_reported_closed() {
        let (slot, mailbox) = mailbox(1);
        drop(mailbox);
        assert_eq!(slot.offer(&typing(1)), Offer::Closed);
    }
}
