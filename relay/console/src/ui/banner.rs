//! One line above the panes for what concerns the whole console: the
//! connection is down (and being restored), or a request failed.

use leptos::prelude::*;
use shared::privacy::Erased;

use crate::context::{ctl, state, State};
use crate::i18n::catalog;
use crate::model::{Link, Note};

/// The words for a note.
pub(crate) fn note_text(note: &Note) -> String {
    let t = catalog();
    match note {
        Note::WrongPassword => t.wrong_password.into(),
        Note::SessionEnded => t.session_ended.into(),
        Note::TooManyAttempts => t.too_many_attempts.into(),
        Note::CannotReach => t.cannot_reach.into(),
        Note::AgentAdded(name) => crate::i18n::fill(t.agent_added, &[("name", name)]),
        Note::PasswordChanged => t.password_changed.into(),
        Note::CurrentPasswordWrong => t.current_password_wrong.into(),
        Note::PasswordTooShort => crate::i18n::fill(
            t.password_too_short,
            &[("n", &shared::limits::MIN_PASSWORD_CHARS.to_string())],
        ),
        Note::PasswordsDiffer => t.passwords_differ.into(),
        Note::SignedOutEverywhere => t.signed_out_everywhere.into(),
        Note::AgentDisabled(name) => crate::i18n::fill(t.agent_disabled, &[("name", name)]),
        Note::AgentEnabled(name) => crate::i18n::fill(t.agent_enabled, &[("name", name)]),
        Note::ContactExported(file) => crate::i18n::fill(t.contact_exported, &[("file", file)]),
        Note::ContactErased(erased) => erased_text(erased),
        Note::ExportFailed(code) => {
            crate::i18n::fill(t.export_failed, &[("reason", t.record_error(*code))])
        }
        Note::EraseFailed(code) => {
            crate::i18n::fill(t.erase_failed, &[("reason", t.record_error(*code))])
        }
        Note::ReplySaved(shortcut) => {
            crate::i18n::fill(t.kb.reply_saved, &[("shortcut", shortcut)])
        }
        Note::ReplyDeleted(shortcut) => {
            crate::i18n::fill(t.kb.reply_deleted, &[("shortcut", shortcut)])
        }
        Note::CannedFailed(code) => t.canned_error(*code).into(),
        Note::ArticleDeleted(title) => crate::i18n::fill(t.kb.article_deleted, &[("title", title)]),
        Note::Error(code) => t.error(*code).into(),
    }
}

/// "Erased: 2 records, 5 messages redacted in 1 conversation, …".
fn erased_text(erased: &Erased) -> String {
    let t = catalog();
    crate::i18n::fill(
        t.contact_erased,
        &[
            ("records", &t.erased_records.count(erased.records)),
            (
                "messages",
                &t.erased_messages.count(erased.messages_redacted),
            ),
            (
                "conversations",
                &t.erased_conversations.count(erased.conversations),
            ),
            (
                "timeline",
                &t.erased_timeline_items.count(erased.timeline_items),
            ),
            (
                "visitors",
                &t.erased_visitors.count(erased.visitors_unlinked),
            ),
        ],
    )
}

#[component]
pub(crate) fn Banner() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let down = Memo::new(move |_| model.with(|m| m.link == Link::Down));
    let note = Memo::new(move |_| model.with(|m| m.banner.clone()));
    view! {
        <div class="banners">
            <Show when=move || down.get()>
                <p class="banner offline" role="status">{t.reconnecting}</p>
            </Show>
            {move || {
                note.get()
                    .map(|n| {
                        view! {
                            <p class="banner error" role="alert">
                                <span>{note_text(&n)}</span>
                                <button type="button" on:click=move |_| ctl.get().dismiss_banner()>
                                    {t.dismiss}
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erasure_is_told_in_counts() {
        let erased = Erased {
            contact: "k1".into(),
            records: 2,
            timeline_items: 1,
            visitors_unlinked: 1,
            conversations: 1,
            messages_redacted: 5,
        };
        assert_eq!(
            note_text(&Note::ContactErased(erased)),
            "Erased: 2 records, 5 messages redacted in 1 conversation, 1 timeline item, \
             1 visitor unlinked."
        );
        assert_eq!(
            note_text(&Note::EraseFailed(shared::ErrorCode::NotFound)),
            "Erase failed: No customer record found"
        );
    }
}
