//! The bar above everything: product name, the agent's name, the "Status"
//! presence control, the "Account" button that opens the account panel
//! (`account.rs`) and "Sign out".

use leptos::html::Button;
use leptos::prelude::*;
use shared::Presence;

use super::account::PANEL_ID;
use crate::context::{ctl, state, State};
use crate::i18n::catalog;
use crate::storage::presence_str;

#[component]
pub(crate) fn TopBar(
    /// Whether the account panel is shown.
    account: RwSignal<bool>,
) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let presence = Memo::new(move |_| model.with(|m| m.presence));
    let name = Memo::new(move |_| model.with(|m| m.me.as_ref().map(|a| a.name.clone())));
    let choices = [
        (Presence::Online, t.online),
        (Presence::Away, t.away),
        (Presence::Offline, t.offline),
    ];
    let on_change = move |ev: leptos::ev::Event| {
        let chosen = match event_target_value(&ev).as_str() {
            "away" => Presence::Away,
            "offline" => Presence::Offline,
            _ => Presence::Online,
        };
        ctl.get().set_presence(chosen);
    };
    let toggle = NodeRef::<Button>::new();
    // However the panel closes (Escape, its own button), focus comes back here.
    Effect::new(move |was_shown: Option<bool>| {
        let shown = account.get();
        if was_shown == Some(true) && !shown {
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
        shown
    });
    view! {
        <header class="topbar">
            <h1 class="brand">{t.app_title}</h1>
            <div class="presence" data-presence=move || presence_str(presence.get())>
                <label for="presence">{t.status}</label>
                <select id="presence" on:change=on_change>
                    {choices
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option
                                    value=presence_str(value)
                                    prop:selected=move || presence.get() == value
                                >
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <span class="me">{move || name.get()}</span>
            <button
                type="button"
                class="account-toggle"
                aria-expanded=move || account.get().to_string()
                aria-controls=move || account.get().then_some(PANEL_ID)
                node_ref=toggle
                on:click=move |_| account.update(|shown| *shown = !*shown)
            >
                {t.account}
            </button>
            <button type="button" class="sign-out" on:click=move |_| ctl.get().sign_out()>
                {t.sign_out}
            </button>
        </header>
    }
}
