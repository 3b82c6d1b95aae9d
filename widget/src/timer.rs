//! A restartable one-shot timer: arming it again replaces the pending
//! callback. Used for reconnect delays, send pacing, typing timeouts.

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};

/// At most one pending callback.
#[derive(Debug, Default)]
pub(crate) struct Timer {
    handle: RefCell<Option<TimeoutHandle>>,
}

impl Timer {
    /// Runs `f` after `ms` milliseconds, cancelling what was pending.
    pub(crate) fn set(&self, ms: u32, f: impl FnOnce() + 'static) {
        self.clear();
        if let Ok(handle) = set_timeout_with_handle(f, Duration::from_millis(u64::from(ms))) {
            *self.handle.borrow_mut() = Some(handle);
        }
    }

    /// Cancels the pending callback, if any.
    pub(crate) fn clear(&self) {
        if let Some(handle) = self.handle.borrow_mut().take() {
            handle.clear();
        }
    }

    pub(crate) fn is_set(&self) -> bool {
        self.handle.borrow().is_some()
    }

    /// Call at the start of the callback: the timer is no longer pending.
    pub(crate) fn fired(&self) {
        self.handle.borrow_mut().take();
    }
}

/// The current time in milliseconds (for pacing decisions only).
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}
