//! The console's WebSocket to the relay (`/ws/agent` on the page's own
//! host), and the only place that encodes or decodes frames.
//!
//! It knows sockets, not sessions: it opens one socket at a time, turns
//! text messages into [`ServerFrame`]s, reports [`LinkEvent`]s to a single
//! handler, and runs the reconnect timer it is given. When to reconnect,
//! and with which `hello`, is the controller's decision. Events are never
//! reported while the connection's own state is borrowed, so the handler
//! may call straight back into it.

use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};
use std::time::Duration;

use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use shared::{AgentFrame, ServerFrame};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

/// Close code the console uses to drop a socket it will replace (4000-4999
/// is the application range; the relay's own codes stay unambiguous).
pub(crate) const CLOSE_RECONNECTING: u16 = 4000;
/// What a close without a received code (a dropped network) reports.
pub(crate) const CLOSE_ABNORMAL: u16 = 1006;

/// What happened on the socket.
#[derive(Debug)]
pub(crate) enum LinkEvent {
    /// Connected; send `hello` now.
    Opened,
    /// Boxed: a `card` frame is far larger than the other events.
    Frame(Box<ServerFrame>),
    /// The socket is gone, with the close code.
    Closed(u16),
}

/// JSON text of a frame for the wire.
pub(crate) fn encode(frame: &AgentFrame) -> String {
    // These frames are plain data; serialising them cannot fail.
    serde_json::to_string(frame).unwrap_or_default()
}

/// A frame from the wire, or why it is not one.
pub(crate) fn decode(text: &str) -> Result<ServerFrame, serde_json::Error> {
    serde_json::from_str(text)
}

/// `ws://host/ws/agent`, or `wss://` on an https page.
fn agent_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/ws/agent", location.host().ok()?))
}

type Handler = Rc<dyn Fn(LinkEvent)>;

/// A shared handle to the connection.
#[derive(Clone)]
pub(crate) struct Connection {
    inner: Rc<RefCell<Inner>>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.inner.borrow();
        f.debug_struct("Connection")
            .field("socket", &inner.socket.as_ref().map(|s| s.ws.ready_state()))
            .field("timer", &inner.timer.is_some())
            .finish()
    }
}

struct Inner {
    handler: Handler,
    socket: Option<Socket>,
    timer: Option<TimeoutHandle>,
}

/// A live socket and the callbacks the browser holds for it.
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    /// Detaches the callbacks first so the browser never calls a dropped
    /// closure, then closes the socket.
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close_with_code(shared::limits::CLOSE_NORMAL);
    }
}

impl Connection {
    /// A connection that reports to `handler`; not connected yet.
    pub(crate) fn new(handler: impl Fn(LinkEvent) + 'static) -> Self {
        Self {
            inner: Rc::new(RefCell::new(Inner {
                handler: Rc::new(handler),
                socket: None,
                timer: None,
            })),
        }
    }

    fn emit(weak: &Weak<RefCell<Inner>>, event: LinkEvent) {
        let Some(inner) = weak.upgrade() else { return };
        let handler = Rc::clone(&inner.borrow().handler);
        handler(event);
    }

    /// Opens a new socket, dropping any current one and pending timer.
    pub(crate) fn connect(&self) {
        self.stop();
        let weak = Rc::downgrade(&self.inner);
        let Some(ws) = agent_url().and_then(|url| WebSocket::new(&url).ok()) else {
            // Report asynchronously, like a real failed connection.
            let _ = set_timeout_with_handle(
                move || Self::emit(&weak, LinkEvent::Closed(CLOSE_ABNORMAL)),
                Duration::ZERO,
            );
            return;
        };
        let w = weak.clone();
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_| Self::emit(&w, LinkEvent::Opened));
        let w = weak.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            match decode(&text) {
                Ok(frame) => Self::emit(&w, LinkEvent::Frame(Box::new(frame))),
                Err(e) => web_sys::console::warn_1(&format!("switchboard: bad frame: {e}").into()),
            }
        });
        let w = weak;
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |ev: CloseEvent| {
            if let Some(inner) = w.upgrade() {
                // The socket is finished. Drop it (and this very callback)
                // only after the callback has returned.
                let finished = inner.borrow_mut().socket.take();
                let _ = set_timeout_with_handle(move || drop(finished), Duration::ZERO);
            }
            Self::emit(&w, LinkEvent::Closed(ev.code()));
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.inner.borrow_mut().socket = Some(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        });
    }

    /// Sends a frame if the socket is open; `false` if it could not.
    pub(crate) fn send(&self, frame: &AgentFrame) -> bool {
        let inner = self.inner.borrow();
        match &inner.socket {
            Some(s) if s.ws.ready_state() == WebSocket::OPEN => {
                s.ws.send_with_str(&encode(frame)).is_ok()
            }
            _ => false,
        }
    }

    /// The socket is open (connected, maybe not signed in).
    pub(crate) fn is_open(&self) -> bool {
        self.inner
            .borrow()
            .socket
            .as_ref()
            .is_some_and(|s| s.ws.ready_state() == WebSocket::OPEN)
    }

    /// Connects again after `delay_ms`.
    pub(crate) fn reconnect_in(&self, delay_ms: u64) {
        self.cancel_timer();
        let weak = Rc::downgrade(&self.inner);
        let timer = set_timeout_with_handle(
            move || {
                if let Some(inner) = weak.upgrade() {
                    inner.borrow_mut().timer = None;
                    Self { inner }.connect();
                }
            },
            Duration::from_millis(delay_ms),
        );
        self.inner.borrow_mut().timer = timer.ok();
    }

    /// Closes the socket so that its close is reported (and the controller
    /// reconnects); for when the relay asks the console to go elsewhere.
    pub(crate) fn bounce(&self) {
        let inner = self.inner.borrow();
        match &inner.socket {
            Some(s) => {
                let _ =
                    s.ws.close_with_code_and_reason(CLOSE_RECONNECTING, "reconnecting");
            }
            None => {
                drop(inner);
                let weak = Rc::downgrade(&self.inner);
                Self::emit(&weak, LinkEvent::Closed(CLOSE_RECONNECTING));
            }
        }
    }

    /// Drops the socket and any pending reconnect, silently.
    pub(crate) fn stop(&self) {
        self.cancel_timer();
        let socket = self.inner.borrow_mut().socket.take();
        drop(socket);
    }

    fn cancel_timer(&self) {
        if let Some(timer) = self.inner.borrow_mut().timer.take() {
            timer.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{AgentAuth, Presence};

    #[test]
    fn frames_round_trip_as_tagged_json() {
        let hello = AgentFrame::Hello {
            protocol: 1,
            auth: AgentAuth::Session { token: "t".into() },
            resume: vec![],
        };
        assert_eq!(
            encode(&hello),
            r#"{"type":"hello","protocol":1,"auth":{"method":"session","token":"t"}}"#
        );
        assert_eq!(
            encode(&AgentFrame::SetPresence {
                presence: Presence::Away
            }),
            r#"{"type":"set_presence","presence":"away"}"#
        );
        assert_eq!(
            decode(r#"{"type":"reconnect","after_ms":500}"#).unwrap(),
            ServerFrame::Reconnect { after_ms: 500 }
        );
        assert!(decode(r#"{"type":"nope"}"#).is_err());
    }
}
