//! Every agent's routing, for admins: the languages they answer in and
//! their skills (comma-separated), and how many conversations they take
//! at once, each row saved on its own. The relay answers a save with the
//! whole list; rows are keyed by agent, so the button pressed keeps focus.
//! The outcome is told in the row, from a live region.

use leptos::html::Input;
use leptos::prelude::*;
use shared::AgentId;

use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::{RoutingNote, MAX_CAPACITY};

#[component]
pub(super) fn AgentsRouting() -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let ids =
        Memo::new(move |_| model.with(|m| m.team().into_iter().map(|r| r.id).collect::<Vec<_>>()));
    view! {
        <section class="routing-agents" aria-labelledby="routing-agents-heading">
            <h3 id="routing-agents-heading">{t.routing.agents}</h3>
            <p class="hint">{t.routing.languages_hint} " " {t.routing.skills_hint}</p>
            <ul class="routing-rows">
                <For each=move || ids.get() key=AgentId::clone let:id>
                    <AgentRow id/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn AgentRow(id: AgentId) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let w = &t.routing;
    let Some(agent) = model.with_untracked(|m| m.agents.iter().find(|a| a.id == id).cloned())
    else {
        return ().into_any();
    };
    let (languages, skills, capacity) = (
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
    );
    let saving = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.agent_routing_saving(&id)))
    };
    let note = {
        let (id, name) = (id.clone(), agent.name.clone());
        Memo::new(move |_| {
            model.with(|m| match &m.routing.admin.agent_note {
                Some((who, RoutingNote::Saved)) if *who == id => {
                    Some(fill(w.agent_saved, &[("name", &name)]))
                }
                Some((who, note)) if *who == id => Some(t.routing_note(note)),
                _ => None,
            })
        })
    };
    let save = {
        let id = id.clone();
        move |_| {
            let value =
                |field: NodeRef<Input>| field.get().map(|el| el.value()).unwrap_or_default();
            ctl.get()
                .set_agent_routing(&id, &value(languages), &value(skills), &value(capacity));
        }
    };
    let field = |what: &str| format!("agent-{id}-{what}");
    view! {
        <li class="routing-row agent" data-testid="agent-routing" data-agent=id.to_string()>
            <span class="who">{agent.name.clone()}</span>
            <div class="routing-fields">
                <label for=field("languages")>{w.languages}</label>
                <input id=field("languages") type="text" data-testid="agent-languages"
                    prop:value=agent.languages.join(", ") node_ref=languages/>
                <label for=field("skills")>{w.skills}</label>
                <input id=field("skills") type="text" data-testid="agent-skills"
                    prop:value=agent.skills.join(", ") node_ref=skills/>
                <label for=field("capacity")>{t.capacity}</label>
                <input id=field("capacity") type="number" min="1" max=MAX_CAPACITY.to_string()
                    data-testid="agent-capacity" prop:value=agent.max_concurrent.to_string() node_ref=capacity/>
            </div>
            <button
                type="button"
                data-testid="agent-routing-save"
                aria-label=fill(w.save_agent, &[("name", &agent.name)])
                aria-disabled=move || saving.get().then_some("true")
                on:click=save
            >
                {t.kb.save}
            </button>
            <p class="note" role="status" aria-live="polite" data-testid="agent-routing-note">
                {move || note.get()}
            </p>
        </li>
    }
    .into_any()
}
