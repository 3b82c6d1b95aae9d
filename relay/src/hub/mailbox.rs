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

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, Notify};

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
    /// Wakes a reader that emptied the queue before the mark was set.
    wake: Arc<Notify>,
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
                self.wake.notify_one();
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
    wake: Arc<Notify>,
}

impl Mailbox {
    /// The next event, or a resync once the queue is empty after the hub
    /// dropped some. `None` when the hub is gone.
    ///
    /// The lag mark is set only while the queue is full, so a reader
    /// usually has queued events left to take when it is set, and sees the
    /// mark once it has taken them; should it have emptied the queue in
    /// the instant between the hub finding it full and setting the mark,
    /// the hub's wake-up brings it back to look. No dropped event goes
    /// unnoticed.
    pub async fn recv(&mut self) -> Option<Delivered> {
        loop {
            if let Some(resync) = self.resync_due() {
                return Some(resync);
            }
            tokio::select! {
                event = self.receiver.recv() => return event.map(Delivered::Event),
                () = self.wake.notified() => {}
            }
        }
    }

    fn resync_due(&mut self) -> Option<Delivered> {
        (self.receiver.is_empty() && self.lagged.swap(false, Ordering::AcqRel))
            .then_some(Delivered::Resync)
    }
}

impl Mailbox {
    /// Like [`Mailbox::recv`] without waiting: `None` when nothing is ready.
    pub fn try_recv(&mut self) -> Option<Delivered> {
        self.resync_due()
            .or_else(|| self.receiver.try_recv().ok().map(Delivered::Event))
    }
}

/// A mailbox holding at most `capacity` events.
pub(super) fn mailbox(capacity: usize) -> (Slot, Mailbox) {
    let (sender, receiver) = mpsc::channel(capacity);
    let lagged = Arc::new(AtomicBool::new(false));
    let wake = Arc::new(Notify::new());
    (
        Slot {
            sender,
            lagged: Arc::clone(&lagged),
            wake: Arc::clone(&wake),
        },
        Mailbox {
            receiver,
            lagged,
            wake,
        },
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
    async fn a_reader_waiting_on_an_empty_queue_is_woken_by_a_late_mark() {
        // The hub found the queue full, the reader emptied it and began to
        // wait, and only then was the mark set.
        let (slot, mut mailbox) = mailbox(1);
        let waiting = tokio::spawn(async move { mailbox.recv().await });
        tokio::task::yield_now().await;
        slot.lagged.store(true, Ordering::Release);
        slot.wake.notify_one();
        let next = tokio::time::timeout(std::time::Duration::from_secs(10), waiting)
            .await
            .expect("the waiting reader was woken")
            .unwrap();
        assert!(matches!(next, Some(Delivered::Resync)));
    }

    #[tokio::test]
    async fn a_gone_reader_is_reported_closed() {
        let (slot, mailbox) = mailbox(1);
        drop(mailbox);
        assert_eq!(slot.offer(&typing(1)), Offer::Closed);
    }
}
