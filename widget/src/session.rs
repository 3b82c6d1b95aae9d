//! The visitor's chat session: the protocol logic between the connection
//! and the screen. It says hello (with the stored token and a resume point
//! per conversation it already shows), keeps the outbox flowing in order,
//! starts a conversation lazily when the first message is typed (after the
//! pre-chat form when the site asks for one, see `details`; never while
//! the offline form stands in for the chat, see `offline_session`), and
//! keeps the host page and the visitor informed (unread count, beep,
//! title). Incoming frames are handled in `inbound`.
//!
//! Outbox delivery: items go out in outbox order, paced to the relay's
//! visitor rate limit, each at most once per connection; a reconnect sends
//! every unacknowledged item again (the relay dedupes by `client_msg_id`).
//! An item without a conversation waits for the `start` answer, and so do
//! all items after it, so the order typed is the order stored.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use leptos::prelude::*;
use shared::card::PrechatDetails;
use shared::{ClientMsgId, ConversationId, SiteId, VisitorFrame, PROTOCOL_VERSION};

use crate::bridge::Bridge;
use crate::connection::{Connection, LinkEvent};
use crate::help::Help;
use crate::i18n::Catalog;
use crate::notify::Sound;
use crate::outbox::{Outbox, OutboxItem};
use crate::pacing::{Pacer, TypingThrottle};
use crate::state::{ChatState, LinkState};
use crate::storage::Keys;
use crate::timer::{now_ms, Timer};
use crate::transcript::Seen;

/// Mutable bookkeeping of one page life.
#[derive(Debug)]
pub(crate) struct Inner {
    /// The relay has answered this connection's hello.
    pub(crate) greeted: bool,
    /// A `start` is on its way on this connection.
    pub(crate) start_sent: bool,
    /// Items sent on this connection and not acknowledged yet.
    pub(crate) in_flight: Vec<ClientMsgId>,
    pub(crate) pacer: Pacer,
    pub(crate) typing: TypingThrottle,
    pub(crate) seen: Seen,
    pub(crate) active_posted: bool,
    pub(crate) last_unread: Option<u32>,
    /// An identity token from the host page the relay has not answered yet.
    pub(crate) identity: Option<String>,
    /// The welcome asked for the pre-chat form.
    pub(crate) prechat_form: bool,
    /// The welcome listed conversations of this visitor.
    pub(crate) welcomed_with_history: bool,
    /// Pre-chat details submitted and not yet accepted by the relay.
    pub(crate) details: Option<PrechatDetails>,
    /// The relay refused a start for its details on this page.
    pub(crate) details_refused: bool,
    /// An `offline_message` submitted and not answered yet; sent again
    /// after a reconnect unless the welcome shows the case it opened.
    pub(crate) offline: Option<VisitorFrame>,
    /// `offline` went out on this connection (so an error may be about it).
    pub(crate) offline_sent: bool,
}

/// The session; one per page.
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) me: Weak<Session>,
    pub(crate) site: SiteId,
    /// The widget's language tag (`fa-IR`), sent with every start for routing.
    pub(crate) lang: String,
    /// The host page's address (see `params::page_url`), for topic rules.
    pub(crate) page: RefCell<Option<String>>,
    pub(crate) keys: Keys,
    pub(crate) conn: Rc<Connection>,
    pub(crate) state: ChatState,
    pub(crate) strings: &'static Catalog,
    pub(crate) bridge: Bridge,
    pub(crate) sound: Sound,
    pub(crate) inner: RefCell<Inner>,
    pub(crate) pump_timer: Timer,
    pub(crate) typing_timer: Timer,
    pub(crate) agent_typing_timer: Timer,
    pub(crate) help: Help,
}

impl Session {
    /// Creates the session and opens the connection.
    pub(crate) fn start(
        site: &str,
        lang: &str,
        page: Option<String>,
        ws_url: String,
        state: ChatState,
        strings: &'static Catalog,
        bridge: Bridge,
    ) -> Rc<Self> {
        let keys = Keys::new(site);
        let seen = keys.seen();
        state.outbox.set(keys.outbox());
        let session = Rc::new_cyclic(|me| Self {
            me: Weak::clone(me),
            site: site.into(),
            lang: lang.into(),
            page: RefCell::new(page),
            keys,
            conn: Connection::new(ws_url),
            state,
            strings,
            bridge,
            sound: Sound::default(),
            inner: RefCell::new(Inner {
                greeted: false,
                start_sent: false,
                in_flight: Vec::new(),
                pacer: Pacer::new(now_ms()),
                typing: TypingThrottle::default(),
                seen,
                active_posted: false,
                last_unread: None,
                identity: None,
                prechat_form: false,
                welcomed_with_history: false,
                details: None,
                details_refused: false,
                offline: None,
                offline_sent: false,
            }),
            pump_timer: Timer::default(),
            typing_timer: Timer::default(),
            agent_typing_timer: Timer::default(),
            help: Help::new(lang),
        });
        let me = Rc::downgrade(&session);
        session.conn.on_event(move |event| {
            if let Some(session) = me.upgrade() {
                session.on_link(event);
            }
        });
        session.bridge.ready();
        session.refresh_attention();
        session.conn.connect();
        session
    }

    /// Runs `f` on this session after `ms`, replacing what `timer` held.
    pub(crate) fn schedule(&self, timer: &Timer, ms: u32, f: fn(&Session)) {
        let me = Weak::clone(&self.me);
        timer.set(ms, move || {
            if let Some(session) = me.upgrade() {
                f(&session);
            }
        });
    }

    pub(crate) fn send(&self, frame: &VisitorFrame) -> bool {
        self.conn.send(frame)
    }

    fn on_link(&self, event: LinkEvent) {
        match event {
            LinkEvent::Open => self.hello(),
            LinkEvent::Frame(frame) => self.on_frame(*frame),
            LinkEvent::Closed => {
                {
                    let mut inner = self.inner.borrow_mut();
                    inner.greeted = false;
                    inner.start_sent = false;
                    inner.in_flight.clear();
                    inner.typing = TypingThrottle::default();
                    inner.offline_sent = false;
                }
                self.pump_timer.clear();
                self.state.agent_typing.set(None);
                self.state.link.set(LinkState::Reconnecting);
            }
        }
    }

    /// Greets the relay with the stored token and where to resume.
    pub(crate) fn hello(&self) {
        let resume = self.state.transcript.with_untracked(|t| t.resume_points());
        self.send(&VisitorFrame::Hello {
            protocol: PROTOCOL_VERSION,
            site: self.site.clone(),
            visitor_token: self.keys.token(),
            resume,
        });
    }

    /// Applies `change` to the stored outbox and shows the result.
    pub(crate) fn update_outbox(&self, change: impl FnOnce(&mut Outbox)) {
        let outbox = self.keys.update_outbox(change);
        self.state.outbox.set(outbox);
    }

    pub(crate) fn open_conversation(&self) -> Option<ConversationId> {
        self.state
            .transcript
            .with_untracked(|t| t.open().map(|s| s.id.clone()))
    }

    /// Sends what can be sent now, in order; see the module docs.
    pub(crate) fn pump(&self) {
        if !self.inner.borrow().greeted {
            return;
        }
        let open = self.open_conversation();
        let closed: Vec<ConversationId> = self.state.transcript.with_untracked(|t| t.closed_ids());
        self.update_outbox(|o| {
            for id in &closed {
                o.unbind(id);
            }
            if let Some(open) = &open {
                o.bind_unbound(open);
            }
        });
        let outbox = self.state.outbox.get_untracked();
        if !outbox.has_unbound() || open.is_some() {
            self.hide_form();
        } else if self.offline_screen() {
            // Nobody can answer: the waiting text went into the offline
            // form (see `offline_session`); a start would queue it unseen.
            self.hide_form();
        } else if !self.inner.borrow().start_sent {
            if let Some(start) = self.start_frame() {
                self.inner.borrow_mut().start_sent = self.send(&start);
            }
        }
        for item in outbox.items() {
            if self.inner.borrow().in_flight.contains(&item.client_msg_id) {
                continue;
            }
            let Some(conversation) = item.conversation.clone() else {
                break;
            };
            let taken = self.inner.borrow_mut().pacer.try_take(now_ms());
            if let Err(wait) = taken {
                self.schedule(&self.pump_timer, wait, Session::pump);
                break;
            }
            let sent = self.send(&VisitorFrame::Send {
                conversation,
                client_msg_id: item.client_msg_id.clone(),
                text: item.text.clone(),
            });
            if !sent {
                break;
            }
            self.inner
                .borrow_mut()
                .in_flight
                .push(item.client_msg_id.clone());
        }
    }

    /// The visitor sends a message: into the outbox first, then out.
    pub(crate) fn send_text(&self, text: String) {
        if text.trim().is_empty() {
            return;
        }
        let text: String = text.chars().take(shared::limits::MAX_TEXT_CHARS).collect();
        self.state.help.asked.set(text.clone());
        let item = OutboxItem {
            client_msg_id: new_client_msg_id(),
            conversation: self.open_conversation(),
            text,
        };
        self.update_outbox(|o| o.push(item));
        self.stop_typing();
        self.pump();
        self.refresh_attention();
    }
}

/// A fresh id for a message: time plus 64 random bits.
fn new_client_msg_id() -> ClientMsgId {
    let random = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    let time = js_sys::Date::now() as u64;
    ClientMsgId(format!("m{time:x}{:08x}{:08x}", random(), random()))
}
