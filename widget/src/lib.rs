//! The visitor chat widget: Leptos (client-side rendering) compiled to
//! WebAssembly, run inside an iframe the relay serves at
//! `/widget?site=SITE&lang=LANG&parent=ORIGIN`. The host page's embed.js
//! draws the launcher and shows or hides the iframe; this crate is the
//! panel inside it.
//!
//! Layout: pure logic first, each tested natively (`i18n`, `outbox`,
//! `transcript`, `pacing`, `prechat`, `offline`, `acknowledgement`,
//! `self_service`, `survey`; link splitting is `shared::links`, shared with the
//! console); then the browser side (`storage`, `connection` — the only
//! codec —, `bridge`, `notify`, and the `session` with its parts
//! `inbound`, `refusals`, `typing`, `attention`, `identity`, `details`,
//! `offline_session`, `survey_session`, `help`); then the components (`app`, `panel`,
//! `header`, `messages`, `composer`, `prechat_form`, `offline_form`,
//! `topic_choice`, `survey_form`, `help_panel`, `reader` with `article_body`) that only
//! read `state` and call `Actions`.

mod acknowledgement;
mod app;
mod article_body;
mod attention;
mod bridge;
mod composer;
mod connection;
mod details;
mod header;
mod help;
mod help_panel;
mod i18n;
mod identity;
mod inbound;
mod messages;
mod notify;
mod offline;
mod offline_form;
mod offline_session;
mod outbox;
mod pacing;
mod panel;
mod params;
mod prechat;
mod prechat_form;
mod reader;
mod refusals;
mod self_service;
mod session;
mod state;
mod storage;
mod survey;
mod survey_form;
mod survey_session;
mod timer;
mod topic_choice;
mod transcript;
mod typing;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point, run by `init()` of the wasm-bindgen output: mounts the app.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}

/// The protocol version this widget build speaks, for the embedding page to check.
#[wasm_bindgen]
pub fn protocol_version() -> u32 {
    shared::PROTOCOL_VERSION
}
