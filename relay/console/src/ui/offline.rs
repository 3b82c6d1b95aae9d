//! "Offline messages": conversations left through the widget's offline
//! form, which wait for an agent to take them by hand rather than in the
//! live queue. Each shows its case code, the visitor, the message's first
//! line (once loaded) and since when it waits; its button shows it
//! read-only and "Take" makes it the agent's, after which it opens like
//! any conversation. A refused take is told below the list.

use leptos::prelude::*;
use shared::ConversationId;

use super::when::short_date_time;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::ConvRow;
use crate::names::visitor_label;

#[component]
pub(crate) fn OfflineMessages() -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let ids = Memo::new(move |_| model.with(|m| m.offline_messages()));
    let failed = Memo::new(move |_| model.with(|m| m.routing.take_failed.as_ref().map(|f| f.1)));
    view! {
        <section class="offline-messages" aria-labelledby="offline-heading" data-testid="offline-list">
            <h2 id="offline-heading">{t.routing.offline_messages}</h2>
            <ul class="conversations offline-list" aria-labelledby="offline-heading">
                <For each=move || ids.get() key=ConversationId::clone let:id>
                    <OfflineRow id/>
                </For>
            </ul>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty">{t.routing.no_offline_messages}</p>
            </Show>
            <p class="note error" role="status" data-testid="take-note">
                {move || failed.get().map(|code| t.take_error(code))}
            </p>
        </section>
    }
}

/// Who left it: the case code when there is one, else the visitor.
fn who(row: &ConvRow) -> String {
    row.case_code
        .clone()
        .unwrap_or_else(|| visitor_label(catalog(), &row.visitor))
}

#[component]
fn OfflineRow(id: ConversationId) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let row = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.row(&id)))
    };
    let taking = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.taking(&id)))
    };
    let get = move |f: fn(&ConvRow) -> Option<String>| move || row.with(|r| r.as_ref().and_then(f));
    let (open_id, take_id) = (id.clone(), id.clone());
    view! {
        <li class="conversation offline" data-conversation=id.to_string()>
            <button
                type="button"
                class="conversation-open"
                aria-current=move || row.with(|r| r.as_ref().is_some_and(|r| r.open).then_some("true"))
                on:click=move |_| ctl.get().open(&open_id)
            >
                <span class="case-code">{get(|r| r.case_code.clone())}</span>
                <span class="who">{get(|r| Some(visitor_label(catalog(), &r.visitor)))}</span>
                <span class="preview">
                    {get(|r| Some(r.preview.clone().unwrap_or_else(|| catalog().no_messages.to_owned())))}
                </span>
                <span class="why">
                    {get(|r| Some(catalog().queue_line(&r.route.why, &short_date_time(r.route.since_ms))))}
                </span>
            </button>
            <button
                type="button"
                class="primary take"
                data-testid="take-offline"
                aria-label=move || row.with(|r| r.as_ref().map(|r| fill(t.routing.take_named, &[("name", &who(r))])))
                aria-disabled=move || taking.get().then_some("true")
                on:click=move |_| ctl.get().take(&take_id)
            >
                {move || if taking.get() { t.routing.taking } else { t.routing.take }}
            </button>
        </li>
    }
}
