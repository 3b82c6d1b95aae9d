//! Handing a conversation to another agent: a select labelled "Transfer
//! to" listing the other agents (refreshed with `list_agents` whenever it
//! gets focus) and a "Transfer" button. With no agent chosen yet the button
//! opens the choice instead of sending.

use leptos::html::Select;
use leptos::prelude::*;
use shared::{AgentId, AgentProfile, ConversationId, Presence};

use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};

fn agent_label(agent: &AgentProfile) -> String {
    let t = catalog();
    match agent.presence {
        Presence::Online => agent.name.clone(),
        Presence::Away => fill(t.agent_away, &[("name", &agent.name)]),
        Presence::Offline => fill(t.agent_offline, &[("name", &agent.name)]),
    }
}

#[component]
pub(crate) fn Transfer(id: ConversationId) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let others = Memo::new(move |_| {
        model.with(|m| {
            m.agents
                .iter()
                .filter(|a| Some(&a.id) != m.my_id())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(String::new());
    let select = NodeRef::<Select>::new();
    let transfer = move |_| {
        let to = chosen.get_untracked();
        if to.is_empty() {
            ctl.get().list_agents();
            if let Some(el) = select.get() {
                let _ = el.focus();
            }
            return;
        }
        chosen.set(String::new());
        ctl.get().transfer(&id, AgentId(to));
    };
    view! {
        <div class="transfer">
            <label for="transfer-to">{t.transfer_to}</label>
            <select
                id="transfer-to"
                node_ref=select
                on:focus=move |_| ctl.get().list_agents()
                on:change=move |ev| chosen.set(event_target_value(&ev))
            >
                <option value="" prop:selected=move || chosen.with(String::is_empty)>
                    {t.choose_agent}
                </option>
                <For each=move || others.get() key=|a| (a.id.clone(), agent_label(a)) let:agent>
                    <option
                        value=agent.id.to_string()
                        prop:selected={
                            let id = agent.id.to_string();
                            move || chosen.with(|c| *c == id)
                        }
                    >
                        {agent_label(&agent)}
                    </option>
                </For>
            </select>
            <button type="button" on:click=transfer>{t.transfer}</button>
        </div>
    }
}
