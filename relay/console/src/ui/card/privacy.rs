//! "Export record" and "Erase record" on the customer card, for admins
//! only (the relay refuses anyone else). The export arrives as a file
//! download. The erasure asks first, naming the person, with focus on
//! "Cancel", the harmless answer: it cannot be undone. The note under the
//! buttons says what came of the last one; it stays when an erasure
//! clears the card, and takes focus then, since the button pressed is gone.

use leptos::html::{Button, P};
use leptos::prelude::*;

use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::{Model, Note};
use crate::ui::banner::note_text;

#[component]
pub(crate) fn Privacy() -> impl IntoView {
    let State(model) = state();
    let offered = Memo::new(move |_| model.with(Model::offers_privacy));
    let note = Memo::new(move |_| model.with(|m| m.card.note.clone()));
    let said = NodeRef::<P>::new();
    Effect::new(move |before: Option<bool>| {
        let erased = note.with(|n| matches!(n, Some(Note::ContactErased(_))));
        // Only as it happens: a panel drawn again must not steal focus.
        if erased && before == Some(false) {
            if let Some(p) = said.get_untracked() {
                let _ = p.focus();
            }
        }
        erased
    });
    // Shown before any note, so screen readers hear the note when it comes.
    let shown = move || offered.get() || note.with(Option::is_some);
    view! {
        <Show when=shown>
            <div class="customer-part privacy">
                <Show when=move || offered.get()>
                    <Actions/>
                </Show>
                <p class="note" role="status" tabindex="-1" node_ref=said>
                    {move || note.get().map(|n| note_text(&n))}
                </p>
            </div>
        </Show>
    }
}

#[component]
fn Actions() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let exporting = Memo::new(move |_| model.with(Model::exporting));
    let erasing = Memo::new(move |_| model.with(Model::erasing));
    let confirming = Memo::new(move |_| model.with(Model::confirming_erase));
    let question = Memo::new(move |_| {
        model.with(|m| {
            let name = m.card.card.as_ref().and_then(|c| c.contact.name.clone());
            match name {
                Some(name) => fill(t.confirm_erase, &[("name", &name)]),
                None => t.confirm_erase_anonymous.to_owned(),
            }
        })
    });
    let ask = NodeRef::<Button>::new();
    let cancel = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(button) = cancel.get() {
                let _ = button.focus();
            }
        }
    });
    let back = move |_| {
        ctl.get().cancel_erase();
        if let Some(button) = ask.get_untracked() {
            let _ = button.focus();
        }
    };
    let busy = |flag: Memo<bool>| move || flag.get().then_some("true");
    view! {
        <div class="privacy-actions">
            <button
                type="button"
                aria-disabled=busy(exporting)
                on:click=move |_| ctl.get().export_contact()
            >
                {t.export_record}
            </button>
            <button
                type="button"
                class="danger"
                aria-expanded=move || confirming.get().to_string()
                aria-disabled=busy(erasing)
                node_ref=ask
                on:click=move |_| ctl.get().ask_erase()
            >
                {t.erase_record}
            </button>
        </div>
        <Show when=move || confirming.get()>
            <div class="confirm" role="group" aria-labelledby="erase-question">
                <p id="erase-question">{move || question.get()}</p>
                <button type="button" class="danger" on:click=move |_| ctl.get().erase_contact()>
                    {t.yes_erase}
                </button>
                <button type="button" node_ref=cancel on:click=back>
                    {t.cancel}
                </button>
            </div>
        </Show>
    }
}
