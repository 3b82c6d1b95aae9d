//! The top bar's "Status" control: Online, Away or Offline, as the relay
//! last confirmed it. When the relay set the agent away for being idle,
//! the away choice reads "Away (idle)", a note says why, and "I'm back"
//! puts the agent online in one click. The select stays a native control
//! (keyboard, screen readers) with its label.

use leptos::prelude::*;
use shared::Presence;

use crate::context::{ctl, state, State};
use crate::i18n::catalog;
use crate::storage::presence_str;

#[component]
pub(crate) fn StatusControl() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let presence = Memo::new(move |_| model.with(|m| m.presence));
    let idle = Memo::new(move |_| model.with(|m| m.status.idle));
    let on_change = move |ev: leptos::ev::Event| {
        let chosen = match event_target_value(&ev).as_str() {
            "away" => Presence::Away,
            "offline" => Presence::Offline,
            _ => Presence::Online,
        };
        ctl.get().set_presence(chosen);
    };
    let label = move |value: Presence| match value {
        Presence::Online => t.online,
        Presence::Away if idle.get() => t.routing.away_idle,
        Presence::Away => t.away,
        Presence::Offline => t.offline,
    };
    view! {
        <div
            class="presence"
            data-presence=move || presence_str(presence.get())
            data-idle=move || idle.get().then_some("true")
        >
            <label for="presence">{t.status}</label>
            <select id="presence" data-testid="status-control" on:change=on_change>
                {[Presence::Online, Presence::Away, Presence::Offline]
                    .into_iter()
                    .map(|value| {
                        view! {
                            <option
                                value=presence_str(value)
                                prop:selected=move || presence.get() == value
                            >
                                {move || label(value)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <span class="idle-note" role="status" data-testid="status-idle">
                {move || idle.get().then_some(t.routing.idle_note)}
            </span>
            <Show when=move || idle.get()>
                <button
                    type="button"
                    class="primary"
                    data-testid="status-back"
                    on:click=move |_| ctl.get().im_back()
                >
                    {t.routing.im_back}
                </button>
            </Show>
        </div>
    }
}
