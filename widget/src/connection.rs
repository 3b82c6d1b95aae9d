//! The widget's one WebSocket and its one codec: [`encode`] turns a
//! [`VisitorFrame`] into a JSON text frame, [`decode`] a text frame into a
//! [`ServerFrame`]. No other module touches JSON frames or the socket.
//!
//! The connection reports [`LinkEvent`]s to one handler (the session) and
//! keeps itself up: when the socket closes it reconnects after a backoff
//! ([`shared::backoff`]: 0.5 s doubling to 10 s, jittered; reset by [`Connection::established`]
//! once the relay has welcomed us); a `reconnect` frame asks for a fresh
//! socket after a given delay; the browser's `online` event retries at once.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use shared::backoff::Backoff;
use shared::{VisitorFrame, VisitorServerFrame as ServerFrame};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

use crate::timer::Timer;

/// Encodes a frame for the wire.
pub(crate) fn encode(frame: &VisitorFrame) -> String {
    serde_json::to_string(frame).unwrap_or_default()
}

/// Decodes a frame from the wire; `None` for anything this build does not
/// understand (it is skipped, not fatal).
pub(crate) fn decode(text: &str) -> Option<ServerFrame> {
    serde_json::from_str(text).ok()
}

/// What the session hears from the connection.
#[derive(Debug)]
pub(crate) enum LinkEvent {
    /// A socket is open: say hello.
    Open,
    /// Boxed: a welcome is far bigger than the other events.
    Frame(Box<ServerFrame>),
    /// The socket is gone; a new one is on its way.
    Closed,
}

/// One live socket and the callbacks that must live as long as it.
struct Socket {
    ws: WebSocket,
    _open: Closure<dyn FnMut(Event)>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Stops all callbacks and closes the socket.
    fn shut(self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
        // Dropping a callback while it runs is not allowed: drop later.
        leptos::prelude::set_timeout(move || drop(self), Duration::ZERO);
    }
}

type Handler = Rc<dyn Fn(LinkEvent)>;

/// A self-healing WebSocket to the relay.
pub(crate) struct Connection {
    url: String,
    socket: RefCell<Option<Socket>>,
    backoff: RefCell<Backoff>,
    retry: Timer,
    handler: RefCell<Option<Handler>>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.url)
            .field("open", &self.socket.borrow().is_some())
            .finish()
    }
}

impl Connection {
    pub(crate) fn new(url: String) -> Rc<Self> {
        Rc::new(Self {
            url,
            socket: RefCell::new(None),
            backoff: RefCell::new(Backoff::default()),
            retry: Timer::default(),
            handler: RefCell::new(None),
        })
    }

    /// Sets who hears the events; call before [`Connection::connect`].
    pub(crate) fn on_event(&self, handler: impl Fn(LinkEvent) + 'static) {
        *self.handler.borrow_mut() = Some(Rc::new(handler));
    }

    fn emit(&self, event: LinkEvent) {
        let handler = self.handler.borrow().clone();
        if let Some(handler) = handler {
            handler(event);
        }
    }

    /// Opens a socket now (replacing any pending retry).
    pub(crate) fn connect(self: &Rc<Self>) {
        self.retry.clear();
        if let Some(old) = self.socket.borrow_mut().take() {
            old.shut();
        }
        let ws = match WebSocket::new(&self.url) {
            Ok(ws) => ws,
            Err(_) => return self.schedule_retry(),
        };
        let weak = Rc::downgrade(self);
        let open = Closure::<dyn FnMut(Event)>::new({
            let weak = Weak::clone(&weak);
            move |_: Event| {
                if let Some(this) = weak.upgrade() {
                    this.emit(LinkEvent::Open);
                }
            }
        });
        let message = Closure::<dyn FnMut(MessageEvent)>::new({
            let weak = Weak::clone(&weak);
            move |event: MessageEvent| {
                let Some(this) = weak.upgrade() else { return };
                match event.data().as_string().as_deref().and_then(decode) {
                    Some(frame) => this.emit(LinkEvent::Frame(Box::new(frame))),
                    None => web_sys::console::warn_1(&"switchboard: skipped a frame".into()),
                }
            }
        });
        let close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            if let Some(this) = weak.upgrade() {
                this.lost();
            }
        });
        ws.set_onopen(Some(open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(close.as_ref().unchecked_ref()));
        *self.socket.borrow_mut() = Some(Socket {
            ws,
            _open: open,
            _message: message,
            _close: close,
        });
    }

    /// The socket closed or failed: tell the session, then retry.
    fn lost(self: &Rc<Self>) {
        if let Some(old) = self.socket.borrow_mut().take() {
            old.shut();
        }
        self.emit(LinkEvent::Closed);
        self.schedule_retry();
    }

    fn schedule_retry(self: &Rc<Self>) {
        let delay = self
            .backoff
            .borrow_mut()
            .next_delay_ms(js_sys::Math::random());
        self.retry_in(delay);
    }

    fn retry_in(self: &Rc<Self>, ms: u32) {
        let weak = Rc::downgrade(self);
        self.retry.set(ms, move || {
            if let Some(this) = weak.upgrade() {
                this.retry.fired();
                this.connect();
            }
        });
    }

    /// The relay accepted us: the next outage starts with a short delay.
    pub(crate) fn established(&self) {
        self.backoff.borrow_mut().reset();
    }

    /// Drops the socket and reconnects after `ms` (the relay asked, or a
    /// retryable failure happened before the session was set up).
    pub(crate) fn reconnect_after(self: &Rc<Self>, ms: u64) {
        if let Some(old) = self.socket.borrow_mut().take() {
            old.shut();
            self.emit(LinkEvent::Closed);
        }
        self.retry_in(u32::try_from(ms).unwrap_or(u32::MAX).min(60_000));
    }

    /// The browser says the network is back: skip the rest of the backoff.
    pub(crate) fn retry_now(self: &Rc<Self>) {
        if self.socket.borrow().is_none() && self.retry.is_set() {
            self.connect();
        }
    }

    /// Sends a frame if a socket is open; false when it could not be sent.
    pub(crate) fn send(&self, frame: &VisitorFrame) -> bool {
        let socket = self.socket.borrow();
        match socket.as_ref() {
            Some(s) if s.ws.ready_state() == WebSocket::OPEN => {
                s.ws.send_with_str(&encode(frame)).is_ok()
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_encodes_as_the_protocol_says() {
        let hello = VisitorFrame::Hello {
            protocol: shared::PROTOCOL_VERSION,
            site: "demo".into(),
            visitor_token: None,
            resume: vec![],
        };
        assert_eq!(
            encode(&hello),
            r#"{"type":"hello","protocol":1,"site":"demo"}"#
        );
    }

    #[test]
    fn server_frames_decode_and_unknown_ones_are_skipped() {
        let frame = decode(r#"{"type":"reconnect","after_ms":250}"#);
        assert_eq!(frame, Some(ServerFrame::Reconnect { after_ms: 250 }));
        // Unknown and agent-only types read as `Other`, which the session ignores.
        assert_eq!(
            decode(r#"{"type":"from_the_future","x":1}"#),
            Some(ServerFrame::Other)
        );
        assert_eq!(
            decode(r#"{"type":"queue","waiting":[]}"#),
            Some(ServerFrame::Other)
        );
        assert_eq!(decode("not json"), None);
    }

    #[test]
    fn a_welcome_brings_its_topics_and_availability() {
        let welcome = r#"{"type":"welcome","protocol":1,"visitor":"v_1","visitor_token":"t",
            "conversations":[],"topics":[{"id":"refunds","label":"Refunds"}],
            "availability":{"open":false,"agents_available":false,"opens_at_ms":5,"offline_form":true}}"#;
        let Some(ServerFrame::Welcome {
            topics,
            availability,
            ..
        }) = decode(welcome)
        else {
            panic!("not a welcome");
        };
        assert_eq!(topics.len(), 1);
        assert_eq!(topics[0].id, "refunds");
        assert!(availability.offline_form);
        assert_eq!(availability.opens_at_ms, Some(5));
        // An older relay's welcome: no topics, no offline form.
        let old = r#"{"type":"welcome","protocol":1,"visitor":"v_1","visitor_token":"t","conversations":[]}"#;
        let Some(ServerFrame::Welcome {
            topics,
            availability,
            ..
        }) = decode(old)
        else {
            panic!("not a welcome");
        };
        assert!(topics.is_empty());
        assert!(!availability.offline_form);
    }
}
