//! The pre-chat form, shown where the composer was while the site wants
//! to know how to reach a first-time visitor: a labelled field each for
//! name (optional), email and phone, checked here with the relay's own
//! rules before anything is sent. A problem is said inline, under its
//! field, and tied to it with `aria-invalid` and `aria-describedby`, and
//! focus moves to the field to put right; the relay's refusal shows as
//! an alert above the fields.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use shared::card::DetailsProblem;

use crate::i18n::Catalog;
use crate::prechat::{
    self, blames, described_by, explain, first_blamed, shown_under, Field, HINT_ID,
};
use crate::state::{Actions, ChatState, Strings};

/// One field's wiring.
#[derive(Debug, Clone, Copy)]
struct Input {
    field: Field,
    value: RwSignal<String>,
    node: NodeRef<html::Input>,
}

impl Input {
    fn new(field: Field, value: Option<String>) -> Self {
        Self {
            field,
            value: RwSignal::new(value.unwrap_or_default()),
            node: NodeRef::new(),
        }
    }

    fn focus(&self) {
        if let Some(el) = self.node.get_untracked() {
            let _ = el.focus();
        }
    }
}

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn PrechatForm() -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let state = expect_context::<ChatState>();
    let actions = expect_context::<Actions>();
    let draft = state.prechat.get_untracked().unwrap_or_default().draft;
    let name = Input::new(Field::Name, draft.name);
    let email = Input::new(Field::Email, draft.email);
    let phone = Input::new(Field::Phone, draft.phone);
    let problem = RwSignal::new(None::<DetailsProblem>);

    // The visitor just pressed Send and the composer went away: carry
    // focus on (once the form is in the document), but never pull it into
    // a panel the host page hides.
    request_animation_frame(move || {
        if state.open.get_untracked() {
            name.focus();
        }
    });

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let details = prechat::details(
            &name.value.get_untracked(),
            &email.value.get_untracked(),
            &phone.value.get_untracked(),
        );
        match details.check() {
            Ok(()) => {
                problem.set(None);
                actions.give_details(details);
            }
            Err(why) => {
                problem.set(Some(why));
                let first = first_blamed(why);
                if let Some(input) = [name, email, phone].iter().find(|i| i.field == first) {
                    input.focus();
                }
            }
        }
    };
    // Plain strings, empty when there is nothing to say (hidden by CSS
    // `:empty`): the same view types as the rest of the widget, less wasm.
    let refused = move || {
        state.prechat.with(|ask| {
            ask.as_ref()
                .and_then(|a| a.refused.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <form
            class="sb-prechat"
            aria-labelledby="sb-pf-title"
            novalidate=true
            on:submit=on_submit
        >
            <h2 id="sb-pf-title" class="sb-prechat-title">{strings.prechat_title}</h2>
            <p class="sb-error sb-refused" role="alert">{refused}</p>
            {field(strings, name, problem, "text", "name")}
            <p id=HINT_ID class="sb-hint">{strings.prechat_hint}</p>
            {field(strings, email, problem, "email", "email")}
            {field(strings, phone, problem, "tel", "tel")}
            <button type="submit" class="sb-send sb-prechat-submit">
                {strings.prechat_submit}
            </button>
        </form>
    }
}

/// A label, its input and the input's inline error.
fn field(
    strings: &'static Catalog,
    input: Input,
    problem: RwSignal<Option<DetailsProblem>>,
    kind: &'static str,
    autocomplete: &'static str,
) -> impl IntoView {
    let (id, label) = match input.field {
        Field::Name => ("sb-pf-name", strings.prechat_name),
        Field::Email => ("sb-pf-email", strings.prechat_email),
        Field::Phone => ("sb-pf-phone", strings.prechat_phone),
    };
    let invalid = move || {
        let blamed = problem.get().is_some_and(|p| blames(p, input.field));
        blamed.then_some("true")
    };
    let message = move || match problem.get() {
        Some(p) if shown_under(p) == input.field => explain(strings, p),
        _ => "",
    };
    view! {
        <div class="sb-field">
            <label for=id class="sb-label">{label}</label>
            <input
                id=id
                class="sb-field-input"
                type=kind
                autocomplete=autocomplete
                aria-invalid=invalid
                aria-describedby=move || described_by(input.field, problem.get())
                node_ref=input.node
                prop:value=move || input.value.get()
                on:input:target=move |event| input.value.set(event.target().value())
            />
            <p id=input.field.error_id() class="sb-error">{message}</p>
        </div>
    }
}
