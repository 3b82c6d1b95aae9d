//! "Search contacts" above the conversation list: a search box sending
//! `search_contacts` and the hits (name, identities, and the case code a
//! hit was found by). Choosing a hit shows that contact's card in the main
//! area.

use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use shared::card::ContactHit;

use super::card::IdentityList;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::Fetch;

/// The longest query the relay accepts, in characters.
const MAX_QUERY_CHARS: usize = 200;

#[component]
pub(crate) fn ContactSearch() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let input = NodeRef::<Input>::new();
    let search = Memo::new(move |_| model.with(|m| m.search.clone()));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let query = input.get().map(|el| el.value()).unwrap_or_default();
        ctl.get().search_contacts(&query);
    };
    let clear = move |_| {
        if let Some(el) = input.get() {
            el.set_value("");
        }
        ctl.get().clear_search();
    };
    let status = move || {
        search.with(|s| {
            let s = s.as_ref()?;
            match s.fetch {
                Fetch::Pending => Some(t.searching.to_owned()),
                Fetch::Failed(code) => Some(fill(t.search_failed, &[("reason", t.error(code))])),
                Fetch::Settled if s.hits.is_empty() => Some(t.no_contacts_found.to_owned()),
                Fetch::Settled => None,
            }
        })
    };
    view! {
        <div class="contact-search">
            <form role="search" on:submit=submit>
                <label for="contact-search">{t.search_contacts}</label>
                <div class="search-row">
                    <input
                        id="contact-search"
                        type="search"
                        autocomplete="off"
                        maxlength=MAX_QUERY_CHARS.to_string()
                        placeholder=t.search_hint
                        node_ref=input
                    />
                    <button type="submit">{t.search}</button>
                </div>
            </form>
            <Show when=move || search.with(Option::is_some)>
                <p class="note" role="status">{status}</p>
                <ul class="hits" aria-label=t.search_results>
                    <For
                        each=move || search.get().map(|s| s.hits).unwrap_or_default()
                        key=|hit| (hit.contact.id.clone(), hit.case_code.clone())
                        let:hit
                    >
                        <Hit hit/>
                    </For>
                </ul>
                <button type="button" class="clear-search" on:click=clear>
                    {t.clear_search}
                </button>
            </Show>
        </div>
    }
}

#[component]
fn Hit(hit: ContactHit) -> impl IntoView {
    let ctl = ctl();
    let t = catalog();
    let id = hit.contact.id.clone();
    let name = hit
        .contact
        .name
        .clone()
        .unwrap_or_else(|| t.anonymous_visitor.to_owned());
    view! {
        <li class="hit">
            <button type="button" class="hit-open" on:click=move |_| ctl.get().open_contact(&id)>
                <span class="who">{name}</span>
                {hit.case_code.map(|code| {
                    view! { <span class="case-code">{fill(t.found_by_case, &[("code", &code)])}</span> }
                })}
            </button>
            <IdentityList identities=hit.contact.identities/>
        </li>
    }
}
