//! The offline-message form, in the composer's place while nobody can
//! answer and the visitor has no open conversation: why (back at a time
//! in the visitor's locale, or nobody free), then name (optional), email,
//! the topic choice when the site has topics, the message and "Send
//! message". Checked here with the relay's own rules before anything is
//! sent. A problem with a field is said under it and tied to it with
//! `aria-invalid` and `aria-describedby`, and focus moves there; other
//! refusals show as an alert above the fields. What is typed lives in
//! `ChatState::offline`, so nothing is lost to a refusal or a redraw.
//!
//! Stable hooks for tests: the ids below and `data-testid`s `offline-form`,
//! `offline-reason`, `offline-error`, `offline-name`, `offline-email`,
//! `topic`, `offline-message`, `offline-submit`.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::acknowledgement::local_time;
use crate::i18n::Catalog;
use crate::offline::{self, described_by, Field, Problem};
use crate::state::{Actions, ChatState, Locale, Strings};
use crate::topic_choice::TopicChoice;

/// The form's id; its parts are `sb-off-*`.
pub(crate) const FORM_ID: &str = "sb-offline";

/// The focusable fields, for moving focus to the one to put right.
#[derive(Debug, Clone, Copy)]
struct Nodes {
    name: NodeRef<html::Input>,
    email: NodeRef<html::Input>,
    text: NodeRef<html::Textarea>,
}

impl Nodes {
    fn focus(&self, field: Field) {
        let _ = match field {
            Field::Name => self.name.get_untracked().map(|el| el.focus()),
            Field::Email => self.email.get_untracked().map(|el| el.focus()),
            Field::Text => self.text.get_untracked().map(|el| el.focus()),
        };
    }
}

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn OfflineForm() -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let state = expect_context::<ChatState>();
    let actions = expect_context::<Actions>();
    let Locale(lang) = expect_context::<Locale>();
    let form = state.offline;
    let nodes = Nodes {
        name: NodeRef::new(),
        email: NodeRef::new(),
        text: NodeRef::new(),
    };

    // Like the composer: the first field takes focus whenever the host
    // page shows the panel (once the form is in the document).
    Effect::new(move |_| {
        if state.open.get() {
            request_animation_frame(move || nodes.focus(Field::Name));
        }
    });
    // Focus follows a problem to its field, whether found here or refused
    // by the relay.
    Effect::new(move |_| {
        if let Some(field) = form.problem.get().and_then(Problem::field) {
            nodes.focus(field);
        }
    });

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if form.sending.get_untracked() {
            return;
        }
        let checked = offline::check(
            &form.name.get_untracked(),
            &form.email.get_untracked(),
            &form.text.get_untracked(),
        );
        match checked {
            Ok((details, text)) => actions.leave_message(details, text),
            Err(problem) => form.problem.set(Some(problem)),
        }
    };
    let reason = move || {
        state
            .offer
            .with(|offer| offline::reason(strings, &offer.availability, |at| local_time(&lang, at)))
    };
    // Refusals that are about no one field; empty (hidden by CSS `:empty`)
    // otherwise.
    let alert = move || match form.problem.get() {
        Some(problem) if problem.field().is_none() => problem.explain(strings),
        _ => "",
    };
    // Redrawn only when a welcome brings topics anew.
    let topics = move || {
        let any = state.offer.with(|o| !o.topics.is_empty());
        any.then(|| view! { <TopicChoice/> })
    };
    let submit = move || {
        if form.sending.get() {
            strings.sending
        } else {
            strings.offline_submit
        }
    };
    view! {
        <form
            id=FORM_ID
            class="sb-prechat sb-offline"
            data-testid="offline-form"
            aria-labelledby="sb-off-title"
            aria-describedby="sb-off-reason"
            novalidate=true
            on:submit=on_submit
        >
            <h2 id="sb-off-title" class="sb-prechat-title">{strings.offline_title}</h2>
            <p id="sb-off-reason" class="sb-offline-reason" data-testid="offline-reason">
                {reason}
            </p>
            <p class="sb-hint">{strings.offline_hint}</p>
            <p class="sb-error sb-refused" role="alert" data-testid="offline-error">{alert}</p>
            {input(strings, Field::Name, form.name, form.problem, nodes.name)}
            {input(strings, Field::Email, form.email, form.problem, nodes.email)}
            {topics}
            <div class="sb-field">
                <label for="sb-off-text" class="sb-label">{strings.message}</label>
                <textarea
                    id="sb-off-text"
                    class="sb-field-input sb-offline-text"
                    data-testid="offline-message"
                    rows="4"
                    maxlength=shared::limits::MAX_TEXT_CHARS.to_string()
                    aria-invalid=invalid(form.problem, Field::Text)
                    aria-describedby=move || described_by(Field::Text, form.problem.get())
                    node_ref=nodes.text
                    prop:value=move || form.text.get()
                    on:input:target=move |event| form.text.set(event.target().value())
                ></textarea>
                {message(strings, form.problem, Field::Text)}
            </div>
            <button
                type="submit"
                id="sb-off-submit"
                class="sb-send sb-prechat-submit"
                data-testid="offline-submit"
                aria-disabled=move || form.sending.get().then_some("true")
            >
                {submit}
            </button>
        </form>
    }
}

/// The name or email field: label, input, inline message.
fn input(
    strings: &'static Catalog,
    field: Field,
    value: RwSignal<String>,
    problem: RwSignal<Option<Problem>>,
    node: NodeRef<html::Input>,
) -> impl IntoView {
    let (id, testid, label, kind, autocomplete) = match field {
        Field::Email => (
            "sb-off-email",
            "offline-email",
            strings.prechat_email,
            "email",
            "email",
        ),
        _ => (
            "sb-off-name",
            "offline-name",
            strings.prechat_name,
            "text",
            "name",
        ),
    };
    view! {
        <div class="sb-field">
            <label for=id class="sb-label">{label}</label>
            <input
                id=id
                class="sb-field-input"
                data-testid=testid
                type=kind
                autocomplete=autocomplete
                required=field == Field::Email
                aria-invalid=invalid(problem, field)
                aria-describedby=move || described_by(field, problem.get())
                node_ref=node
                prop:value=move || value.get()
                on:input:target=move |event| value.set(event.target().value())
            />
            {message(strings, problem, field)}
        </div>
    }
}

/// `aria-invalid` of a field: "true" while a problem is about it.
fn invalid(problem: RwSignal<Option<Problem>>, field: Field) -> impl Fn() -> Option<&'static str> {
    move || {
        let blamed = problem.get().and_then(Problem::field) == Some(field);
        blamed.then_some("true")
    }
}

/// A field's inline message; empty (hidden by CSS) when all is well.
fn message(
    strings: &'static Catalog,
    problem: RwSignal<Option<Problem>>,
    field: Field,
) -> impl IntoView {
    let text = move || match problem.get() {
        Some(p) if p.field() == Some(field) => p.explain(strings),
        _ => "",
    };
    view! { <p id=field.error_id() class="sb-error">{text}</p> }
}
