//! The routing form's site-wide settings: timing (widen after, answer
//! within, offline grace, in seconds) and who goes first (identified
//! customers; contacts with a priority attribute), and whether visitors
//! may leave a message when nobody can answer.

use leptos::prelude::*;

use super::fields::{checkbox, input};
use crate::i18n::catalog;
use crate::model::RoutingForm;

/// Writes one text field of the form.
fn write(
    form: RwSignal<RoutingForm>,
    field: fn(&mut RoutingForm) -> &mut String,
) -> impl Fn(String) {
    move |value| form.update(|f| *field(f) = value)
}

#[component]
pub(super) fn Timing(form: RwSignal<RoutingForm>) -> impl IntoView {
    let w = &catalog().routing;
    let f = form.get_untracked();
    view! {
        <fieldset class="routing-timing">
            <legend>{w.timing}</legend>
            <div class="routing-fields">
                {input("routing-widen-after".into(), w.widen_after, "number", f.widen_after, "widen-after", write(form, |f| &mut f.widen_after))}
                {input("routing-answer-within".into(), w.answer_within, "number", f.answer_within, "answer-within", write(form, |f| &mut f.answer_within))}
                {input("routing-offline-grace".into(), w.offline_grace, "number", f.offline_grace, "offline-grace", write(form, |f| &mut f.offline_grace))}
            </div>
        </fieldset>
    }
}

#[component]
pub(super) fn Priority(form: RwSignal<RoutingForm>) -> impl IntoView {
    let w = &catalog().routing;
    let f = form.get_untracked();
    view! {
        <fieldset class="routing-priority">
            <legend>{w.priority}</legend>
            {checkbox("routing-identified".into(), w.identified_first, f.identified, "priority-identified", move |on| {
                form.update(|f| f.identified = on);
            })}
            <div class="routing-fields">
                {input("routing-attribute-key".into(), w.attribute_key, "text", f.attribute_key, "priority-attribute-key", write(form, |f| &mut f.attribute_key))}
                {input("routing-attribute-value".into(), w.attribute_value, "text", f.attribute_value, "priority-attribute-value", write(form, |f| &mut f.attribute_value))}
            </div>
            <p id="routing-attribute-hint" class="hint">{w.attribute_hint}</p>
            {checkbox("routing-offline-form".into(), w.offline_form, f.offline_form, "offline-form", move |on| {
                form.update(|f| f.offline_form = on);
            })}
        </fieldset>
    }
}
