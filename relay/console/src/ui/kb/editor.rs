//! The article editor: title, slug (optional), language (the site's, or
//! any tag typed in "Other language tag"), category, publication (draft or
//! published) and the Markdown body; "Preview" shows the body as readers
//! will (right to left for such languages), "Save" stores a new revision
//! from the one being edited, and a conflict with someone else's save is
//! told here with the admin's text kept. The form is filled again (rebuilt)
//! whenever the model's editor stamp changes (a new article, another one);
//! a save keeps it, showing the slug the relay made.

use leptos::ev::SubmitEvent;
use leptos::html::{Input, Select, Textarea};
use leptos::prelude::*;
use shared::knowledge::ArticleStatus;
use shared::CategoryId;

use super::blocks::blocks_view;
use super::status_word;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::{ArticleFields, EditorNote, Fetch};

#[component]
pub(crate) fn ArticleEditor() -> impl IntoView {
    let State(model) = state();
    let stamp = Memo::new(move |_| model.with(|m| m.kb.admin.editor.as_ref().map(|e| e.stamp)));
    move || stamp.get().map(|_| view! { <EditorForm/> })
}

/// The form, filled from the editor's fields as they were when built.
#[component]
fn EditorForm() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let heading = Memo::new(move |_| {
        model.with(|m| match m.kb.admin.editor.as_ref() {
            Some(e) if e.id.is_some() => fill(t.kb.editing, &[("title", &e.fields.title)]),
            Some(e) if e.translation_of.is_some() => t.kb.new_translation.to_owned(),
            _ => t.kb.new_article.to_owned(),
        })
    });
    let (fields, languages, categories) = model.with_untracked(|m| {
        let fields = m.kb.admin.editor.as_ref().map(|e| e.fields.clone());
        let languages =
            m.kb.admin
                .site
                .as_ref()
                .map(|s| m.kb.languages(s))
                .unwrap_or_default();
        (fields, languages, m.kb.admin.categories.clone())
    });
    let Some(fields) = fields else {
        return ().into_any();
    };
    let mut languages = languages;
    if !fields.lang.is_empty() && !languages.contains(&fields.lang) {
        languages.push(fields.lang.clone());
    }
    let (title, slug, other) = (
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
    );
    let (lang, category, status) = (
        NodeRef::<Select>::new(),
        NodeRef::<Select>::new(),
        NodeRef::<Select>::new(),
    );
    let body = NodeRef::<Textarea>::new();
    // A form just opened starts at its title.
    Effect::new(move |_| {
        if let Some(el) = title.get() {
            let _ = el.focus();
        }
    });
    // The slug the relay made from the title shows once saved.
    let saved_slug = Memo::new(move |_| {
        model.with(|m| m.kb.admin.editor.as_ref().map(|e| e.fields.slug.clone()))
    });
    Effect::new(move |_| {
        if let (Some(value), Some(el)) = (saved_slug.get(), slug.get()) {
            if el.value() != value {
                el.set_value(&value);
            }
        }
    });
    let saving =
        Memo::new(move |_| model.with(|m| m.kb.admin.editor.as_ref().is_some_and(|e| e.saving)));
    let note = Memo::new(move |_| model.with(|m| m.kb.admin.editor.as_ref().and_then(|e| e.note)));
    let chosen_lang = move || {
        let typed = other.get().map(|el| el.value()).unwrap_or_default();
        if typed.trim().is_empty() {
            lang.get().map(|el| el.value()).unwrap_or_default()
        } else {
            typed.trim().to_owned()
        }
    };
    let read = move || ArticleFields {
        title: title.get().map(|el| el.value()).unwrap_or_default(),
        slug: slug.get().map(|el| el.value()).unwrap_or_default(),
        lang: chosen_lang(),
        category: category
            .get()
            .map(|el| el.value())
            .filter(|v| !v.is_empty())
            .map(|v| CategoryId::from(v.as_str())),
        status: match status.get().map(|el| el.value()).as_deref() {
            Some("published") => ArticleStatus::Published,
            _ => ArticleStatus::Draft,
        },
        body: body.get().map(|el| el.value()).unwrap_or_default(),
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        ctl.get().kb_save(read());
    };
    let preview = move |_| {
        let text = body.get().map(|el| el.value()).unwrap_or_default();
        ctl.get().kb_preview(&text, &chosen_lang());
    };
    let said = move || {
        note.get().map(|n| match n {
            EditorNote::Saved(rev) => view! {
                <p class="note" role="status">{fill(t.kb.saved_revision, &[("n", &rev.to_string())])}</p>
            }
            .into_any(),
            EditorNote::Conflict => view! { <p class="note error" role="alert">{t.kb.article_conflict}</p> }.into_any(),
            EditorNote::Failed(code) => view! {
                <p class="note error" role="alert">{fill(t.kb.save_failed, &[("reason", t.article_error(code))])}</p>
            }
            .into_any(),
        })
    };
    let current = fields.category.clone();
    view! {
        <form class="kb-editor" aria-labelledby="kb-editor-heading" on:submit=submit>
            <h3 id="kb-editor-heading">{move || heading.get()}</h3>
            <div class="kb-fields">
                <label for="kb-title">{t.kb.title}</label>
                <input id="kb-title" type="text" required maxlength="200" value=fields.title.clone() node_ref=title/>
                <label for="kb-slug">{t.kb.slug}</label>
                <input id="kb-slug" type="text" value=fields.slug.clone() aria-describedby="kb-slug-hint" node_ref=slug/>
                <p id="kb-slug-hint" class="hint">{t.kb.slug_hint}</p>
                <label for="kb-lang">{t.kb.language}</label>
                <select id="kb-lang" node_ref=lang>
                    {languages.into_iter().map(|l| {
                        let selected = l == fields.lang;
                        view! { <option value=l.clone() selected=selected>{l.clone()}</option> }
                    }).collect_view()}
                </select>
                <label for="kb-lang-other">{t.kb.other_language}</label>
                <input id="kb-lang-other" type="text" aria-describedby="kb-lang-other-hint" node_ref=other/>
                <p id="kb-lang-other-hint" class="hint">{t.kb.other_language_hint}</p>
                <label for="kb-category">{t.kb.category}</label>
                <select id="kb-category" node_ref=category>
                    <option value="" selected=current.is_none()>{t.kb.no_category}</option>
                    {categories.into_iter().map(|c| {
                        let selected = current.as_ref() == Some(&c.id);
                        view! { <option value=c.id.to_string() selected=selected>{c.name}</option> }
                    }).collect_view()}
                </select>
                <label for="kb-status">{t.kb.article_status}</label>
                <select id="kb-status" node_ref=status>
                    {[(ArticleStatus::Draft, "draft"), (ArticleStatus::Published, "published")].into_iter().map(|(s, v)| {
                        view! { <option value=v selected=s == fields.status>{status_word(s)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="kb-text">
                <label for="kb-body">{t.kb.body}</label>
                <textarea id="kb-body" rows="16" node_ref=body>{fields.body.clone()}</textarea>
            </div>
            <div class="kb-editor-actions">
                <button type="button" on:click=preview>{t.kb.preview}</button>
                <button type="submit" class="primary" aria-disabled=move || saving.get().then_some("true")>
                    {move || if saving.get() { t.kb.saving } else { t.kb.save }}
                </button>
                <button type="button" on:click=move |_| ctl.get().kb_close_editor()>{t.kb.close_editor}</button>
            </div>
            {said}
            <Preview/>
        </form>
    }
    .into_any()
}

/// The last preview, in its language's direction.
#[component]
fn Preview() -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let shown = Memo::new(move |_| {
        model.with(|m| {
            let e = m.kb.admin.editor.as_ref()?;
            Some((e.preview, e.blocks.clone(), e.preview_lang.clone()))
        })
    });
    move || {
        let (fetch, blocks, lang) = shown.get()?;
        let status = match fetch {
            Fetch::Pending => Some(t.kb.previewing.to_owned()),
            Fetch::Failed(code) => Some(fill(
                t.kb.preview_failed,
                &[("reason", t.article_error(code))],
            )),
            Fetch::Settled => None,
        };
        let dir = shared::lang::direction(&lang);
        Some(view! {
            <p class="note" role="status">{status}</p>
            {blocks.map(|blocks| view! {
                <section class="kb-preview article-body" aria-label=t.kb.preview_region lang=lang.clone() dir=dir>
                    {blocks_view(blocks)}
                </section>
            })}
        })
    }
}
