//! Getting the agent's attention: a short beep and the tab title.
//!
//! Browsers only let a page make sound after a user gesture, so the
//! `AudioContext` is created lazily by [`unlock_audio`], which the app
//! calls on the first click or key press. Until then, or where audio is
//! blocked or missing, [`beep`] does nothing; nothing here ever throws.

use std::cell::RefCell;

use web_sys::{AudioContext, OscillatorType};

use crate::i18n::{fill, Catalog};

thread_local! {
    static AUDIO: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// Creates (or wakes) the audio context; call from a user gesture.
pub(crate) fn unlock_audio() {
    AUDIO.with(|cell| {
        let mut audio = cell.borrow_mut();
        match audio.as_ref() {
            Some(ctx) => {
                let _ = ctx.resume();
            }
            None => *audio = AudioContext::new().ok(),
        }
    });
}

/// A short two-tone chime, if audio has been unlocked.
pub(crate) fn beep() {
    AUDIO.with(|cell| {
        if let Some(ctx) = cell.borrow().as_ref() {
            let _ = ctx.resume();
            let now = ctx.current_time();
            let _ = tone(ctx, 880.0, now, 0.12);
            let _ = tone(ctx, 1320.0, now + 0.14, 0.16);
        }
    });
}

fn tone(ctx: &AudioContext, hz: f32, at: f64, length: f64) -> Result<(), wasm_bindgen::JsValue> {
    let osc = ctx.create_oscillator()?;
    osc.set_type(OscillatorType::Sine);
    osc.frequency().set_value(hz);
    let gain = ctx.create_gain()?;
    gain.gain().set_value_at_time(0.0001, at)?;
    gain.gain()
        .exponential_ramp_to_value_at_time(0.2, at + 0.02)?;
    gain.gain()
        .exponential_ramp_to_value_at_time(0.0001, at + length)?;
    osc.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&ctx.destination())?;
    osc.start_with_when(at)?;
    osc.stop_with_when(at + length + 0.02)
}

/// "(2) Switchboard console" while `count` conversations need attention.
pub(crate) fn title(catalog: &Catalog, count: usize) -> String {
    if count == 0 {
        catalog.app_title.to_owned()
    } else {
        fill(catalog.title_with_count, &[("n", &count.to_string())])
    }
}

/// Sets the document title (no-op where there is no document).
pub(crate) fn set_title(text: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(text);
    }
}

/// Whether the tab is in front.
pub(crate) fn tab_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}
