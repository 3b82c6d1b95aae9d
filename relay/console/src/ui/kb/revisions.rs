//! An article's revision history, newest first: which revision, when, who
//! saved it (by name when they are a listed agent) and which fields it
//! changed.

use leptos::prelude::*;
use shared::knowledge::Revision;

use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::ui::when;

/// The words for the fields a revision changed.
fn changed_words(changed: &[String]) -> String {
    let t = catalog();
    changed
        .iter()
        .map(|field| match field.as_str() {
            "title" => t.kb.f_title,
            "body" => t.kb.f_body,
            "status" => t.kb.f_status,
            "category" => t.kb.f_category,
            "slug" => t.kb.f_slug,
            other => other,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub(crate) fn Revisions() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let lines = Memo::new(move |_| {
        model.with(|m| {
            let (_, revisions) = m.kb.admin.revisions.as_ref()?;
            let name = |author: &str| {
                m.agents
                    .iter()
                    .find(|a| a.id.as_str() == author)
                    .map_or_else(|| author.to_owned(), |a| a.name.clone())
            };
            Some(
                revisions
                    .iter()
                    .map(|r: &Revision| line(r, &name(&r.author)))
                    .collect::<Vec<_>>(),
            )
        })
    });
    view! {
        <section class="kb-revisions" aria-labelledby="kb-revisions-heading">
            <h3 id="kb-revisions-heading">{t.kb.revisions}</h3>
            <ol class="kb-revision-list">
                {move || lines.get().unwrap_or_default().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ol>
            <button type="button" on:click=move |_| ctl.get().kb_hide_revisions()>{t.kb.hide_history}</button>
        </section>
    }
}

fn line(revision: &Revision, who: &str) -> String {
    fill(
        catalog().kb.revision_line,
        &[
            ("n", &revision.revision.to_string()),
            ("when", &when::date_time(revision.at_ms)),
            ("who", who),
            ("changed", &changed_words(&revision.changed)),
        ],
    )
}
