//! For admins: the "Add agent" form (email, name, password, capacity and
//! whether the new agent is an admin too), with the relay's answer.

use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use shared::AgentFrame;

use super::banner::note_text;
use crate::context::{ctl, state, State};
use crate::i18n::catalog;
use crate::model::Note;

/// Capacity filled in for a new agent.
const DEFAULT_CAPACITY: u32 = 3;

#[component]
pub(crate) fn AddAgent() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let email = NodeRef::<Input>::new();
    let name = NodeRef::<Input>::new();
    let password = NodeRef::<Input>::new();
    let capacity = NodeRef::<Input>::new();
    let admin = NodeRef::<Input>::new();
    let note = Memo::new(move |_| model.with(|m| m.admin_note.clone()));
    // Clear the form once the relay confirms.
    Effect::new(move |_| {
        if matches!(note.get(), Some(Note::AgentAdded(_))) {
            for field in [email, name, password] {
                if let Some(el) = field.get_untracked() {
                    el.set_value("");
                }
            }
            if let Some(el) = admin.get_untracked() {
                el.set_checked(false);
            }
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = |field: NodeRef<Input>| field.get().map(|el| el.value()).unwrap_or_default();
        let frame = AgentFrame::AddAgent {
            email: value(email).trim().to_owned(),
            name: value(name).trim().to_owned(),
            password: value(password),
            max_concurrent: value(capacity).trim().parse().unwrap_or(DEFAULT_CAPACITY),
            admin: admin.get().is_some_and(|el| el.checked()),
        };
        ctl.get().add_agent(frame);
    };
    view! {
        <form class="add-agent" aria-labelledby="add-agent-heading" on:submit=submit>
            <h2 id="add-agent-heading">{t.add_agent}</h2>
            <label for="add-agent-email">{t.email}</label>
            <input id="add-agent-email" type="email" required autocomplete="off" node_ref=email/>
            <label for="add-agent-name">{t.name}</label>
            <input id="add-agent-name" type="text" required autocomplete="off" node_ref=name/>
            <label for="add-agent-password">{t.password}</label>
            <input
                id="add-agent-password"
                type="password"
                required
                autocomplete="new-password"
                node_ref=password
            />
            <label for="add-agent-capacity">{t.capacity}</label>
            <input
                id="add-agent-capacity"
                type="number"
                min="1"
                max="100"
                value=DEFAULT_CAPACITY.to_string()
                required
                node_ref=capacity
            />
            <label class="check">
                <input type="checkbox" node_ref=admin/>
                {t.administrator}
            </label>
            <p class="note" role="status">{move || note.get().map(|n| note_text(&n))}</p>
            <button type="submit">{t.add_agent}</button>
        </form>
    }
}
