//! The reply box: a textarea labelled "Reply" and a "Send" button. Enter
//! sends, Shift+Enter starts a new line; typing tells the visitor (paced
//! by the controller).

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html::Textarea;
use leptos::prelude::*;
use shared::ConversationId;

use crate::context::ctl;
use crate::i18n::catalog;

#[component]
pub(crate) fn Composer(id: ConversationId) -> impl IntoView {
    let ctl = ctl();
    let t = catalog();
    let area = NodeRef::<Textarea>::new();
    let send = {
        let id = id.clone();
        move || {
            let Some(el) = area.get() else { return };
            if ctl.get().reply(&id, &el.value()) {
                el.set_value("");
            }
            let _ = el.focus();
        }
    };
    let on_key = {
        let send = send.clone();
        move |ev: KeyboardEvent| {
            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                ev.prevent_default();
                send();
            }
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send();
    };
    view! {
        <form class="composer" on:submit=on_submit>
            <textarea
                aria-label=t.reply
                rows="3"
                maxlength=shared::limits::MAX_TEXT_CHARS.to_string()
                node_ref=area
                on:keydown=on_key
                on:input=move |_| ctl.get().typed(&id)
            ></textarea>
            <button type="submit">{t.send}</button>
        </form>
    }
}
