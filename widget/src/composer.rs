//! The composer: a textarea labelled "Message" and a "Send" button. Enter
//! sends, Shift+Enter (or Enter while an input method is composing) adds a
//! new line. Sending never waits for the network: the text goes to the
//! outbox and the box clears at once. The textarea takes focus whenever the
//! host page opens the panel. What is typed lives in `ChatState::draft`, so
//! reading an article loses none of it, and articles are suggested from it.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::state::{Actions, ChatState, Strings};

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn Composer() -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let state = expect_context::<ChatState>();
    let actions = expect_context::<Actions>();
    let draft = state.draft;
    let textarea = NodeRef::<html::Textarea>::new();

    Effect::new(move |_| {
        if state.open.get() {
            if let Some(el) = textarea.get_untracked() {
                let _ = el.focus();
            }
        }
    });

    let send = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        draft.set(String::new());
        actions.send(text);
    };
    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
            event.prevent_default();
            send();
        }
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
        if let Some(el) = textarea.get_untracked() {
            let _ = el.focus();
        }
    };
    view! {
        <form class="sb-composer" on:submit=on_submit>
            <textarea
                class="sb-input"
                aria-label=strings.message
                placeholder=strings.placeholder
                rows="2"
                maxlength=shared::limits::MAX_TEXT_CHARS.to_string()
                node_ref=textarea
                prop:value=move || draft.get()
                on:input:target=move |event| {
                    let value = event.target().value();
                    actions.typed(!value.trim().is_empty());
                    draft.set(value);
                }
                on:keydown=on_keydown
            ></textarea>
            <button type="submit" class="sb-send">
                {strings.send}
            </button>
        </form>
    }
}
