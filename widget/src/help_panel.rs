//! The help articles region, above the composer before a chat starts and
//! while it waits for an agent: a "Search help articles" box and, once the
//! relay found some, "These may answer your question" with up to five
//! articles, each a button (its title) described by its snippet, matched
//! words in `<mark>`. Suggestions follow what the visitor types in the
//! composer (or sent last) when the search box is empty; how many were
//! found is said in a polite live region.

use leptos::prelude::*;
use shared::knowledge::{SearchHit, Span};

use crate::self_service::{found, offers_help, query_of, source};
use crate::state::{Actions, ChatState, Strings};

/// The id of the heading that names the list.
const TITLE_ID: &str = "sb-help-title";

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn HelpPanel() -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let state = expect_context::<ChatState>();
    let actions = expect_context::<Actions>();
    let help = state.help;
    let offered = move || {
        state
            .transcript
            .with(|t| offers_help(t.open().map(|s| s.status)))
    };
    // Runs on every keystroke and message; the session searches only once
    // the typing pauses, and only for a changed query.
    Effect::new(move |_| {
        let text = help.search.with(|search| {
            state.draft.with(|draft| {
                help.asked
                    .with(|asked| source(search, draft, asked).to_owned())
            })
        });
        if offered() {
            actions.look_up(text);
        } else if !help.asked.with_untracked(String::is_empty) {
            // An agent took the question up: a later chat starts afresh.
            help.asked.set(String::new());
        }
    });
    let status = move || {
        let notice = help.notice.get();
        if notice.is_empty() {
            let listed = help.results.with(|r| r.as_ref().map(Vec::len));
            let searching = help.search.with(|s| query_of(s).is_some());
            found(strings, listed, searching)
        } else {
            notice
        }
    };
    // The heading hides with the list (CSS) when nothing is listed.
    let items = move || {
        help.results
            .get()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, hit)| item(i, hit, actions))
            .collect::<Vec<_>>()
    };
    // Hidden rather than removed: the search box keeps its place and text.
    view! {
        <section class="sb-help" aria-label=strings.kb_region hidden=move || !offered()>
            <input
                type="search"
                class="sb-search"
                aria-label=strings.kb_search
                placeholder=strings.kb_search
                maxlength=shared::knowledge::MAX_QUERY_CHARS.to_string()
                prop:value=move || help.search.get()
                on:input:target=move |event| help.search.set(event.target().value())
            />
            <p class="sb-found" role="status" aria-live="polite">{status}</p>
            <h2 id=TITLE_ID class="sb-help-title">{strings.kb_suggested}</h2>
            <ul class="sb-hits" aria-labelledby=TITLE_ID>{items}</ul>
        </section>
    }
}

/// One found article: its title opens it; the snippet describes it.
fn item(index: usize, hit: SearchHit, actions: Actions) -> impl IntoView {
    let snippet_id = format!("sb-hit-{index}");
    let dir = shared::lang::direction(&hit.lang);
    let article = hit.article;
    view! {
        <li class="sb-hit" lang=hit.lang dir=dir>
            <button
                type="button"
                class="sb-hit-title"
                aria-describedby=snippet_id.clone()
                on:click=move |_| actions.open_article(article.clone())
            >
                {hit.title}
            </button>
            <p id=snippet_id class="sb-snippet">{snippet(hit.snippet)}</p>
        </li>
    }
}

/// The passage as text, matched words marked.
fn snippet(spans: Vec<Span>) -> Vec<impl IntoView> {
    spans
        .into_iter()
        .map(|span| {
            if span.hit {
                leptos::either::Either::Left(view! { <mark>{span.text}</mark> })
            } else {
                leptos::either::Either::Right(span.text)
            }
        })
        .collect()
}
