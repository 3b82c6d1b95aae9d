//! The agent console: a Leptos client-side app compiled to WebAssembly and
//! served by the relay at `/console`.
//!
//! Layout of the crate, from the wire inwards:
//! - [`connection`]: the one WebSocket, reconnect timers, and the console's
//!   only encoder/decoder of frames.
//! - [`model`]: pure state (conversations, transcripts, outbox, errors) and
//!   how each server frame changes it; no browser APIs, unit-tested natively.
//! - [`controller`]: glue between the two, plus the agent's actions.
//! - [`ui`]: the components, one per file, reading the model through context.
//! - small helpers: [`i18n`] (every string; safe links come from `shared::links`),
//!   [`names`], [`storage`], [`notify`] (beep and title), [`download`]
//!   (saving an exported record). Reconnect delays are `shared::backoff`,
//!   the widget's policy too.

pub(crate) mod connection;
pub(crate) mod context;
pub(crate) mod controller;
pub(crate) mod download;
pub(crate) mod i18n;
pub(crate) mod model;
pub(crate) mod names;
pub(crate) mod notify;
pub(crate) mod storage;
// Leptos' `#[component]` macro emits a `pub` props type for each component.
#[allow(unreachable_pub)]
pub(crate) mod ui;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the console into the page body (run by wasm-bindgen's `init()`).
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(ui::app::App);
}
