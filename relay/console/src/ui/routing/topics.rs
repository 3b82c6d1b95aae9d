//! The routing form's topics: id, the label visitors pick, the team it
//! goes to (chosen among the form's teams, named as typed), a skill, and
//! the parts of page addresses that imply it. "Add topic" puts the cursor
//! in the new topic's id.

use leptos::prelude::*;

use super::fields::{focus_soon, input};
use crate::i18n::{catalog, fill};
use crate::model::{RoutingForm, TopicForm};

#[component]
pub(super) fn Topics(form: RwSignal<RoutingForm>) -> impl IntoView {
    let t = catalog();
    let keys =
        Memo::new(move |_| form.with(|f| f.topics.iter().map(|t| t.key).collect::<Vec<_>>()));
    let add = move |_| {
        form.update(RoutingForm::add_topic);
        if let Some(key) = form.with_untracked(|f| f.topics.last().map(|t| t.key)) {
            focus_soon(format!("topic-{key}-id"));
        }
    };
    view! {
        <fieldset class="routing-topics">
            <legend>{t.routing.topics}</legend>
            <ul class="routing-rows">
                <For each=move || keys.get() key=|k| *k let:key>
                    <TopicRow form key/>
                </For>
            </ul>
            <Show when=move || keys.with(Vec::is_empty)>
                <p class="hint">{t.routing.no_topics}</p>
            </Show>
            <button type="button" id="topic-add" data-testid="topic-add" on:click=add>
                {t.routing.add_topic}
            </button>
        </fieldset>
    }
}

#[component]
fn TopicRow(form: RwSignal<RoutingForm>, key: u64) -> impl IntoView {
    let t = catalog();
    let w = &t.routing;
    let Some(topic) = form.with_untracked(|f| f.topics.iter().find(|t| t.key == key).cloned())
    else {
        return ().into_any();
    };
    let edit = move |change: fn(&mut TopicForm, String)| {
        move |value: String| {
            form.update(|f| {
                if let Some(topic) = f.topic_mut(key) {
                    change(topic, value);
                }
            });
        }
    };
    // The teams as the form has them now, named as typed.
    let teams = Memo::new(move |_| {
        form.with(|f| {
            f.teams
                .iter()
                .map(|t| {
                    let name = if t.name.trim().is_empty() {
                        &t.id
                    } else {
                        &t.name
                    };
                    (t.key, name.clone())
                })
                .collect::<Vec<_>>()
        })
    });
    let chosen = Memo::new(move |_| {
        form.with(|f| f.topics.iter().find(|t| t.key == key).and_then(|t| t.team))
    });
    let on_team = move |ev: leptos::ev::Event| {
        let team = event_target_value(&ev).parse::<u64>().ok();
        form.update(|f| {
            if let Some(topic) = f.topic_mut(key) {
                topic.team = team;
            }
        });
    };
    let label = Memo::new(move |_| {
        form.with(|f| {
            f.topics
                .iter()
                .find(|t| t.key == key)
                .map(|t| {
                    if t.label.trim().is_empty() {
                        t.id.clone()
                    } else {
                        t.label.clone()
                    }
                })
                .unwrap_or_default()
        })
    });
    let remove = move |_| {
        form.update(|f| f.remove_topic(key));
        focus_soon("topic-add".into());
    };
    let team_id = format!("topic-{key}-team");
    view! {
        <li class="routing-row topic" data-testid="topic-row">
            <div class="routing-fields">
                {input(format!("topic-{key}-id"), w.topic_id, "text", topic.id.clone(), "topic-id", edit(|t, v| t.id = v))}
                {input(format!("topic-{key}-label"), w.topic_label, "text", topic.label.clone(), "topic-label", edit(|t, v| t.label = v))}
                <label for=team_id.clone()>{w.topic_team}</label>
                <select id=team_id data-testid="topic-team" on:change=on_team>
                    <option value="" prop:selected=move || chosen.get().is_none()>{w.no_team}</option>
                    <For each=move || teams.get() key=|team| team.clone() let:team>
                        <option value=team.0.to_string() prop:selected=move || chosen.get() == Some(team.0)>
                            {team.1}
                        </option>
                    </For>
                </select>
                {input(format!("topic-{key}-skill"), w.topic_skill, "text", topic.skill.clone(), "topic-skill", edit(|t, v| t.skill = v))}
                {input(format!("topic-{key}-urls"), w.topic_urls, "text", topic.urls.clone(), "topic-urls", edit(|t, v| t.urls = v))}
            </div>
            <button
                type="button"
                class="remove"
                aria-label=move || fill(w.remove_topic, &[("name", &label.get())])
                on:click=remove
            >
                {w.remove}
            </button>
        </li>
    }
    .into_any()
}
