//! The "Conversations" list: the agent's own conversations and the live
//! queue (offline messages are `offline.rs`'s), each a button showing the
//! visitor, status, case code, newest message, unread count, and its
//! routing (`route.rs`): what it asked for and why it waits where it does,
//! or how routing widened to find its agent. Rows are keyed by
//! conversation id and read their own data, so a new message re-renders
//! one row and keeps keyboard focus in place.

use leptos::prelude::*;
use shared::{ConversationId, ConversationStatus};

use super::route::route_lines;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::ConvRow;
use crate::names::visitor_label;

#[component]
pub(crate) fn ConversationList() -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let ids = Memo::new(move |_| model.with(|m| m.list()));
    view! {
        <ul class="conversations" aria-label=t.conversations>
            <For each=move || ids.get() key=ConversationId::clone let:id>
                <Row id/>
            </For>
        </ul>
        <Show when=move || ids.with(Vec::is_empty)>
            <p class="empty">{t.no_conversations}</p>
        </Show>
    }
}

/// The words for a conversation's status.
pub(crate) fn status_text(status: ConversationStatus) -> &'static str {
    let t = catalog();
    match status {
        ConversationStatus::Waiting => t.status_waiting,
        ConversationStatus::Assigned => t.status_assigned,
        ConversationStatus::Closed => t.status_closed,
    }
}

#[component]
fn Row(id: ConversationId) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let row = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.row(&id)))
    };
    // Each part reads its own field, so the button (and its focus) stays.
    let get = move |f: fn(&ConvRow) -> Option<String>| move || row.with(|r| r.as_ref().and_then(f));
    let lines = Memo::new(move |_| {
        row.with(|r| {
            r.as_ref()
                .map(|r| route_lines(&r.route, r.status))
                .unwrap_or_default()
        })
    });
    let status = |r: &ConvRow| Some(status_text(r.status).to_owned());
    view! {
        <li
            class="conversation"
            class:fresh=move || row.with(|r| r.as_ref().is_some_and(|r| r.fresh))
            class:unread=move || row.with(|r| r.as_ref().is_some_and(|r| r.unread > 0))
            data-status=get(status)
        >
            <button
                type="button"
                class="conversation-open"
                aria-current=move || row.with(|r| r.as_ref().is_some_and(|r| r.open).then_some("true"))
                on:click=move |_| ctl.get().open(&id)
            >
                <span class="who">{get(|r| Some(visitor_label(catalog(), &r.visitor)))}</span>
                <span class="status">{get(status)}</span>
                <span class="case-code">{get(|r| r.case_code.clone())}</span>
                <span class="preview">
                    {get(|r| Some(r.preview.clone().unwrap_or_else(|| catalog().no_messages.to_owned())))}
                </span>
                <span class="route">{move || lines.with(|l| l.facts.clone())}</span>
                <span class="why">{move || lines.with(|l| l.why.clone())}</span>
                <span class="unread">
                    {get(|r| (r.unread > 0).then(|| fill(catalog().unread, &[("n", &r.unread.to_string())])))}
                </span>
            </button>
        </li>
    }
}
