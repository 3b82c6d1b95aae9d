//! The root component: reads the iframe URL, starts the session, wires the
//! page-level events (host messages, tab visibility, network back) to it,
//! and provides the contexts the panel's components use.

use std::rc::Rc;

use leptos::ev;
use leptos::prelude::*;

use crate::bridge::{Bridge, HostSays};
use crate::i18n;
use crate::panel::Panel;
use crate::params::Params;
use crate::session::Session;
use crate::state::{Actions, ChatState, Locale, Strings};

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn App() -> impl IntoView {
    let params = Params::from_location();
    let strings = i18n::catalog(&params.lang);
    let bridge = Bridge::new(params.parent.clone());
    // Embedded, the panel counts as hidden until the host says "open";
    // opened on its own (no host page), it is what the visitor sees.
    let state = ChatState::new(!bridge.embedded());
    let session = Session::start(
        &params.site,
        &params.lang,
        params.page.clone(),
        params.ws_url.clone(),
        state,
        strings,
        bridge,
    );
    listen(&session);

    provide_context(state);
    provide_context(Strings(strings));
    provide_context(Locale(params.lang.clone()));
    provide_context(Actions::new(session));
    view! { <Panel lang=params.lang/> }
}

/// Window events the session cares about, for the page's whole life.
fn listen(session: &Rc<Session>) {
    let s = Rc::clone(session);
    let _ = window_event_listener(ev::message, move |event| {
        if let Some(page) = s.bridge.page(&event) {
            s.set_page(&page);
        }
        match s.bridge.read(&event) {
            Some(HostSays::Open) => s.set_open(true),
            Some(HostSays::Close) => s.set_open(false),
            Some(HostSays::Identify(token)) => s.identify(token),
            None => {}
        }
    });
    let s = Rc::clone(session);
    let _ = window_event_listener_untyped("visibilitychange", move |_| s.refresh_attention());
    let s = Rc::clone(session);
    let _ = window_event_listener_untyped("online", move |_| s.conn.retry_now());
}
