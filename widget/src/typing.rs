//! The visitor's own typing indicator: `typing true` at most every 3 s
//! while the visitor types into an open conversation, `typing false` after
//! 4 s without input, on send, or when the box is cleared (timing policy in
//! `pacing::TypingThrottle`).

use shared::VisitorFrame;

use crate::pacing::TYPING_IDLE_MS;
use crate::session::Session;
use crate::timer::now_ms;

impl Session {
    /// The composer changed: typing indicator frames, throttled.
    pub(crate) fn typed(&self, has_text: bool) {
        if !has_text {
            return self.stop_typing();
        }
        let Some(conversation) = self.open_conversation() else {
            return;
        };
        if self.inner.borrow_mut().typing.on_input(now_ms()) {
            self.send(&VisitorFrame::Typing {
                conversation,
                typing: true,
            });
        }
        self.schedule(&self.typing_timer, TYPING_IDLE_MS, Session::stop_typing);
    }

    pub(crate) fn stop_typing(&self) {
        self.typing_timer.clear();
        if self.inner.borrow_mut().typing.on_stop() {
            if let Some(conversation) = self.open_conversation() {
                self.send(&VisitorFrame::Typing {
                    conversation,
                    typing: false,
                });
            }
        }
    }
}
