//! Talking to the host page's embed.js through `postMessage`.
//!
//! Every message, both ways, is an object with `source: "switchboard"` and
//! a `type`. Outgoing ones go only to the `parent` origin from the iframe
//! URL (never `*`, since they carry message text); incoming ones are
//! ignored unless `event.origin` is exactly that origin. What counts as an
//! origin and a match is [`shared::origin`], the relay's rule too.
//!
//! | direction | message |
//! | --- | --- |
//! | widget → host | `{source, type: "ready"}` once the widget runs |
//! | widget → host | `{source, type: "unread", count}` when the unread count changes |
//! | widget → host | `{source, type: "message", text, role: "agent"}` per new agent message |
//! | widget → host | `{source, type: "active"}` once the visitor has a conversation |
//! | widget → host | `{source, type: "close"}` on Escape or the close button |
//! | host → widget | `{source, type: "open"}` / `{source, type: "close"}` panel shown / hidden |
//! | host → widget | `{source, type: "identify", token}` from `Switchboard.identify` |
//!
//! Host messages may carry `page`, the host page's URL as it is now (a
//! single-page app changes it without reloading the iframe).

use js_sys::{Object, Reflect};
use shared::origin;
use wasm_bindgen::JsValue;
use web_sys::MessageEvent;

const SOURCE: &str = "switchboard";

/// What the host page told the widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HostSays {
    Open,
    Close,
    Identify(String),
}

/// The parent window's origin, when the widget runs embedded.
#[derive(Debug, Clone)]
pub(crate) struct Bridge {
    parent: Option<String>,
}

impl Bridge {
    /// `parent` is the host page origin from the iframe URL. Without one
    /// (or outside an iframe) nothing is posted.
    pub(crate) fn new(parent: Option<String>) -> Self {
        let framed = web_sys::window()
            .and_then(|w| w.parent().ok().flatten().map(|p| p != w))
            .unwrap_or(false);
        let parent = parent.filter(|p| framed && origin::is_origin(p));
        Self { parent }
    }

    /// True when there is a host page to talk to.
    pub(crate) fn embedded(&self) -> bool {
        self.parent.is_some()
    }

    fn post(&self, kind: &str, fields: &[(&str, JsValue)]) {
        let Some(origin) = &self.parent else { return };
        let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
            return;
        };
        let message = Object::new();
        let _ = Reflect::set(&message, &"source".into(), &SOURCE.into());
        let _ = Reflect::set(&message, &"type".into(), &kind.into());
        for (name, value) in fields {
            let _ = Reflect::set(&message, &(*name).into(), value);
        }
        let _ = parent.post_message(&message, origin);
    }

    pub(crate) fn ready(&self) {
        self.post("ready", &[]);
    }

    pub(crate) fn unread(&self, count: u32) {
        self.post("unread", &[("count", count.into())]);
    }

    pub(crate) fn agent_message(&self, text: &str) {
        self.post(
            "message",
            &[("text", text.into()), ("role", "agent".into())],
        );
    }

    pub(crate) fn active(&self) {
        self.post("active", &[]);
    }

    pub(crate) fn close(&self) {
        self.post("close", &[]);
    }

    /// A message's data, if it comes from the parent origin and is ours.
    fn data(&self, event: &MessageEvent) -> Option<JsValue> {
        if !origin::is_allowed(&event.origin(), self.parent.as_deref()) {
            return None;
        }
        let data = event.data();
        (field(&data, "source").as_deref() == Some(SOURCE)).then_some(data)
    }

    /// The host page's URL a message carries, if any.
    pub(crate) fn page(&self, event: &MessageEvent) -> Option<String> {
        field(&self.data(event)?, "page")
    }

    /// Reads a message from the host page; `None` unless it comes from the
    /// parent origin and is one the widget understands.
    pub(crate) fn read(&self, event: &MessageEvent) -> Option<HostSays> {
        let data = self.data(event)?;
        let field = |name: &str| field(&data, name);
        match field("type").as_deref() {
            Some("open") => Some(HostSays::Open),
            Some("close") => Some(HostSays::Close),
            Some("identify") => field("token").map(HostSays::Identify),
            _ => None,
        }
    }
}

/// A string field of a message object.
fn field(data: &JsValue, name: &str) -> Option<String> {
    Reflect::get(data, &name.into()).ok()?.as_string()
}
