//! The site's categories, in order: each one's name and position can be
//! changed ("Save {name}"; a lower position comes first) or it can be
//! deleted (its articles then have none); "Add category" makes a new one
//! at the end. The relay answers each change with the whole list.

use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use shared::knowledge::Category;

use super::super::banner::note_text;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};

#[component]
pub(crate) fn Categories() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let categories = Memo::new(move |_| model.with(|m| m.kb.admin.categories.clone()));
    let note = Memo::new(move |_| model.with(|m| m.kb.admin.category_note.clone()));
    let name = NodeRef::<Input>::new();
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(el) = name.get() else { return };
        let next = categories.with(|c| c.iter().map(|c| c.position + 1).max().unwrap_or(1));
        ctl.get().kb_save_category(None, &el.value(), next);
        el.set_value("");
    };
    view! {
        <section class="kb-categories" aria-labelledby="kb-categories-heading">
            <h3 id="kb-categories-heading">{t.kb.categories}</h3>
            <Show when=move || categories.with(Vec::is_empty)>
                <p class="hint">{t.kb.no_categories}</p>
            </Show>
            <ul class="kb-category-list">
                <For each=move || categories.get() key=|c| (c.id.clone(), c.name.clone(), c.position) let:category>
                    <CategoryRow category/>
                </For>
            </ul>
            <form class="kb-category-add" on:submit=add>
                <label for="kb-category-new">{t.kb.category_name}</label>
                <input id="kb-category-new" type="text" required maxlength="80" node_ref=name/>
                <button type="submit">{t.kb.add_category}</button>
            </form>
            <p class="note" role="status">
                {move || note.get().map(|n| match n {
                    crate::model::Note::Error(code) => {
                        fill(t.kb.category_failed, &[("reason", t.article_error(code))])
                    }
                    other => note_text(&other),
                })}
            </p>
        </section>
    }
}

#[component]
fn CategoryRow(category: Category) -> impl IntoView {
    let ctl = ctl();
    let t = catalog();
    let name = NodeRef::<Input>::new();
    let position = NodeRef::<Input>::new();
    let id = category.id.clone();
    let save = {
        let id = id.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let value = |r: NodeRef<Input>| r.get().map(|el| el.value()).unwrap_or_default();
            let at = value(position).trim().parse().unwrap_or(category.position);
            ctl.get()
                .kb_save_category(Some(id.clone()), &value(name), at);
        }
    };
    let labels = [("name", category.name.as_str())];
    view! {
        <li class="kb-category">
            <form on:submit=save>
                <input
                    type="text"
                    required
                    maxlength="80"
                    aria-label=fill(t.kb.name_of, &labels)
                    value=category.name.clone()
                    node_ref=name
                />
                <input
                    type="number"
                    min="0"
                    aria-label=fill(t.kb.position_of, &labels)
                    value=category.position.to_string()
                    node_ref=position
                />
                <button type="submit" aria-label=fill(t.kb.save_category, &labels)>{t.kb.save}</button>
                <button
                    type="button"
                    aria-label=fill(t.kb.delete_category, &labels)
                    on:click=move |_| ctl.get().kb_delete_category(&id)
                >
                    {t.kb.delete}
                </button>
            </form>
        </li>
    }
}
