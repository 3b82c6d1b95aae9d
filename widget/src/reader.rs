//! An article read inside the widget, in place of the chat (which stays in
//! the document, hidden, so nothing typed is lost): "Back to chat", the
//! title (focused on arrival), the body, and the two feedback buttons.
//! The article is laid out in its own language's direction, whatever the
//! widget's. Escape goes back to the chat instead of closing the panel.

use leptos::html;
use leptos::prelude::*;
use shared::knowledge::{ArticleView, Feedback};
use web_sys::KeyboardEvent;

use crate::article_body;
use crate::help::After;
use crate::i18n::Catalog;
use crate::state::Actions;

/// The article's view; the article itself stays in `HelpState::reading`.
pub(crate) fn reader(
    strings: &'static Catalog,
    actions: Actions,
    article: &ArticleView,
) -> impl IntoView {
    let heading = NodeRef::<html::H2>::new();
    // Once in the document: screen readers start at the title.
    request_animation_frame(move || {
        if let Some(el) = heading.get_untracked() {
            let _ = el.focus();
        }
    });
    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            event.prevent_default();
            // The panel's own Escape would close the whole chat.
            event.stop_propagation();
            actions.close_article(After::Return);
        }
    };
    let dir = shared::lang::direction(&article.lang);
    view! {
        <section class="sb-reader" aria-labelledby="sb-article-title" on:keydown=on_keydown>
            <button
                type="button"
                class="sb-back"
                on:click=move |_| actions.close_article(After::Return)
            >
                {strings.kb_back}
            </button>
            <article class="sb-article" lang=article.lang.clone() dir=dir>
                <h2 id="sb-article-title" class="sb-article-title" tabindex="-1" node_ref=heading>
                    {article.title.clone()}
                </h2>
                {article_body::blocks(&article.blocks)}
            </article>
            <div class="sb-feedback" role="group" aria-label=strings.kb_did_it_help>
                <button
                    type="button"
                    class="sb-send"
                    on:click=move |_| actions.article_feedback(Feedback::Answered)
                >
                    {strings.kb_answered}
                </button>
                <button
                    type="button"
                    class="sb-secondary"
                    on:click=move |_| actions.article_feedback(Feedback::NeedHelp)
                >
                    {strings.kb_need_help}
                </button>
            </div>
        </section>
    }
}
