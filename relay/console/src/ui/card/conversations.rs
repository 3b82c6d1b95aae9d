//! The customer's chat conversations, newest first, each with its case
//! code, status and date. Choosing one opens it in the thread area; one
//! that is neither the agent's nor waiting is shown read-only. A rated
//! one shows the customer's rating.

use leptos::prelude::*;
use shared::ConversationSummary;

use crate::context::{ctl, state, State};
use crate::i18n::catalog;
use crate::ui::csat::Rating;
use crate::ui::list::status_text;
use crate::ui::when;

#[component]
pub(crate) fn PastConversations() -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let convs = Memo::new(move |_| {
        model.with(|m| {
            let mut convs = m
                .card
                .card
                .as_ref()
                .map(|c| c.conversations.clone())
                .unwrap_or_default();
            convs.sort_by_key(|c| std::cmp::Reverse(c.created_at_ms));
            convs
        })
    });
    view! {
        <section class="customer-part" aria-labelledby="past-heading">
            <h3 id="past-heading">{t.past_conversations}</h3>
            <Show when=move || convs.with(Vec::is_empty)>
                <p class="empty">{t.no_past_conversations}</p>
            </Show>
            <ul class="past">
                <For each=move || convs.get() key=|c| (c.id.clone(), status_text(c.status)) let:summary>
                    <Past summary/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn Past(summary: ConversationSummary) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let date = when::date(summary.created_at_ms);
    let id = summary.id.clone();
    let current = {
        let id = id.clone();
        move || model.with(|m| (m.open.as_ref() == Some(&id)).then_some("true"))
    };
    view! {
        <li>
            <button
                type="button"
                class="past-open"
                aria-current=current
                on:click=move |_| ctl.get().open(&id)
            >
                <span class="case-code">{summary.case_code.clone()}</span>
                <span class="status">{status_text(summary.status)}</span>
                <time class="date">{date}</time>
            </button>
            <Rating csat=summary.csat.clone()/>
        </li>
    }
}
