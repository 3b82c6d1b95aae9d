//! The satisfaction survey under a closed conversation: a heading, the
//! five ratings as a group of real radio buttons in a fieldset (arrow
//! keys move between them; each labelled "1 – Very dissatisfied" …
//! "5 – Very satisfied" in the visitor's language), an optional comment
//! and a submit; then the thank-you. What shows when is `survey::stage`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ConversationId;

use crate::i18n::Catalog;
use crate::state::{Actions, ChatState, Strings, SurveyState};
use crate::survey::{self, Problem, Stage};

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn Survey() -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let state = expect_context::<ChatState>();
    let actions = expect_context::<Actions>();
    let form = state.survey;
    let stage = Memo::new(move |_| {
        let thanked = form.thanked.get();
        state
            .transcript
            .with(|t| survey::stage(t.latest(), thanked.as_ref()))
    });
    move || match stage.get()? {
        Stage::Thanks => Some(
            view! { <p class="sb-survey-thanks" role="status">{strings.csat_thanks}</p> }
                .into_any(),
        ),
        Stage::Ask(id) => Some(ask(strings, actions, form, id).into_any()),
    }
}

fn ask(
    strings: &'static Catalog,
    actions: Actions,
    form: SurveyState,
    id: ConversationId,
) -> impl IntoView {
    let labels = [
        strings.csat_1,
        strings.csat_2,
        strings.csat_3,
        strings.csat_4,
        strings.csat_5,
    ];
    let options = (1..=5u8)
        .zip(labels)
        .map(|(n, label)| {
            view! {
                <label class="sb-rating-option">
                    <input
                        type="radio"
                        name="sb-rating"
                        value=n.to_string()
                        prop:checked=move || form.rating.get() == Some(n)
                        on:change=move |_| form.rating.set(Some(n))
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    let problem = move || {
        form.problem.get().map(|p| match p {
            Problem::NoRating => strings.csat_pick,
            Problem::NotSent => strings.csat_failed,
        })
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        actions.rate(id.clone());
    };
    view! {
        <form class="sb-prechat sb-survey" aria-labelledby="sb-survey-title" on:submit=on_submit>
            <h2 id="sb-survey-title" class="sb-prechat-title">{strings.csat_title}</h2>
            <fieldset class="sb-rating">
                <legend>{strings.csat_legend}</legend>
                {options}
            </fieldset>
            <label class="sb-field">
                <span class="sb-label">{strings.csat_comment}</span>
                <textarea
                    class="sb-field-input"
                    rows="2"
                    maxlength=shared::limits::MAX_CSAT_COMMENT_CHARS.to_string()
                    prop:value=move || form.comment.get()
                    on:input:target=move |event| form.comment.set(event.target().value())
                ></textarea>
            </label>
            <p class="sb-error" role="alert">{problem}</p>
            <button
                type="submit"
                class="sb-send sb-prechat-submit"
                aria-disabled=move || form.sending.get().then_some("true")>
                {strings.csat_submit}
            </button>
        </form>
    }
}
