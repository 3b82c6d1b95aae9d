//! The reply box: a textarea labelled "Reply" and a "Send" button. Enter
//! sends, Shift+Enter starts a new line; typing tells the visitor (paced
//! by the controller). "Note" switches it to a private note (labelled
//! "Private note", sent with "Add note", never shown to the visitor and
//! never a typing indicator); on a conversation the agent cannot reply in
//! it only writes notes.
//!
//! `/` at the start opens the canned replies (`canned_list.rs`): ArrowUp
//! and ArrowDown move, Enter or Tab inserts, Escape closes. "Search
//! knowledge base" opens `kb_search.rs`. Text they insert goes in at the
//! cursor (a canned reply replaces the `/shortcut`), always as the
//! textarea's value: nothing inserted is ever parsed as HTML.

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html::Textarea;
use leptos::prelude::*;
use shared::ConversationId;
use web_sys::HtmlTextAreaElement;

use super::canned_list::{option_id, CannedList};
use super::kb_search::KbSearchPanel;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};

#[component]
pub(crate) fn Composer(
    id: ConversationId,
    /// The agent may reply here; otherwise it writes notes only.
    #[prop(default = true)]
    reply: bool,
) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let area = NodeRef::<Textarea>::new();
    let note_mode = RwSignal::new(!reply);
    let list_id = format!("canned-{id}");
    let picker = {
        let id = id.clone();
        Memo::new(move |_| {
            model.with(|m| {
                let picker =
                    m.kb.canned
                        .picker
                        .as_ref()
                        .filter(|p| p.conversation == id)?;
                Some((m.canned_matches().len(), picker.selected))
            })
        })
    };
    let searching = {
        let id = id.clone();
        Memo::new(move |_| {
            model.with(|m| m.kb.search.as_ref().is_some_and(|s| s.conversation == id))
        })
    };
    let adding = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.adding_note(&id)))
    };
    let failed = {
        let id = id.clone();
        Memo::new(move |_| model.with(|m| m.kb.notes.failure(&id)))
    };
    // Text a canned reply, the knowledge search or an article sends here.
    {
        let id = id.clone();
        let insert = Memo::new(move |_| {
            model.with(|m| m.kb.insert.clone().filter(|i| i.conversation == id))
        });
        Effect::new(move |_| {
            let (Some(ins), Some(el)) = (insert.get(), area.get()) else {
                return;
            };
            insert_at_cursor(&el, &ins.text);
            ctl.get().inserted(ins.stamp);
        });
    }
    let send = {
        let id = id.clone();
        move || {
            let Some(el) = area.get() else { return };
            let sent = if note_mode.get_untracked() {
                ctl.get().add_note(&id, &el.value())
            } else {
                ctl.get().reply(&id, &el.value())
            };
            if sent {
                el.set_value("");
                ctl.get().canned_close();
            }
            let _ = el.focus();
        }
    };
    let pick = {
        let id = id.clone();
        move |index: Option<usize>| {
            let Some(el) = area.get_untracked() else {
                return;
            };
            if let Some(text) = ctl.get().canned_pick(index) {
                el.set_value(&text);
                let end = text.encode_utf16().count() as u32;
                let _ = el.set_selection_range(end, end);
                ctl.get().canned_typed(&id, &text);
            }
            let _ = el.focus();
        }
    };
    let on_key = {
        let send = send.clone();
        let pick = pick.clone();
        move |ev: KeyboardEvent| {
            if ev.is_composing() {
                return;
            }
            let offered = picker.get_untracked();
            let key = ev.key();
            match (offered, key.as_str()) {
                (Some((n, _)), "ArrowDown" | "ArrowUp") if n > 0 => {
                    ev.prevent_default();
                    ctl.get().canned_move(key == "ArrowDown");
                }
                (Some((n, _)), "Enter" | "Tab") if n > 0 && !ev.shift_key() => {
                    ev.prevent_default();
                    pick(None);
                }
                (Some(_), "Escape") => {
                    ev.prevent_default();
                    ctl.get().canned_close();
                }
                (_, "Enter") if !ev.shift_key() => {
                    ev.prevent_default();
                    send();
                }
                _ => {}
            }
        }
    };
    let on_input = {
        let id = id.clone();
        move |_| {
            let Some(el) = area.get_untracked() else {
                return;
            };
            ctl.get().canned_typed(&id, &el.value());
            if !note_mode.get_untracked() {
                ctl.get().typed(&id);
            }
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send();
    };
    let toggle_search = {
        let id = id.clone();
        move |_| {
            if searching.get_untracked() {
                ctl.get().kb_close();
            } else {
                ctl.get().kb_open(&id);
            }
        }
    };
    let active_option = {
        let list_id = list_id.clone();
        move || {
            picker
                .get()
                .filter(|(n, _)| *n > 0)
                .map(|(_, at)| option_id(&list_id, at))
        }
    };
    let label = move || {
        if note_mode.get() {
            t.kb.private_note
        } else {
            t.reply
        }
    };
    view! {
        <form class="composer" class:note-mode=move || note_mode.get() on:submit=on_submit>
            <div class="composer-tools">
                {reply.then(|| view! {
                    <button
                        type="button"
                        class="note-toggle"
                        aria-pressed=move || note_mode.get().to_string()
                        on:click=move |_| note_mode.update(|n| *n = !*n)
                    >
                        {t.kb.note_mode}
                    </button>
                })}
                <button
                    type="button"
                    class="kb-toggle"
                    aria-expanded=move || searching.get().to_string()
                    on:click=toggle_search
                >
                    {t.kb.search_kb}
                </button>
            </div>
            <Show when=move || searching.get()>
                <KbSearchPanel/>
            </Show>
            <div class="composer-input">
                <textarea
                    aria-label=label
                    placeholder=move || note_mode.get().then_some(t.kb.note_label)
                    rows="3"
                    maxlength=shared::limits::MAX_TEXT_CHARS.to_string()
                    aria-autocomplete="list"
                    aria-controls=list_id.clone()
                    aria-activedescendant=active_option
                    node_ref=area
                    on:keydown=on_key
                    on:input=on_input
                ></textarea>
                <CannedList id=id.clone() list_id=list_id.clone() pick=Callback::new(move |i| pick(Some(i)))/>
            </div>
            <button type="submit" aria-disabled=move || (note_mode.get() && adding.get()).then_some("true")>
                {move || if note_mode.get() { t.kb.add_note } else { t.send }}
            </button>
            {move || failed.get().map(|code| view! {
                <p class="note error composer-note" role="alert">
                    {fill(t.kb.note_failed, &[("reason", t.error(code))])}
                </p>
            })}
        </form>
    }
}

/// Puts `text` in place of the selection (or at the cursor), with a space
/// before it when it would run into a word, and the cursor after it.
fn insert_at_cursor(el: &HtmlTextAreaElement, text: &str) {
    let value = el.value();
    let units: Vec<u16> = value.encode_utf16().collect();
    let len = units.len() as u32;
    let start = el.selection_start().ok().flatten().unwrap_or(len).min(len);
    let end = el
        .selection_end()
        .ok()
        .flatten()
        .unwrap_or(start)
        .clamp(start, len);
    let before = start
        .checked_sub(1)
        .and_then(|i| units.get(i as usize))
        .and_then(|u| char::from_u32(u32::from(*u)));
    let text = match before {
        Some(c) if !c.is_whitespace() => format!(" {text}"),
        _ => text.to_owned(),
    };
    if el
        .set_range_text_with_start_and_end(&text, start, end)
        .is_err()
    {
        el.set_value(&format!("{value}{text}"));
    }
    let cursor = start + text.encode_utf16().count() as u32;
    let _ = el.set_selection_range(cursor, cursor);
    let _ = el.focus();
}
