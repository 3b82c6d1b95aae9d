//! Glue between the socket, the model and the browser.
//!
//! The controller owns the session lifecycle: it greets each new socket
//! (password once, then the stored session token with resume points),
//! reconnects with [`Backoff`] or the relay's `reconnect` hint while signed
//! in, and carries out the model's [`Effect`]s. The agent's actions, as the
//! components call them, are in `actions.rs` (the customer card and search
//! in `card.rs`, the account panel in `account.rs`, the knowledge base,
//! canned replies and notes in `library.rs`, routing in `routing.rs`, the
//! reports page in `reports.rs`);
//! pacing the agent's typing indicator is in `typing.rs`.

mod account;
mod actions;
mod card;
mod library;
mod reports;
mod routing;
mod typing;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::{set_timeout, RwSignal, Update, WithUntracked};
use shared::backoff::Backoff;
use shared::limits::{CLOSE_NORMAL, CLOSE_POLICY};
use shared::{AgentAuth, AgentFrame};

use crate::connection::{Connection, LinkEvent};
use crate::model::{Effect, Link, Model, Phase};
use crate::{download, notify, storage};

/// Close codes from the relay that end the session rather than the socket:
/// a sign-out, and a lock-out after too many failed sign-ins.
const CLOSE_SIGNED_OUT: u16 = CLOSE_NORMAL;
const CLOSE_LOCKED_OUT: u16 = CLOSE_POLICY;

/// A shared handle; clones refer to the same controller.
#[derive(Debug, Clone)]
pub(crate) struct Controller {
    inner: Rc<Inner>,
}

#[derive(Debug)]
struct Inner {
    model: RwSignal<Model>,
    conn: Connection,
    backoff: Cell<Backoff>,
    /// From a `reconnect` frame: how long to wait after this close.
    hint_ms: Cell<Option<u64>>,
    /// A password sign-in waiting for the socket to open.
    password: RefCell<Option<AgentAuth>>,
    typing: RefCell<typing::Typing>,
}

impl Controller {
    /// Creates the controller and, with a stored session, signs in again.
    pub(crate) fn start(model: RwSignal<Model>) -> Self {
        let inner = Rc::new_cyclic(|weak: &std::rc::Weak<Inner>| {
            let weak = weak.clone();
            Inner {
                model,
                conn: Connection::new(move |event| {
                    if let Some(inner) = weak.upgrade() {
                        Self { inner }.on_link(event);
                    }
                }),
                backoff: Cell::new(Backoff::default()),
                hint_ms: Cell::new(None),
                password: RefCell::new(None),
                typing: RefCell::new(typing::Typing::default()),
            }
        });
        let ctl = Self { inner };
        model.update(|m| m.visible = notify::tab_visible());
        if storage::session().is_some() {
            model.update(|m| {
                m.phase = Phase::SigningIn;
                m.session_hello = true;
                m.link = Link::Connecting;
            });
            ctl.inner.conn.connect();
        }
        ctl
    }

    fn model(&self) -> RwSignal<Model> {
        self.inner.model
    }

    fn send(&self, frame: &AgentFrame) -> bool {
        self.inner.conn.send(frame)
    }

    fn on_link(&self, event: LinkEvent) {
        match event {
            LinkEvent::Opened => {
                let auth = self
                    .inner
                    .password
                    .borrow_mut()
                    .take()
                    .or_else(|| storage::session().map(|token| AgentAuth::Session { token }));
                match auth {
                    Some(auth) => {
                        let hello = self.model().try_update(|m| m.hello(auth));
                        if let Some(hello) = hello {
                            self.send(&hello);
                        }
                    }
                    None => self.inner.conn.stop(),
                }
            }
            LinkEvent::Frame(frame) => {
                if matches!(*frame, shared::ServerFrame::AgentWelcome { .. }) {
                    let mut backoff = self.inner.backoff.get();
                    backoff.reset();
                    self.inner.backoff.set(backoff);
                }
                let effects = self
                    .model()
                    .try_update(|m| m.apply(*frame))
                    .unwrap_or_default();
                for effect in effects {
                    self.run(effect);
                }
            }
            LinkEvent::Closed(code) => self.on_closed(code),
        }
    }

    fn on_closed(&self, code: u16) {
        self.inner.typing.replace(typing::Typing::default());
        let phase = self.model().with_untracked(|m| m.phase);
        let has_session = storage::session().is_some();
        match code {
            CLOSE_SIGNED_OUT => {
                storage::clear_session();
                self.model().update(Model::session_closed);
            }
            CLOSE_LOCKED_OUT => self.model().update(Model::locked_out),
            _ if phase == Phase::SignedOut => {}
            _ if phase == Phase::SigningIn && !has_session => {
                self.model().update(Model::unreachable);
            }
            _ => {
                self.model().update(|m| m.set_link(Link::Down));
                let delay = match self.inner.hint_ms.take() {
                    Some(ms) => ms + u64::from(jitter_ms()),
                    None => {
                        let mut backoff = self.inner.backoff.get();
                        let ms = backoff.next_delay_ms(js_sys::Math::random());
                        self.inner.backoff.set(backoff);
                        u64::from(ms)
                    }
                };
                self.inner.conn.reconnect_in(delay);
            }
        }
    }

    fn run(&self, effect: Effect) {
        match effect {
            Effect::Send(frame) => {
                self.send(&frame);
            }
            Effect::SaveSession(token) => storage::save_session(&token),
            Effect::ClearSession => storage::clear_session(),
            Effect::Beep => notify::beep(),
            Effect::ExpireTyping {
                conversation,
                stamp,
            } => {
                let model = self.model();
                set_timeout(
                    move || model.update(|m| m.expire_typing(&conversation, stamp)),
                    Duration::from_millis(crate::model::VISITOR_TYPING_MS.into()),
                );
            }
            Effect::RetryOutbox(ms) => {
                let ctl = self.clone();
                set_timeout(move || ctl.resend_outbox(), Duration::from_millis(ms));
            }
            Effect::ReconnectAfter(ms) => {
                self.inner.hint_ms.set(Some(ms));
                self.inner.conn.bounce();
            }
            Effect::Download { file, json } => {
                if !download::save_json(&file, &json) {
                    self.model().update(Model::export_not_saved);
                }
            }
        }
    }

    fn resend_outbox(&self) {
        let frames = self.model().with_untracked(|m| m.outbox.resend());
        for frame in &frames {
            self.send(frame);
        }
    }
}

/// Up to a second of random delay, so clients told to reconnect spread out.
fn jitter_ms() -> u32 {
    // In [0, 1000): the cast cannot truncate meaningfully.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let ms = (js_sys::Math::random() * 1000.0) as u32;
    ms
}
