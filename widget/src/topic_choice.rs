//! The topic choice: a labelled select of the site's topics whose first
//! option picks none, since a topic is never required to start. A select
//! rather than radio buttons: one tab stop and one line, however many
//! topics a site has. The pick lives in `ChatState::topic`, so it carries
//! from the live chat into the offline form.

use leptos::prelude::*;

use crate::state::{ChatState, Strings};

/// The select's id, for its label (and tests).
pub(crate) const TOPIC_ID: &str = "sb-topic";

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn TopicChoice() -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let state = expect_context::<ChatState>();
    let picked = state.topic;
    let options = move || {
        state.offer.with(|offer| {
            offer
                .topics
                .iter()
                .map(|topic| {
                    let id = topic.id.clone();
                    view! {
                        <option
                            value=topic.id.clone()
                            prop:selected=move || picked.with(|p| *p == id)
                        >
                            {topic.label.clone()}
                        </option>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="sb-field sb-topic">
            <label for=TOPIC_ID class="sb-label">{strings.topic_label}</label>
            <select
                id=TOPIC_ID
                class="sb-field-input"
                data-testid="topic"
                on:change:target=move |event| picked.set(event.target().value())
            >
                <option value="" prop:selected=move || picked.with(String::is_empty)>
                    {strings.topic_none}
                </option>
                {options}
            </select>
        </div>
    }
}
