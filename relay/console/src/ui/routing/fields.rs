//! The routing panel's form controls: a labelled input that writes into
//! the form as the admin types, a labelled checkbox, and moving focus to a
//! row just added (so keyboard users land in it) or to what stays after a
//! row is removed.
//!
//! Inputs are filled once, when built; the form signal holds what was
//! typed. The panel rebuilds them all when the stored settings come back.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// `data-testid`, omitted when empty.
fn test_id(testid: &str) -> Option<String> {
    (!testid.is_empty()).then(|| testid.to_owned())
}

/// A labelled `<input>` of `kind` (text, number, time, date) starting at
/// `value`; `write` gets each change.
pub(super) fn input(
    id: String,
    label: &'static str,
    kind: &'static str,
    value: String,
    testid: &str,
    write: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <input
            id=id
            type=kind
            data-testid=test_id(testid)
            prop:value=value
            on:input=move |ev| write(event_target_value(&ev))
        />
    }
}

/// A checkbox with its label after it.
pub(super) fn checkbox(
    id: String,
    label: &'static str,
    checked: bool,
    testid: &str,
    write: impl Fn(bool) + 'static,
) -> impl IntoView {
    view! {
        <span class="check">
            <input
                id=id.clone()
                type="checkbox"
                data-testid=test_id(testid)
                prop:checked=checked
                on:change=move |ev| write(event_target_checked(&ev))
            />
            <label for=id>{label}</label>
        </span>
    }
}

/// Focuses the element `id` once it is drawn (after the change that adds it).
pub(super) fn focus_soon(id: String) {
    request_animation_frame(move || {
        let element = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}
