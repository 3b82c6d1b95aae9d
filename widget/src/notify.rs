//! Telling the visitor about a reply they are not looking at: a short beep
//! and the iframe's own `document.title` ("(1) Chat"). The host page's
//! title belongs to embed.js, which gets the count as an `unread` message.
//!
//! Browsers only let audio start after a user gesture, so the
//! `AudioContext` is created on the first pointer or key press inside the
//! widget ([`Sound::unlock`]) and never before; until then, or if audio is
//! blocked or fails in any way, the beep is silently skipped.

use std::cell::RefCell;

use web_sys::{AudioContext, OscillatorType};

/// The beep, once a gesture has allowed audio.
#[derive(Debug, Default)]
pub(crate) struct Sound {
    context: RefCell<Option<AudioContext>>,
}

impl Sound {
    /// Call from a user gesture: creates (or resumes) the audio context.
    pub(crate) fn unlock(&self) {
        let mut context = self.context.borrow_mut();
        match context.as_ref() {
            Some(existing) => {
                let _ = existing.resume();
            }
            None => *context = AudioContext::new().ok(),
        }
    }

    /// A short, soft two-tone beep; does nothing if audio is not allowed.
    pub(crate) fn beep(&self) {
        if let Some(context) = self.context.borrow().as_ref() {
            let _ = tone(context, 660.0, 0.0).and_then(|()| tone(context, 880.0, 0.12));
        }
    }
}

fn tone(context: &AudioContext, hz: f32, delay: f64) -> Result<(), wasm_bindgen::JsValue> {
    let start = context.current_time() + delay;
    let oscillator = context.create_oscillator()?;
    let gain = context.create_gain()?;
    oscillator.set_type(OscillatorType::Sine);
    oscillator.frequency().set_value(hz);
    gain.gain().set_value_at_time(0.08, start)?;
    gain.gain()
        .exponential_ramp_to_value_at_time(0.001, start + 0.1)?;
    oscillator.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&context.destination())?;
    oscillator.start_with_when(start)?;
    oscillator.stop_with_when(start + 0.11)
}

/// Sets the iframe's title: "(n) Chat", or just "Chat" with nothing unread.
pub(crate) fn set_title(name: &str, unread: u32) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if unread == 0 {
            document.set_title(name);
        } else {
            document.set_title(&format!("({unread}) {name}"));
        }
    }
}
