//! The customer's timeline, newest first: every interaction on every
//! channel with a channel glyph (named for screen readers), direction,
//! time, text, agent and case code. A channel filter narrows what is loaded;
//! "Load older" fetches the next page. A chat item opens its conversation.
//! Agents' private notes are labelled "Note" and styled as internal.

use leptos::prelude::*;
use shared::contacts::{Channel, Direction, TimelineItem};

use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::Fetch;
use crate::ui::csat::Rating;
use crate::ui::message_text::MessageText;
use crate::ui::when;

/// Every channel, in the filter's order, with its form value.
const CHANNELS: [(Channel, &str); 8] = [
    (Channel::Chat, "chat"),
    (Channel::Email, "email"),
    (Channel::Phone, "phone"),
    (Channel::Sms, "sms"),
    (Channel::Social, "social"),
    (Channel::WebForm, "web_form"),
    (Channel::System, "system"),
    (Channel::Note, "note"),
];

fn channel_name(channel: Channel) -> &'static str {
    catalog().channel(channel)
}

/// A glyph per channel: text, so it follows the font and needs no asset.
fn channel_glyph(channel: Channel) -> &'static str {
    match channel {
        Channel::Chat => "💬",
        Channel::Email => "✉",
        Channel::Phone => "☎",
        Channel::Sms => "📱",
        Channel::Social => "＠",
        Channel::WebForm => "📝",
        Channel::System => "⚙",
        Channel::Note => "🔒",
    }
}

#[component]
pub(crate) fn Timeline() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let items = Memo::new(move |_| model.with(|m| m.card.timeline()));
    let more =
        Memo::new(move |_| model.with(|m| m.card.card.as_ref().is_some_and(|c| c.next.is_some())));
    let older = Memo::new(move |_| model.with(|m| m.card.older));
    let channel = Memo::new(move |_| model.with(|m| m.card.channel));
    let on_filter = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let chosen = CHANNELS.iter().find(|(_, v)| *v == value).map(|(c, _)| *c);
        ctl.get().filter_channel(chosen);
    };
    view! {
        <section class="customer-part timeline" aria-labelledby="timeline-heading">
            <h3 id="timeline-heading">{t.timeline}</h3>
            <label class="channel-filter">
                <span>{t.channel}</span>
                <select on:change=on_filter>
                    <option value="" prop:selected=move || channel.get().is_none()>
                        {t.all_channels}
                    </option>
                    {CHANNELS
                        .into_iter()
                        .map(|(ch, value)| {
                            view! {
                                <option value=value prop:selected=move || channel.get() == Some(ch)>
                                    {channel_name(ch)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <Show when=move || items.with(Vec::is_empty)>
                <p class="empty">{t.empty_timeline}</p>
            </Show>
            <ol class="timeline-items">
                <For each=move || items.get() key=|item| item.id.clone() let:item>
                    <Item item/>
                </For>
            </ol>
            {move || {
                older.get().failed().map(|code| {
                    view! {
                        <p class="note error" role="alert">
                            {fill(t.older_failed, &[("reason", t.error(code))])}
                        </p>
                    }
                })
            }}
            <Show when=move || more.get()>
                <button
                    type="button"
                    class="load-older"
                    disabled=move || older.get() == Fetch::Pending
                    on:click=move |_| ctl.get().load_older()
                >
                    {move || if older.get() == Fetch::Pending { t.loading } else { t.load_older }}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn Item(item: TimelineItem) -> impl IntoView {
    let ctl = ctl();
    let t = catalog();
    let (direction, arrow, key) = match item.direction {
        Direction::In => (t.incoming, "↘", "in"),
        Direction::Out => (t.outgoing, "↗", "out"),
    };
    let head = view! {
        <span class="channel" role="img" aria-label=channel_name(item.channel)>
            {channel_glyph(item.channel)}
        </span>
        <span class="direction">
            <span aria-hidden="true">{arrow}" "</span>
            {direction}
        </span>
        <time class="at">{when::date_time(item.at_ms)}</time>
        {item.agent.clone().map(|a| view! { <span class="agent">{a}</span> })}
        {item.case_code.clone().map(|c| view! { <span class="case-code">{c}</span> })}
    };
    let body = view! {
        <p class="text">
            <MessageText text=item.text.clone()/>
        </p>
        <Rating csat=item.csat.clone()/>
    };
    let channel = CHANNELS
        .iter()
        .find(|(c, _)| *c == item.channel)
        .map_or("", |(_, v)| *v);
    view! {
        <li
            class="timeline-item"
            class:internal=item.channel == Channel::Note
            data-channel=channel
            data-direction=key
        >
            <div class="item-head">
                {(item.channel == Channel::Note).then(|| view! { <span class="note-tag">{t.kb.ch_note}</span> })}
                {head}
            </div>
            {body}
            {item.conversation.clone().map(|id| {
                view! {
                    <button type="button" class="item-open" on:click=move |_| ctl.get().open(&id)>
                        {t.open_conversation}
                    </button>
                }
            })}
        </li>
    }
}
