//! The routing form's teams: id, name, members (checkboxes over every
//! agent), an answer deadline of its own and, optionally, its own opening
//! hours. "Add team" puts the cursor in the new team's id; "Remove team"
//! also clears the team from topics that named it.

use leptos::prelude::*;
use shared::AgentId;

use super::fields::{checkbox, focus_soon, input};
use super::hours::HoursEditor;
use crate::context::{state, State};
use crate::i18n::{catalog, fill};
use crate::model::{HoursOwner, RoutingForm};
use crate::ui::language::own_time_zone;

#[component]
pub(super) fn Teams(form: RwSignal<RoutingForm>) -> impl IntoView {
    let t = catalog();
    let keys = Memo::new(move |_| form.with(|f| f.teams.iter().map(|t| t.key).collect::<Vec<_>>()));
    let add = move |_| {
        form.update(RoutingForm::add_team);
        if let Some(key) = form.with_untracked(|f| f.teams.last().map(|t| t.key)) {
            focus_soon(format!("team-{key}-id"));
        }
    };
    view! {
        <fieldset class="routing-teams">
            <legend>{t.routing.teams}</legend>
            <ul class="routing-rows">
                <For each=move || keys.get() key=|k| *k let:key>
                    <TeamRow form key/>
                </For>
            </ul>
            <Show when=move || keys.with(Vec::is_empty)>
                <p class="hint">{t.routing.no_teams}</p>
            </Show>
            <button type="button" id="team-add" data-testid="team-add" on:click=add>
                {t.routing.add_team}
            </button>
        </fieldset>
    }
}

#[component]
fn TeamRow(form: RwSignal<RoutingForm>, key: u64) -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let w = &t.routing;
    let Some(team) = form.with_untracked(|f| f.teams.iter().find(|t| t.key == key).cloned()) else {
        return ().into_any();
    };
    let agents = Memo::new(move |_| {
        model.with(|m| {
            m.agents
                .iter()
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let edit = move |change: fn(&mut crate::model::TeamForm, String)| {
        move |value: String| {
            form.update(|f| {
                if let Some(team) = f.team_mut(key) {
                    change(team, value);
                }
            });
        }
    };
    let has_hours = Memo::new(move |_| form.with(|f| f.hours(HoursOwner::Team(key)).is_some()));
    let label = Memo::new(move |_| {
        form.with(|f| {
            f.teams
                .iter()
                .find(|t| t.key == key)
                .map(|t| {
                    if t.name.trim().is_empty() {
                        t.id.clone()
                    } else {
                        t.name.clone()
                    }
                })
                .unwrap_or_default()
        })
    });
    let remove = move |_| {
        form.update(|f| f.remove_team(key));
        focus_soon("team-add".into());
    };
    let own_hours = move |on: bool| {
        let zone = own_time_zone().unwrap_or_default();
        form.update(|f| f.set_hours(HoursOwner::Team(key), on, &zone));
    };
    view! {
        <li class="routing-row team" data-testid="team-row">
            <div class="routing-fields">
                {input(format!("team-{key}-id"), w.team_id, "text", team.id.clone(), "team-id", edit(|t, v| t.id = v))}
                {input(format!("team-{key}-name"), w.team_name, "text", team.name.clone(), "team-name", edit(|t, v| t.name = v))}
                {input(
                    format!("team-{key}-answer"),
                    w.team_answer_within,
                    "number",
                    team.answer_within.clone(),
                    "team-answer-within",
                    edit(|t, v| t.answer_within = v),
                )}
            </div>
            <fieldset class="members">
                <legend>{w.members}</legend>
                <For each=move || agents.get() key=|(id, name)| (id.clone(), name.clone()) let:agent>
                    <Member form key agent=agent.0 name=agent.1/>
                </For>
            </fieldset>
            {checkbox(format!("team-{key}-own-hours"), w.own_hours, team.hours.is_some(), "team-own-hours", own_hours)}
            <Show when=move || has_hours.get()>
                <HoursEditor form owner=HoursOwner::Team(key)/>
            </Show>
            <button
                type="button"
                class="remove"
                aria-label=move || fill(w.remove_team, &[("name", &label.get())])
                on:click=remove
            >
                {w.remove}
            </button>
        </li>
    }
    .into_any()
}

/// One agent's "member of this team" checkbox.
#[component]
fn Member(form: RwSignal<RoutingForm>, key: u64, agent: AgentId, name: String) -> impl IntoView {
    let id = format!("team-{key}-member-{agent}");
    // As the form has it now: the list of agents may come after edits.
    let checked = form.with_untracked(|f| {
        f.teams
            .iter()
            .any(|t| t.key == key && t.members.contains(&agent))
    });
    view! {
        <span class="check">
            <input
                id=id.clone()
                type="checkbox"
                data-testid="team-member"
                data-agent=agent.to_string()
                prop:checked=checked
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    form.update(|f| f.set_member(key, &agent, on));
                }
            />
            <label for=id>{name}</label>
        </span>
    }
}
