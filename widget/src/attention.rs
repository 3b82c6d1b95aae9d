//! Whether the visitor is looking, and telling them when they are not:
//! the panel's open state (from the host page, or inferred from a gesture
//! inside it), unread agent messages (those after the `seen` mark kept in
//! localStorage, so the count survives a reload), the `unread` message to
//! the host page, and the iframe's title.

use leptos::prelude::*;

use crate::notify;
use crate::session::Session;

impl Session {
    /// The host page showed or hid the panel.
    pub(crate) fn set_open(&self, open: bool) {
        self.state.open.set(open);
        self.refresh_attention();
    }

    /// Close button or Escape: ask the host page to hide the panel.
    pub(crate) fn close_panel(&self) {
        self.set_open(false);
        self.bridge.close();
    }

    /// A user gesture: audio may start now, and the panel is evidently shown.
    pub(crate) fn gesture(&self) {
        self.sound.unlock();
        if !self.state.open.get_untracked() {
            self.set_open(true);
        }
    }

    /// Whether the visitor can see the panel right now.
    pub(crate) fn looking(&self) -> bool {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        self.state.open.get_untracked() && !hidden
    }

    /// Recounts unread agent messages; tells the host page and the title.
    pub(crate) fn refresh_attention(&self) {
        let looking = self.looking();
        let mut inner = self.inner.borrow_mut();
        let unread = self.state.transcript.with_untracked(|t| {
            if looking {
                let before = inner.seen.clone();
                t.mark_seen(&mut inner.seen);
                if before != inner.seen {
                    self.keys.set_seen(&inner.seen);
                }
            }
            t.unread(&inner.seen)
        });
        if inner.last_unread != Some(unread) {
            inner.last_unread = Some(unread);
            drop(inner);
            self.state.unread.set(unread);
            self.bridge.unread(unread);
            notify::set_title(self.strings.dialog, unread);
        }
    }
}
