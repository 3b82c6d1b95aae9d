//! The chat panel: a dialog named "Chat" that fills the iframe, with the
//! header, the connection line, the message list, the typing indicator,
//! the help articles (before a chat and while it waits), the topic choice
//! (before a chat, when the site has topics) and the composer (or, while
//! it is needed, the pre-chat form; the satisfaction survey above it
//! after a chat closed; or, while nobody can answer and no
//! conversation is open, the offline-message form). An article opened from the
//! help region takes the chat's place; the chat is only hidden meanwhile,
//! so what was typed stays. Escape anywhere inside asks the host page to
//! close it; any pointer or key press counts as a user gesture (unlocks
//! the beep).

use leptos::either::EitherOf3;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::composer::Composer;
use crate::header::Header;
use crate::help_panel::HelpPanel;
use crate::i18n::{fill, Catalog};
use crate::messages::Messages;
use crate::offline::Screen;
use crate::offline_form::OfflineForm;
use crate::prechat_form::PrechatForm;
use crate::reader::reader;
use crate::self_service::Reading;
use crate::state::{Actions, ChatState, LinkState, Strings};
use crate::survey_form::Survey;
use crate::topic_choice::TopicChoice;

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn Panel(lang: String) -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let actions = expect_context::<Actions>();
    let state = expect_context::<ChatState>();
    let dir = shared::lang::direction(&lang);
    let bottom = move || match state.screen.get() {
        Screen::Offline => EitherOf3::A(view! { <OfflineForm/> }),
        Screen::Live if state.prechat.with(Option::is_some) => {
            EitherOf3::B(view! { <PrechatForm/> })
        }
        Screen::Live => EitherOf3::C(view! { <Composer/> }),
    };
    let topic_choice = move || state.topics_offered.get().then(|| view! { <TopicChoice/> });
    let reading = state.help.reading;
    let article = move || {
        reading.with(|r| match r {
            Reading::Open(article) => Some(reader(strings, actions, article)),
            _ => None,
        })
    };
    let on_keydown = move |event: KeyboardEvent| {
        actions.gesture();
        if event.key() == "Escape" {
            event.prevent_default();
            actions.close();
        }
    };
    view! {
        <div
            class="sb-panel"
            role="dialog"
            aria-label=strings.dialog
            lang=strings.code
            dir=dir
            on:keydown=on_keydown
            on:pointerdown=move |_| actions.gesture()
        >
            <Header/>
            {link_line(strings, state)}
            <div class="sb-chat" hidden=move || reading.with(Reading::is_open)>
                <Messages/>
                {typing_line(strings, state)}
                <HelpPanel/>
                {topic_choice}
                <Survey/>
                {bottom}
            </div>
            {article}
        </div>
    }
}

/// "Reconnecting…" while the relay is out of reach; empty (and hidden by
/// CSS `:empty`) when online. Always in the DOM so it is announced.
fn link_line(strings: &'static Catalog, state: ChatState) -> impl IntoView {
    let text = move || match state.link.get() {
        LinkState::Online => "",
        LinkState::Connecting => strings.connecting,
        LinkState::Reconnecting => strings.reconnecting,
    };
    view! { <p class="sb-link" role="status">{text}</p> }
}

/// "Dana is typing…" while an agent types; empty otherwise.
fn typing_line(strings: &'static Catalog, state: ChatState) -> impl IntoView {
    let text = move || match state.agent_typing.get() {
        None => String::new(),
        Some(name) if name.is_empty() => strings.typing_someone.to_owned(),
        Some(name) => fill(strings.typing, name),
    };
    view! { <p class="sb-typing">{text}</p> }
}
