//! The admins' "Knowledge base" panel the top bar opens: pick a site, see
//! its articles (drafts too) grouped by translation, write them
//! (`editor.rs`, previewed with `blocks.rs`), see their history
//! (`revisions.rs`), and manage categories (`categories.rs`). Escape or
//! "Close knowledge base" closes it.

mod blocks;
mod categories;
mod editor;
mod revisions;

use leptos::ev::KeyboardEvent;
use leptos::html::H2;
use leptos::prelude::*;
use shared::knowledge::ArticleStatus;
use shared::{ArticleId, SiteId};

use self::categories::Categories;
use self::editor::ArticleEditor;
use self::revisions::Revisions;
use super::banner::note_text;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::{ArticleRow, Fetch};

/// The panel's element id, for the top bar's `aria-controls`.
pub(crate) const KB_PANEL_ID: &str = "kb-panel";

/// "Draft" or "Published".
pub(crate) fn status_word(status: ArticleStatus) -> &'static str {
    match status {
        ArticleStatus::Draft => catalog().kb.status_draft,
        ArticleStatus::Published => catalog().kb.status_published,
    }
}

#[component]
pub(crate) fn KnowledgePanel(
    /// Whether the panel is shown; closing it clears this.
    shown: RwSignal<bool>,
) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let heading = NodeRef::<H2>::new();
    let sites = Memo::new(move |_| model.with(|m| m.kb.sites.clone()));
    let site = Memo::new(move |_| model.with(|m| m.kb.admin.site.clone()));
    let editing = Memo::new(move |_| model.with(|m| m.kb.admin.editor.is_some()));
    let history = Memo::new(move |_| model.with(|m| m.kb.admin.revisions.is_some()));
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    // The first site is taken until the admin picks another.
    Effect::new(move |_| {
        if site.get_untracked().is_none() {
            if let Some(first) = sites.with(|s| s.first().map(|s| s.id.clone())) {
                ctl.get().kb_pick_site(&first);
            }
        }
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            shown.set(false);
        }
    };
    let on_site = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if !value.is_empty() {
            ctl.get().kb_pick_site(&SiteId::from(value.as_str()));
        }
    };
    view! {
        <section id=KB_PANEL_ID class="panel kb" aria-labelledby="kb-heading" on:keydown=on_key>
            <div class="panel-head">
                <h2 id="kb-heading" tabindex="-1" node_ref=heading>{t.kb.knowledge_base}</h2>
                <label for="kb-site">{t.kb.site}</label>
                <select id="kb-site" on:change=on_site>
                    <option value="" disabled prop:selected=move || site.with(Option::is_none)>
                        {t.kb.choose_site}
                    </option>
                    {move || sites.get().into_iter().map(|s| {
                        let id = s.id.clone();
                        view! {
                            <option value=s.id.to_string() prop:selected=move || site.with(|c| c.as_ref() == Some(&id))>
                                {s.name}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <button type="button" on:click=move |_| shown.set(false)>{t.kb.close_knowledge_base}</button>
            </div>
            <Show when=move || site.with(Option::is_some)>
                <div class="kb-body">
                    <Articles/>
                    <div class="kb-side">
                        <Show when=move || history.get()>
                            <Revisions/>
                        </Show>
                        <Categories/>
                    </div>
                    <Show when=move || editing.get()>
                        <ArticleEditor/>
                    </Show>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn Articles() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let groups = Memo::new(move |_| model.with(|m| m.kb_groups()));
    let list = Memo::new(move |_| model.with(|m| m.kb.admin.list));
    let note = Memo::new(move |_| model.with(|m| m.kb.admin.note.clone()));
    let status = move || match list.get() {
        Fetch::Pending => Some(t.loading.to_owned()),
        Fetch::Failed(code) => Some(t.article_error(code).to_owned()),
        Fetch::Settled if groups.with(Vec::is_empty) => Some(t.kb.no_articles.to_owned()),
        Fetch::Settled => None,
    };
    view! {
        <section class="kb-articles" aria-labelledby="kb-articles-heading">
            <h3 id="kb-articles-heading">{t.kb.articles}</h3>
            <button type="button" class="primary" on:click=move |_| ctl.get().kb_new()>
                {t.kb.new_article}
            </button>
            <p class="note" role="status">{move || note.get().map(|n| note_text(&n))}</p>
            <p class="hint">{status}</p>
            <ul class="kb-groups">
                {move || groups.get().into_iter().map(|group| view! { <Group group/> }).collect_view()}
            </ul>
        </section>
    }
}

/// One translation group: its articles, and "Add translation".
#[component]
fn Group(group: Vec<ArticleRow>) -> impl IntoView {
    let ctl = ctl();
    let t = catalog();
    let first = group.first().map(|r| (r.id.clone(), r.title.clone()));
    view! {
        <li class="kb-group">
            <ul class="kb-translations">
                {group.into_iter().map(|row| view! { <Row row/> }).collect_view()}
            </ul>
            {first.map(|(id, title)| view! {
                <button
                    type="button"
                    class="kb-translate"
                    aria-label=fill(t.kb.translate_article, &[("title", &title)])
                    on:click=move |_| ctl.get().kb_translate(&id)
                >
                    {t.kb.add_translation}
                </button>
            })}
        </li>
    }
}

#[component]
fn Row(row: ArticleRow) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let names = [("title", row.title.as_str()), ("lang", row.lang.as_str())];
    let (edit_label, history_label, delete_label) = (
        fill(t.kb.edit_article, &names),
        fill(t.kb.history_of, &names),
        fill(t.kb.delete_article, &names),
    );
    let question = fill(t.kb.confirm_delete_article, &[("title", &row.title)]);
    let id = row.id.clone();
    let confirming = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.kb.admin.confirm_delete.as_ref() == Some(&id)))
    };
    let act = move |f: fn(&crate::controller::Controller, &ArticleId)| {
        let id = id.clone();
        move |_| f(&ctl.get(), &id)
    };
    let dir = shared::lang::direction(&row.lang);
    let status_key = match row.status {
        ArticleStatus::Draft => "draft",
        ArticleStatus::Published => "published",
    };
    let meta = [
        row.lang.clone(),
        status_word(row.status).to_owned(),
        fill(t.kb.revision_n, &[("n", &row.revision.to_string())]),
        row.category.unwrap_or_else(|| t.kb.no_category.to_owned()),
    ]
    .join(" · ");
    view! {
        <li class="kb-article" data-status=status_key>
            <span class="kb-title" lang=row.lang.clone() dir=dir>{row.title.clone()}</span>
            <span class="kb-meta">{meta}</span>
            <span class="kb-actions">
                <button type="button" aria-label=edit_label on:click=act(|c, id| c.kb_edit(id))>{t.kb.edit}</button>
                <button type="button" aria-label=history_label on:click=act(|c, id| c.kb_revisions(id))>
                    {t.kb.history}
                </button>
                <button type="button" aria-label=delete_label on:click=act(|c, id| c.kb_ask_delete(id))>
                    {t.kb.delete}
                </button>
            </span>
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-label=t.kb.delete>
                    <p>{question.clone()}</p>
                    <button type="button" class="danger" on:click=act(|c, id| c.kb_delete(id))>
                        {t.kb.yes_delete}
                    </button>
                    <button type="button" on:click=move |_| ctl.get().kb_cancel_delete()>{t.cancel}</button>
                </div>
            </Show>
        </li>
    }
}
