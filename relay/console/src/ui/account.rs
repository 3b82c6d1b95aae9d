//! The "Account" panel the top bar opens: "Change password" (current, new
//! and repeated; the model refuses a mismatch or a too-short password
//! before anything is sent), "Sign out everywhere" behind a confirm step,
//! and for admins the team list (`team.rs`). Each form shows the relay's
//! answer as a note. Escape or "Close account" closes it.

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html::{Button, Input, H2};
use leptos::prelude::*;
use shared::limits::MIN_PASSWORD_CHARS;

use super::banner::note_text;
use super::team::Team;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::{Model, Note};

/// The panel's element id, for the top bar's `aria-controls`.
pub(crate) const PANEL_ID: &str = "account-panel";

#[component]
pub(crate) fn AccountPanel(
    /// Whether the panel is shown; closing it clears this.
    shown: RwSignal<bool>,
) -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let admin = Memo::new(move |_| model.with(Model::is_admin));
    let heading = NodeRef::<H2>::new();
    // Whoever opened it (keyboard, screen reader) lands in the panel.
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            shown.set(false);
        }
    };
    view! {
        <section id=PANEL_ID class="account" aria-labelledby="account-heading" on:keydown=on_key>
            <div class="account-head">
                <h2 id="account-heading" tabindex="-1" node_ref=heading>{t.account}</h2>
                <button type="button" on:click=move |_| shown.set(false)>{t.close_account}</button>
            </div>
            <div class="account-body">
                <ChangePassword/>
                <SignOutEverywhere/>
                <Show when=move || admin.get()>
                    <Team/>
                </Show>
            </div>
        </section>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let current = NodeRef::<Input>::new();
    let new = NodeRef::<Input>::new();
    let repeat = NodeRef::<Input>::new();
    let busy = Memo::new(move |_| model.with(Model::changing_password));
    let note = Memo::new(move |_| model.with(|m| m.account.password.clone()));
    // Clear the form once the relay confirms; after a refusal keep it to fix.
    Effect::new(move |_| {
        if note.get() == Some(Note::PasswordChanged) {
            for field in [current, new, repeat] {
                if let Some(el) = field.get_untracked() {
                    el.set_value("");
                }
            }
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = |field: NodeRef<Input>| field.get().map(|el| el.value()).unwrap_or_default();
        ctl.get()
            .change_password(&value(current), &value(new), &value(repeat));
    };
    let hint = fill(t.password_hint, &[("n", &MIN_PASSWORD_CHARS.to_string())]);
    view! {
        <form class="change-password" aria-labelledby="change-password-heading" on:submit=submit>
            <h3 id="change-password-heading">{t.change_password}</h3>
            <label for="current-password">{t.current_password}</label>
            <input
                id="current-password"
                type="password"
                autocomplete="current-password"
                required
                node_ref=current
            />
            <label for="new-password">{t.new_password}</label>
            <input
                id="new-password"
                type="password"
                autocomplete="new-password"
                required
                aria-describedby="new-password-hint"
                node_ref=new
            />
            <p id="new-password-hint" class="hint">{hint}</p>
            <label for="repeat-password">{t.repeat_password}</label>
            <input
                id="repeat-password"
                type="password"
                autocomplete="new-password"
                required
                node_ref=repeat
            />
            <p class="note" role="status">{move || note.get().map(|n| note_text(&n))}</p>
            <button type="submit" aria-disabled=move || busy.get().then_some("true")>
                {t.change_password}
            </button>
        </form>
    }
}

#[component]
fn SignOutEverywhere() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let confirming = RwSignal::new(false);
    let busy = Memo::new(move |_| model.with(Model::signing_out_everywhere));
    let note = Memo::new(move |_| model.with(|m| m.account.everywhere.clone()));
    let ask = NodeRef::<Button>::new();
    let cancel = NodeRef::<Button>::new();
    // The question takes focus on "Cancel", the harmless answer.
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(button) = cancel.get() {
                let _ = button.focus();
            }
        }
    });
    let back = move |_| {
        confirming.set(false);
        if let Some(button) = ask.get_untracked() {
            let _ = button.focus();
        }
    };
    let confirm = move |_| {
        confirming.set(false);
        ctl.get().sign_out_everywhere();
    };
    view! {
        <section class="everywhere" aria-labelledby="everywhere-heading">
            <h3 id="everywhere-heading">{t.sign_out_everywhere}</h3>
            <p class="hint">{t.sign_out_everywhere_hint}</p>
            <button
                type="button"
                aria-expanded=move || confirming.get().to_string()
                node_ref=ask
                on:click=move |_| confirming.set(true)
            >
                {t.sign_out_everywhere}
            </button>
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-labelledby="everywhere-question">
                    <p id="everywhere-question">{t.confirm_sign_out_everywhere}</p>
                    <button
                        type="button"
                        class="danger"
                        aria-disabled=move || busy.get().then_some("true")
                        on:click=confirm
                    >
                        {t.yes_sign_out_everywhere}
                    </button>
                    <button type="button" node_ref=cancel on:click=back>
                        {t.cancel}
                    </button>
                </div>
            </Show>
            <p class="note" role="status">{move || note.get().map(|n| note_text(&n))}</p>
        </section>
    }
}
