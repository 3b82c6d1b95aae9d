//! The message list: a `log` named "Messages" that screen readers announce
//! politely. Every message is rendered as text nodes; links found by
//! `links` become anchors that open in a new tab and pass no referrer or
//! opener. The list scrolls to the newest message when one arrives. A
//! conversation opens with its acknowledgement (a note) or, without one,
//! a small line with its case code. A message left through the offline
//! form opens with its confirmation: the case code in its own element
//! (`data-testid="case-code"`) and where and when the answer comes
//! (`offline-reply`), in `data-testid="offline-confirmation"`.

use leptos::either::{Either, EitherOf3};
use leptos::html;
use leptos::prelude::*;
use shared::links::{split_links, Segment};

use crate::acknowledgement::{self, around_code, local_time, offline_reply};
use crate::i18n::{fill, Catalog};
use crate::state::{ChatState, Locale, Strings};
use crate::transcript::{Entry, EntryKind};

/// What an offline confirmation needs besides its acknowledgement.
#[derive(Debug, Clone, Copy)]
struct Reply<'a> {
    /// The email the visitor gave in the form.
    to: Option<&'a str>,
    /// When the site opens, from the welcome.
    opens_at_ms: Option<u64>,
}

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn Messages() -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let state = expect_context::<ChatState>();
    let Locale(lang) = expect_context::<Locale>();
    let log = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        state.transcript.track();
        state.outbox.track();
        request_animation_frame(move || {
            if let Some(el) = log.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    });
    // Rows are rebuilt in place (not keyed): the list only grows at the
    // end, and updating in place keeps the code small.
    let rows = move || {
        let rows = state
            .outbox
            .with(|outbox| state.transcript.with(|t| t.entries(outbox)));
        let to = state.offline.reply_to.get();
        let reply = Reply {
            to: to.as_deref(),
            opens_at_ms: state.offer.with(|o| o.availability.opens_at_ms),
        };
        if rows.is_empty() {
            Either::Left(view! { <p class="sb-empty">{strings.empty}</p> })
        } else {
            Either::Right(
                rows.into_iter()
                    .map(|e| row(strings, &lang, reply, e))
                    .collect::<Vec<_>>(),
            )
        }
    };
    view! {
        <div
            class="sb-log"
            role="log"
            aria-label=strings.messages
            aria-live="polite"
            tabindex="0"
            node_ref=log
        >
            {rows}
        </div>
    }
}

/// One message (or the "chat ended" line, or a conversation's opening
/// note), as text nodes and safe links.
fn row(strings: &'static Catalog, lang: &str, reply: Reply<'_>, entry: Entry) -> impl IntoView {
    // Every note is one paragraph of text, so all share one view type
    // (each distinct view type costs code in the wasm).
    let note = |class, text: String| EitherOf3::A(view! { <p class=class>{text}</p> });
    let (class, author) = match entry.kind {
        EntryKind::Visitor => ("sb-msg sb-visitor", strings.you.to_owned()),
        EntryKind::Pending => ("sb-msg sb-visitor sb-pending", strings.you.to_owned()),
        EntryKind::Agent => (
            "sb-msg sb-agent",
            entry.name.unwrap_or_else(|| strings.agent.to_owned()),
        ),
        EntryKind::System => ("sb-msg sb-system", entry.name.unwrap_or_default()),
        EntryKind::Ended => return note("sb-ended", strings.ended.to_owned()),
        EntryKind::Acknowledgement => {
            if let Some(ack) = entry.ack.as_ref().filter(|a| a.offline) {
                let (before, after) = around_code(strings);
                let back_at = |at| local_time(lang, at);
                let reply = offline_reply(strings, ack, reply.to, reply.opens_at_ms, back_at);
                return EitherOf3::B(view! {
                    <div class="sb-ack sb-offline-sent" data-testid="offline-confirmation">
                        <p class="sb-ack-line">
                            {before}
                            <strong class="sb-case-code" data-testid="case-code">
                                {ack.case_code.clone()}
                            </strong>
                            {after}
                        </p>
                        <p class="sb-ack-line" data-testid="offline-reply">
                            {reply.unwrap_or_default()}
                        </p>
                    </div>
                });
            }
            let text = entry
                .ack
                .as_ref()
                .map(|ack| acknowledgement::text(strings, ack, |at| local_time(lang, at)));
            return note("sb-ack", text.unwrap_or_default());
        }
        EntryKind::Reference => {
            return note("sb-reference", fill(strings.reference, &entry.text));
        }
    };
    let pending = (entry.kind == EntryKind::Pending)
        .then(|| view! { <span class="sb-sending">{strings.sending}</span> });
    EitherOf3::C(view! {
        <div class=class>
            <span class="sb-author">{author}</span>
            <p class="sb-text">{text_view(&entry.text)}</p>
            {pending}
        </div>
    })
}

/// The text as plain text nodes and safe links.
fn text_view(text: &str) -> Vec<impl IntoView> {
    split_links(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(t) => Either::Left(t.to_owned()),
            Segment::Link(url) => Either::Right(view! {
                <a href=url.to_owned() target="_blank" rel="noopener noreferrer nofollow">
                    {url.to_owned()}
                </a>
            }),
        })
        .collect()
}
