//! The visitor widget. Only a placeholder today: it pins the wasm-bindgen
//! version the whole workspace builds against and proves that `shared`
//! links into a wasm32 build. The Leptos widget replaces it in the widget issue.

use wasm_bindgen::prelude::wasm_bindgen;

/// The protocol version this widget build speaks, for the embedding page to check.
#[wasm_bindgen]
pub fn protocol_version() -> u32 {
    shared::PROTOCOL_VERSION
}
