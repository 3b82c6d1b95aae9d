//! The transcript of the open conversation: stored messages in seq order
//! (each once), then the agent's replies still on their way, marked
//! "Sending…" or "Not sent". Agents' private notes sit among them by time,
//! labelled "Private note — only agents see this" and styled apart. It
//! scrolls to the newest message. A message whose customer was erased shows
//! the erased marker in its place.

use leptos::html::Ol;
use leptos::prelude::*;
use shared::{ConversationId, Role};

use super::message_text::MessageText;
use crate::context::{state, State};
use crate::i18n::{catalog, fill};
use crate::model::{MsgRow, MsgState};
use crate::names::visitor_label;

#[component]
pub(crate) fn Transcript(id: ConversationId) -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let rows = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.transcript(&id)))
    };
    let visitor = model.with_untracked(|m| {
        m.convs
            .get(&id)
            .map(|c| visitor_label(t, &c.summary.visitor))
            .unwrap_or_else(|| t.visitor.to_owned())
    });
    let list = NodeRef::<Ol>::new();
    Effect::new(move |_| {
        rows.with(Vec::len);
        if let Some(el) = list.get() {
            request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
        }
    });
    // Keyed by text too: erasing the customer rewrites stored messages in place.
    let key = |row: &MsgRow| (row.key.clone(), row.state, row.text.clone());
    view! {
        <ol class="transcript" role="log" aria-label=t.transcript node_ref=list tabindex="0">
            <For each=move || rows.get() key=key let:row>
                <Message row visitor=visitor.clone()/>
            </For>
        </ol>
    }
}

#[component]
fn Message(row: MsgRow, visitor: String) -> impl IntoView {
    let t = catalog();
    let who = match (row.own, row.role) {
        _ if row.note => row.name.clone().unwrap_or_else(|| t.agent.to_owned()),
        (true, _) => t.you.to_owned(),
        (false, Role::Visitor) => visitor,
        (false, Role::Agent) => row.name.clone().unwrap_or_else(|| t.agent.to_owned()),
        (false, Role::System) => t.system.to_owned(),
    };
    let state = match row.state {
        MsgState::Stored => None,
        MsgState::Sending => Some(t.sending.to_owned()),
        MsgState::Failed(code) => Some(fill(t.not_sent, &[("reason", t.error(code))])),
    };
    let role = match row.role {
        _ if row.note => "note",
        Role::Visitor => "visitor",
        Role::Agent => "agent",
        Role::System => "system",
    };
    view! {
        <li
            class="message"
            class:own=row.own
            class:pending=row.state == MsgState::Sending
            class:failed=matches!(row.state, MsgState::Failed(_))
            class:private-note=row.note
            data-role=role
        >
            <span class="author">{who}</span>
            {row.note.then(|| view! { <span class="note-label">{t.kb.note_label}</span> })}
            <p class="text">
                <MessageText text=row.text/>
            </p>
            {state.map(|s| view! { <span class="state">{s}</span> })}
        </li>
    }
}
