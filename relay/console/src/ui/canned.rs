//! The "Canned replies" panel the top bar opens, for every agent: a site's
//! replies (shared ones and the agent's own), a form to add or change one
//! (admins may tick "Shared with every agent"; others write their own),
//! and "Delete" on each reply the agent may change. Texts are shown as
//! text. Escape or "Close canned replies" closes it.

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html::{Input, Textarea, H2};
use leptos::prelude::*;
use shared::{CannedReplyId, SiteId};

use super::banner::note_text;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::{CannedRow, Model, Note};

/// The panel's element id, for the top bar's `aria-controls`.
pub(crate) const CANNED_PANEL_ID: &str = "canned-panel";

#[component]
pub(crate) fn CannedPanel(
    /// Whether the panel is shown; closing it clears this.
    shown: RwSignal<bool>,
) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let heading = NodeRef::<H2>::new();
    let sites = Memo::new(move |_| model.with(|m| m.kb.sites.clone()));
    // The open conversation's site, else the first.
    let site = RwSignal::new(model.with_untracked(|m| {
        m.open
            .as_ref()
            .and_then(|id| m.convs.get(id))
            .map(|c| c.summary.site.clone())
            .or_else(|| m.kb.sites.first().map(|s| s.id.clone()))
    }));
    let admin = Memo::new(move |_| model.with(Model::is_admin));
    let rows = Memo::new(move |_| {
        site.get()
            .map(|s| model.with(|m| m.canned_rows(&s)))
            .unwrap_or_default()
    });
    let note = Memo::new(move |_| model.with(|m| m.kb.canned.note.clone()));
    let busy = Memo::new(move |_| {
        site.get()
            .is_some_and(|s| model.with(|m| m.canned_changing(&s)))
    });
    let editing = RwSignal::new(None::<CannedReplyId>);
    let (shortcut, text, shared) = (
        NodeRef::<Input>::new(),
        NodeRef::<Textarea>::new(),
        NodeRef::<Input>::new(),
    );
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    Effect::new(move |_| {
        if let Some(site) = site.get() {
            ctl.get().load_canned(&site);
        }
    });
    let clear = move || {
        editing.set(None);
        if let Some(el) = shortcut.get_untracked() {
            el.set_value("");
        }
        if let Some(el) = text.get_untracked() {
            el.set_value("");
        }
        if let Some(el) = shared.get_untracked() {
            el.set_checked(false);
        }
    };
    // Cleared once the relay took it; after a refusal kept to fix.
    Effect::new(move |_| {
        if matches!(note.get(), Some(Note::ReplySaved(_))) {
            clear();
        }
    });
    let edit = Callback::new(move |row: CannedRow| {
        editing.set(Some(row.id));
        if let Some(el) = shortcut.get_untracked() {
            el.set_value(&row.shortcut);
            let _ = el.focus();
        }
        if let Some(el) = text.get_untracked() {
            el.set_value(&row.text);
        }
        if let Some(el) = shared.get_untracked() {
            el.set_checked(row.shared);
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(site) = site.get_untracked() else {
            return;
        };
        let value = shortcut.get().map(|el| el.value()).unwrap_or_default();
        let body = text.get().map(|el| el.value()).unwrap_or_default();
        let is_shared = shared.get().is_some_and(|el| el.checked());
        ctl.get()
            .save_canned(&site, editing.get_untracked(), &value, &body, is_shared);
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            shown.set(false);
        }
    };
    let on_site = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        clear();
        site.set((!value.is_empty()).then(|| SiteId::from(value.as_str())));
    };
    view! {
        <section id=CANNED_PANEL_ID class="panel canned" aria-labelledby="canned-heading" on:keydown=on_key>
            <div class="panel-head">
                <h2 id="canned-heading" tabindex="-1" node_ref=heading>{t.kb.canned_replies}</h2>
                <label for="canned-site">{t.kb.site}</label>
                <select id="canned-site" on:change=on_site>
                    {move || sites.get().into_iter().map(|s| {
                        let id = s.id.clone();
                        view! {
                            <option value=s.id.to_string() prop:selected=move || site.with(|c| c.as_ref() == Some(&id))>
                                {s.name}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <button type="button" on:click=move |_| shown.set(false)>{t.kb.close_canned}</button>
            </div>
            <div class="canned-body">
                <ul class="canned-replies" aria-label=t.kb.canned_replies>
                    <Show when=move || rows.with(Vec::is_empty)>
                        <li class="hint">{t.kb.no_replies}</li>
                    </Show>
                    <For each=move || rows.get() key=|r| r.clone() let:row>
                        <Reply row site edit/>
                    </For>
                </ul>
                <form class="canned-form" on:submit=submit>
                    <label for="canned-shortcut">{t.kb.shortcut}</label>
                    <input id="canned-shortcut" type="text" required maxlength="33" autocomplete="off" node_ref=shortcut/>
                    <label for="canned-text">{t.kb.reply_text}</label>
                    <textarea id="canned-text" rows="4" required aria-describedby="canned-hint" node_ref=text></textarea>
                    <p id="canned-hint" class="hint">{t.kb.placeholders_hint}</p>
                    <Show when=move || admin.get()>
                        <label class="check">
                            <input type="checkbox" node_ref=shared/>
                            {t.kb.shared_reply}
                        </label>
                    </Show>
                    <p class="note" role="status">{move || note.get().map(|n| note_text(&n))}</p>
                    <div class="canned-actions">
                        <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                            {t.kb.save_reply}
                        </button>
                        <button type="button" on:click=move |_| clear()>{t.kb.new_reply}</button>
                    </div>
                </form>
            </div>
        </section>
    }
}

#[component]
fn Reply(
    row: CannedRow,
    site: RwSignal<Option<SiteId>>,
    edit: Callback<CannedRow>,
) -> impl IntoView {
    let ctl = ctl();
    let t = catalog();
    let shortcut = format!("/{}", row.shortcut);
    let labels = [("shortcut", shortcut.as_str())];
    let (edit_label, delete_label) = (
        fill(t.kb.edit_reply, &labels),
        fill(t.kb.delete_reply, &labels),
    );
    let tag = if row.shared {
        t.kb.shared_tag
    } else {
        t.kb.own_tag
    };
    let id = row.id.clone();
    let (editable, is_shared) = (row.editable, row.shared);
    let text = row.text.clone();
    let delete = move |_| {
        if let Some(site) = site.get_untracked() {
            ctl.get().delete_canned(&site, &id);
        }
    };
    view! {
        <li class="canned-reply" class:shared=is_shared>
            <span class="shortcut">{shortcut.clone()}</span>
            <span class="tag">{tag}</span>
            <p class="canned-text">{text}</p>
            {editable.then(|| view! {
                <span class="canned-row-actions">
                    <button type="button" aria-label=edit_label on:click=move |_| edit.run(row.clone())>{t.kb.edit}</button>
                    <button type="button" aria-label=delete_label on:click=delete>{t.kb.delete}</button>
                </span>
            })}
        </li>
    }
}
