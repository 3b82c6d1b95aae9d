//! The root component: creates the model and controller, puts them in
//! context, wires the page-level listeners (tab visibility, the gesture
//! that unlocks audio, the title), and shows either the sign-in form or
//! the console.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::account::AccountPanel;
use super::admin::AddAgent;
use super::banner::Banner;
use super::canned::CannedPanel;
use super::card::{ContactCard, CustomerPanel};
use super::conversation::Thread;
use super::kb::KnowledgePanel;
use super::list::ConversationList;
use super::offline::OfflineMessages;
use super::reports::ReportsPanel;
use super::routing::RoutingPanel;
use super::search::ContactSearch;
use super::sign_in::SignIn;
use super::topbar::TopBar;
use crate::context::{Ctl, State};
use crate::controller::Controller;
use crate::i18n::catalog;
use crate::model::{Model, Phase, Subject};
use crate::{notify, storage};

#[component]
pub(crate) fn App() -> impl IntoView {
    let mut initial = Model::new(storage::presence());
    initial.read_seed = storage::read_marks();
    let model = RwSignal::new(initial);
    let ctl = Controller::start(model);
    provide_context(State(model.read_only()));
    provide_context(Ctl(StoredValue::new_local(ctl.clone())));
    page_setup(ctl);

    Effect::new(move |_| {
        let count = model.with(Model::attention);
        notify::set_title(&notify::title(catalog(), count));
    });

    let read = Memo::new(move |_| model.with(Model::read_marks));
    Effect::new(move |_| {
        let marks = read.get();
        if model.with_untracked(|m| m.phase == Phase::SignedIn) {
            storage::save_read_marks(&marks);
        }
    });

    let phase = Memo::new(move |_| model.with(|m| (m.phase, m.session_hello)));
    move || match phase.get() {
        (Phase::SignedIn, _) => view! { <Console/> }.into_any(),
        (Phase::SigningIn, true) => view! {
            <p class="loading" role="status">{catalog().signing_in}</p>
        }
        .into_any(),
        _ => view! { <SignIn/> }.into_any(),
    }
}

/// Language, audio unlocking and tab visibility: page-wide, set up once.
fn page_setup(ctl: Controller) {
    let doc = document();
    if let Some(root) = doc.document_element() {
        let _ = root.set_attribute("lang", catalog().lang);
        let _ = root.set_attribute("dir", catalog().dir);
    }
    // Browsers allow sound only after a gesture; these stay for the page's life.
    let _ = window_event_listener(ev::pointerdown, |_| notify::unlock_audio());
    let _ = window_event_listener(ev::keydown, |_| notify::unlock_audio());
    let on_visibility = Closure::<dyn Fn()>::new(move || ctl.set_visible(notify::tab_visible()));
    let _ = doc.add_event_listener_with_callback(
        "visibilitychange",
        on_visibility.as_ref().unchecked_ref(),
    );
    on_visibility.forget();
}

/// The signed-in layout: top bar (and the panel it opens), contact
/// search and the list beside the open conversation and its customer's
/// card (or a contact's card alone).
#[component]
fn Console() -> impl IntoView {
    let State(model) = crate::context::state();
    let open = Memo::new(move |_| model.with(|m| m.open.clone()));
    let contact = Memo::new(move |_| {
        model.with(|m| m.open.is_none() && matches!(m.card.subject, Some(Subject::Contact(_))))
    });
    let admin = Memo::new(move |_| model.with(Model::is_admin));
    let account = RwSignal::new(false);
    let knowledge = RwSignal::new(false);
    let canned = RwSignal::new(false);
    let routing = RwSignal::new(false);
    let reports = RwSignal::new(false);
    let ctl = crate::context::ctl();
    // A closed panel's notes would be stale when it opens again.
    Effect::new(move |_| {
        if !account.get() {
            ctl.get().forget_account_notes();
        }
    });
    let t = catalog();
    view! {
        <div
            class="console"
            class:has-open=move || open.with(Option::is_some) || contact.get()
            class:account-open=move || account.get()
            class:reports-open=move || reports.get()
            class:panel-open=move || {
                account.get() || knowledge.get() || canned.get() || routing.get() || reports.get()
            }
        >
            <TopBar account knowledge canned routing reports/>
            <Show when=move || account.get()>
                <AccountPanel shown=account/>
            </Show>
            <Show when=move || knowledge.get() && admin.get()>
                <KnowledgePanel shown=knowledge/>
            </Show>
            <Show when=move || canned.get()>
                <CannedPanel shown=canned/>
            </Show>
            <Show when=move || routing.get() && admin.get()>
                <RoutingPanel shown=routing/>
            </Show>
            <Show when=move || reports.get() && admin.get()>
                <ReportsPanel shown=reports/>
            </Show>
            <Banner/>
            <div class="panes">
                <nav class="sidebar" aria-labelledby="conversations-heading">
                    <ContactSearch/>
                    <h2 id="conversations-heading">{t.conversations}</h2>
                    <ConversationList/>
                    <OfflineMessages/>
                    <Show when=move || admin.get()>
                        <AddAgent/>
                    </Show>
                </nav>
                <main class="main">
                    {move || match open.get() {
                        Some(id) => view! {
                            <div class="workspace">
                                <Thread id/>
                                <CustomerPanel/>
                            </div>
                        }
                        .into_any(),
                        None if contact.get() => view! { <ContactCard/> }.into_any(),
                        None => view! { <p class="placeholder">{t.pick_conversation}</p> }.into_any(),
                    }}
                </main>
            </div>
        </div>
    }
}
