//! For admins, in the account panel: every agent with their email and
//! status, and a "Disable"/"Enable" button for each but oneself. The list
//! is asked for afresh when shown; the relay answers each change with the
//! whole list, which replaces it. Rows are keyed by agent and read their
//! own data, so the button pressed keeps focus as its label flips.

use leptos::prelude::*;
use shared::{AgentId, Presence};

use super::banner::note_text;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::TeamRow;

#[component]
pub(crate) fn Team() -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    // Presence changes reach no one's list on their own.
    ctl().get().list_agents();
    let ids =
        Memo::new(move |_| model.with(|m| m.team().into_iter().map(|r| r.id).collect::<Vec<_>>()));
    let note = Memo::new(move |_| model.with(|m| m.account.team.clone()));
    view! {
        <section class="team" aria-labelledby="team-heading">
            <h3 id="team-heading">{t.team}</h3>
            <ul class="team-list" aria-labelledby="team-heading">
                <For each=move || ids.get() key=AgentId::clone let:id>
                    <Member id/>
                </For>
            </ul>
            <p class="note" role="status">{move || note.get().map(|n| note_text(&n))}</p>
        </section>
    }
}

/// The words for an agent's standing: disabled, or their presence.
fn standing(row: &TeamRow) -> &'static str {
    let t = catalog();
    match (row.disabled, row.presence) {
        (true, _) => t.status_disabled,
        (false, Presence::Online) => t.online,
        (false, Presence::Away) => t.away,
        (false, Presence::Offline) => t.offline,
    }
}

/// An agent's name, marked when it is the signed-in agent's own.
fn member_name(row: &TeamRow) -> String {
    if row.me {
        fill(catalog().you_named, &[("name", &row.name)])
    } else {
        row.name.clone()
    }
}

#[component]
fn Member(id: AgentId) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let row = Memo::new(move |_| model.with(|m| m.team_row(&id)));
    let get = move |f: fn(&TeamRow) -> String| move || row.with(|r| r.as_ref().map(f));
    let flag = move |f: fn(&TeamRow) -> bool| move || row.with(|r| r.as_ref().is_some_and(f));
    let toggle = move |_| {
        if let Some(r) = row.get_untracked() {
            ctl.get().set_agent_disabled(&r.id, !r.disabled);
        }
    };
    let action = move |r: &TeamRow| {
        let template = if r.disabled {
            t.enable_agent
        } else {
            t.disable_agent
        };
        fill(template, &[("name", &r.name)])
    };
    view! {
        <li class="member" class:disabled=flag(|r| r.disabled)>
            <span class="who">{get(member_name)}</span>
            <span class="email">{get(|r| r.email.clone())}</span>
            <span class="standing">{get(|r| standing(r).to_owned())}</span>
            <Show when=flag(|r| r.admin)>
                <span class="role">{t.administrator}</span>
            </Show>
            <Show when=flag(|r| !r.me)>
                <button
                    type="button"
                    aria-label=move || row.with(|r| r.as_ref().map(action))
                    aria-disabled=move || flag(|r| r.changing)().then_some("true")
                    on:click=toggle
                >
                    {get(|r| if r.disabled { catalog().enable } else { catalog().disable }.to_owned())}
                </button>
            </Show>
        </li>
    }
}
