//! The knowledge search a composer opens: "Search articles" in the
//! conversation's site, each hit's title and the passage that matched
//! (matched words in `<mark>`), and for each "Insert link" (its help
//! center address) and "Insert text" (the article as plain text). Escape
//! closes it.

use leptos::ev::KeyboardEvent;
use leptos::html::Input;
use leptos::prelude::*;
use shared::knowledge::{SearchHit, Span};

use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::Fetch;

/// The page's origin, where the relay serves the help center.
fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

#[component]
pub(crate) fn KbSearchPanel() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let query = NodeRef::<Input>::new();
    let hits = Memo::new(move |_| model.with(|m| m.kb.search.as_ref().map(|s| s.hits.clone())));
    let fetch = Memo::new(move |_| model.with(|m| m.kb.search.as_ref().map(|s| s.fetch)));
    let asked = Memo::new(move |_| {
        model.with(|m| m.kb.search.as_ref().is_some_and(|s| !s.query.is_empty()))
    });
    Effect::new(move |_| {
        if let Some(el) = query.get() {
            let _ = el.focus();
        }
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            ctl.get().kb_close();
        }
    };
    let status = move || match fetch.get() {
        Some(Fetch::Pending) => Some(t.searching.to_owned()),
        Some(Fetch::Failed(code)) => {
            Some(fill(t.kb.kb_failed, &[("reason", t.article_error(code))]))
        }
        _ if asked.get() && hits.with(|h| h.as_ref().is_some_and(Vec::is_empty)) => {
            Some(t.kb.no_articles_found.to_owned())
        }
        _ => None,
    };
    // It sits inside the composer's form (forms do not nest): Enter in
    // the box searches instead of sending the reply.
    let on_query_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && !ev.is_composing() {
            ev.prevent_default();
            ev.stop_propagation();
            if let Some(el) = query.get() {
                ctl.get().kb_search(&el.value());
            }
        }
    };
    view! {
        <section class="kb-search" aria-label=t.kb.search_kb on:keydown=on_key>
            <div class="kb-search-row" role="search">
                <input
                    type="search"
                    aria-label=t.kb.kb_query
                    autocomplete="off"
                    node_ref=query
                    on:keydown=on_query_key
                />
                <button
                    type="button"
                    on:click=move |_| {
                        if let Some(el) = query.get() {
                            ctl.get().kb_search(&el.value());
                        }
                    }
                >
                    {t.kb.find_articles}
                </button>
                <button type="button" on:click=move |_| ctl.get().kb_close()>
                    {t.kb.close_kb_search}
                </button>
            </div>
            <p class="note" role="status">{status}</p>
            <ul class="kb-hits" aria-label=t.kb.kb_results>
                {move || hits.get().unwrap_or_default().into_iter().map(|hit| view! { <Hit hit/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    let ctl = ctl();
    let t = catalog();
    let link_id = hit.article.clone();
    let text_id = hit.article.clone();
    let dir = shared::lang::direction(&hit.lang);
    view! {
        <li class="kb-hit">
            <strong class="kb-title" lang=hit.lang.clone() dir=dir>{hit.title.clone()}</strong>
            <p class="kb-snippet" lang=hit.lang.clone() dir=dir>
                {hit.snippet.into_iter().map(snippet_part).collect_view()}
            </p>
            <div class="kb-hit-actions">
                <button
                    type="button"
                    aria-label=fill(t.kb.insert_link_to, &[("title", &hit.title)])
                    on:click=move |_| ctl.get().kb_insert_link(&origin(), &link_id)
                >
                    {t.kb.insert_link}
                </button>
                <button
                    type="button"
                    aria-label=fill(t.kb.insert_text_of, &[("title", &hit.title)])
                    on:click=move |_| ctl.get().kb_insert_text(&text_id)
                >
                    {t.kb.insert_text}
                </button>
            </div>
        </li>
    }
}

/// A run of a snippet: matched words marked, the rest plain text.
fn snippet_part(span: Span) -> AnyView {
    if span.hit {
        view! { <mark>{span.text}</mark> }.into_any()
    } else {
        span.text.into_any()
    }
}
