//! The sign-in form: "Email", "Password", "Sign in", and why the last
//! attempt failed.

use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;

use super::banner::note_text;
use crate::context::{ctl, state, State};
use crate::i18n::catalog;
use crate::model::Phase;

#[component]
pub(crate) fn SignIn() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let email = NodeRef::<Input>::new();
    let password = NodeRef::<Input>::new();
    let busy = Memo::new(move |_| model.with(|m| m.phase == Phase::SigningIn));
    let note = Memo::new(move |_| model.with(|m| m.sign_in_note.clone()));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (Some(email), Some(password)) = (email.get(), password.get()) else {
            return;
        };
        let address = email.value().trim().to_owned();
        let secret = password.value();
        if address.is_empty() || secret.is_empty() || busy.get_untracked() {
            return;
        }
        password.set_value("");
        ctl.get().sign_in(address, secret);
    };
    view! {
        <main class="sign-in">
            <form class="card" on:submit=submit>
                <h1>{t.sign_in_heading}</h1>
                <label for="sign-in-email">{t.email}</label>
                <input
                    id="sign-in-email"
                    type="email"
                    autocomplete="username"
                    required
                    node_ref=email
                />
                <label for="sign-in-password">{t.password}</label>
                <input
                    id="sign-in-password"
                    type="password"
                    autocomplete="current-password"
                    required
                    node_ref=password
                />
                <p class="note error" role="alert">{move || note.get().map(|n| note_text(&n))}</p>
                <button type="submit" aria-disabled=move || busy.get().then_some("true")>
                    {t.sign_in}
                </button>
                <p class="note" role="status">{move || busy.get().then_some(t.signing_in)}</p>
            </form>
        </main>
    }
}
