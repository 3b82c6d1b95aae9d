//! The open conversation: who it is with, its case code and status, its
//! routing (`route.rs`; "Take" for an offline message), the
//! actions ("Transfer", "Close conversation") while it is the agent's,
//! "Reopen" on a closed one the agent had (an admin: on any), the
//! transcript, the visitor's typing indicator and the reply box. Another
//! agent's conversation (opened from the customer card), a waiting or a
//! closed one is read-only, but agents may still leave private notes in it.
//! A rated one shows the visitor's satisfaction rating above the transcript.

use leptos::prelude::*;
use shared::{ConversationId, ConversationStatus};

use super::composer::Composer;
use super::csat::Rating;
use super::route::{route_lines, RouteLines};
use super::transcript::Transcript;
use super::transfer::Transfer;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::names::visitor_label;
use crate::ui::list::status_text;

/// What the thread header needs to know, compared to skip needless renders.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Head {
    title: String,
    case_code: Option<String>,
    status: ConversationStatus,
    /// The agent handling it, when that is someone else.
    other_agent: Option<String>,
    mine: bool,
    typing: bool,
    /// Left through the offline form and still waiting: "Take" is offered.
    offline: bool,
    route: RouteLines,
    /// The visitor's rating, once closed and rated.
    csat: Option<shared::csat::Csat>,
    /// Closed, and this agent had it (or is an admin): "Reopen" is offered.
    reopenable: bool,
}

#[component]
pub(crate) fn Thread(id: ConversationId) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let head = {
        let id = id.clone();
        Memo::new(move |_| {
            model.with(|m| {
                m.convs.get(&id).map(|c| Head {
                    title: visitor_label(t, &c.summary.visitor),
                    case_code: c.summary.case_code.clone(),
                    status: c.summary.status,
                    other_agent: (!c.mine && c.summary.status == ConversationStatus::Assigned)
                        .then(|| {
                            c.summary
                                .agent_name
                                .clone()
                                .unwrap_or_else(|| t.agent.to_owned())
                        }),
                    mine: c.mine,
                    typing: c.visitor_typing.is_some(),
                    offline: c.summary.route.offline
                        && c.summary.status == ConversationStatus::Waiting,
                    route: route_lines(&m.route_view(&c.summary), c.summary.status),
                    csat: c.summary.csat.clone(),
                    reopenable: c.summary.status == ConversationStatus::Closed
                        && (c.mine || m.is_admin()),
                })
            })
        })
    };
    // Memos, so the reply box is not rebuilt (losing the draft and focus)
    // when only the typing indicator changes.
    let active = Memo::new(move |_| {
        head.with(|h| {
            h.as_ref()
                .is_some_and(|h| h.mine && h.status == ConversationStatus::Assigned)
        })
    });
    let status = move || head.with(|h| h.as_ref().map(|h| status_text(h.status)));
    let note = Memo::new(move |_| {
        head.with(|h| match h.as_ref() {
            Some(h) if h.offline => t.routing.offline_note.to_owned(),
            Some(h) if h.status == ConversationStatus::Waiting => t.waiting_note.to_owned(),
            Some(Head {
                other_agent: Some(name),
                ..
            }) => fill(t.read_only_note, &[("name", name)]),
            _ => t.conversation_closed.to_owned(),
        })
    });
    let offline = Memo::new(move |_| head.with(|h| h.as_ref().is_some_and(|h| h.offline)));
    let taking = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.taking(&id)))
    };
    let take_failed = {
        let id = id.clone();
        Memo::new(move |_| {
            model.with(|m| {
                m.routing
                    .take_failed
                    .as_ref()
                    .filter(|f| f.0 == id)
                    .map(|f| f.1)
            })
        })
    };
    let line = move |f: fn(&RouteLines) -> Option<String>| {
        move || head.with(|h| h.as_ref().and_then(|h| f(&h.route)))
    };
    let take_id = id.clone();
    let close_id = id.clone();
    let reopen_id = id.clone();
    let reopenable = Memo::new(move |_| head.with(|h| h.as_ref().is_some_and(|h| h.reopenable)));
    let transfer_id = id.clone();
    let composer_id = id.clone();
    view! {
        <section class="thread" aria-labelledby="thread-title">
            <header class="thread-head">
                <button type="button" class="back" on:click=move |_| ctl.get().back()>
                    {t.back}
                </button>
                <h2 id="thread-title">{move || head.with(|h| h.as_ref().map(|h| h.title.clone()))}</h2>
                <span class="case-code" aria-label=t.case_code_label>
                    {move || head.with(|h| h.as_ref().and_then(|h| h.case_code.clone()))}
                </span>
                <span class="status">{status}</span>
                <Show when=move || active.get()>
                    <div class="actions">
                        <Transfer id=transfer_id.clone()/>
                        <button
                            type="button"
                            class="close"
                            on:click={
                                let id = close_id.clone();
                                move |_| ctl.get().close(&id)
                            }
                        >
                            {t.close_conversation}
                        </button>
                    </div>
                </Show>
                <Show when=move || reopenable.get()>
                    <button
                        type="button"
                        class="reopen"
                        data-testid="reopen-conversation"
                        on:click={
                            let id = reopen_id.clone();
                            move |_| ctl.get().reopen(&id)
                        }
                    >
                        {t.reopen_conversation}
                    </button>
                </Show>
                <Show when=move || offline.get()>
                    <button
                        type="button"
                        class="primary take"
                        data-testid="take-conversation"
                        aria-disabled=move || taking.get().then_some("true")
                        on:click={
                            let id = take_id.clone();
                            move |_| ctl.get().take(&id)
                        }
                    >
                        {move || if taking.get() { t.routing.taking } else { t.routing.take }}
                    </button>
                    <p class="note error" role="status">
                        {move || take_failed.get().map(|code| t.take_error(code))}
                    </p>
                </Show>
                <p class="route">
                    <span class="facts">{line(|r| r.facts.clone())}</span>
                    <span class="why">{line(|r| r.why.clone())}</span>
                </p>
            </header>
            {move || head.with(|h| h.as_ref().and_then(|h| h.csat.clone())).map(|csat| view! { <Rating csat=Some(csat)/> })}
            <Transcript id=id.clone()/>
            <p class="typing" aria-live="polite">
                {move || head.with(|h| h.as_ref().is_some_and(|h| h.typing).then_some(t.visitor_typing))}
            </p>
            {move || {
                if active.get() {
                    view! { <Composer id=composer_id.clone()/> }.into_any()
                } else {
                    view! {
                        <p class="thread-note">{move || note.get()}</p>
                        <Composer id=composer_id.clone() reply=false/>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
