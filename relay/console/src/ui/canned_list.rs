//! The canned replies a composer offers while it holds `/` and a prefix:
//! a listbox (`role="listbox"`, one `role="option"` per reply, the
//! highlighted one `aria-selected` and named by the textarea's
//! `aria-activedescendant`), the agent's own replies first. The keys are
//! the composer's; a click (on mouse down, so the textarea keeps focus)
//! inserts too. Shortcuts and texts are shown as text, never as HTML.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use shared::ConversationId;

use crate::context::{state, State};
use crate::i18n::{catalog, fill};

/// The element id of option `index` of the listbox `list_id`.
pub(crate) fn option_id(list_id: &str, index: usize) -> String {
    format!("{list_id}-option-{index}")
}

/// One offered reply, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Offer {
    shortcut: String,
    text: String,
    own: bool,
}

#[component]
pub(crate) fn CannedList(
    /// The conversation whose composer this is.
    id: ConversationId,
    /// The listbox's element id (the textarea's `aria-controls`).
    list_id: String,
    /// Inserts the reply at this index.
    pick: Callback<usize>,
) -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let shown = Memo::new(move |_| {
        model.with(|m| {
            let picker =
                m.kb.canned
                    .picker
                    .as_ref()
                    .filter(|p| p.conversation == id)?;
            let loaded = m.kb.canned.replies.contains_key(&picker.site);
            let offers: Vec<Offer> = m
                .canned_matches()
                .into_iter()
                .map(|r| Offer {
                    shortcut: format!("/{}", r.shortcut),
                    own: r.owner.is_some(),
                    text: r.text,
                })
                .collect();
            Some((offers, picker.selected, picker.prefix.clone(), loaded))
        })
    });
    let options = {
        let list_id = list_id.clone();
        move || {
            let (offers, selected, _, _) = shown.get()?;
            let options = offers
                .into_iter()
                .enumerate()
                .map(|(i, offer)| {
                    let on_down = move |ev: MouseEvent| {
                        ev.prevent_default();
                        pick.run(i);
                    };
                    view! {
                        <li
                            id=option_id(&list_id, i)
                            role="option"
                            class="canned-option"
                            class:own=offer.own
                            aria-selected=(i == selected).to_string()
                            on:mousedown=on_down
                        >
                            <span class="shortcut">{offer.shortcut}</span>
                            <span class="canned-text">{offer.text}</span>
                        </li>
                    }
                })
                .collect_view();
            Some(options)
        }
    };
    let none = move || {
        shown.get().and_then(|(offers, _, prefix, loaded)| {
            (offers.is_empty() && loaded).then(|| {
                let typed = format!("/{prefix}");
                view! {
                    <p class="canned-none" role="status">
                        {fill(t.kb.no_canned_match, &[("shortcut", &typed)])}
                    </p>
                }
            })
        })
    };
    view! {
        <ul
            id=list_id
            role="listbox"
            class="canned-list"
            aria-label=t.kb.canned_replies
            hidden=move || shown.with(|s| s.as_ref().is_none_or(|(o, ..)| o.is_empty()))
        >
            {options}
        </ul>
        {none}
    }
}
