//! The bar above everything: product name, the "Status" control
//! (`status.rs`), the agent's name, the buttons that open a panel below it
//! ("Canned replies", `canned.rs`; for admins "Knowledge base", `kb/`,
//! "Routing", `routing/`, and "Reports", `reports/`; "Account",
//! `account.rs`; one panel at a time)
//! and "Sign out".

use leptos::html::Button;
use leptos::prelude::*;

use super::account::PANEL_ID;
use super::canned::CANNED_PANEL_ID;
use super::kb::KB_PANEL_ID;
use super::reports::REPORTS_PANEL_ID;
use super::routing::ROUTING_PANEL_ID;
use super::status::StatusControl;
use crate::context::{ctl, state, State};
use crate::i18n::catalog;
use crate::model::Model;

/// However a panel closes (Escape, its own button), focus comes back to
/// the button that opened it.
fn focus_on_close(shown: RwSignal<bool>, toggle: NodeRef<Button>) {
    Effect::new(move |was_shown: Option<bool>| {
        let now = shown.get();
        if was_shown == Some(true) && !now {
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
        now
    });
}

#[component]
pub(crate) fn TopBar(
    /// Whether the account panel is shown.
    account: RwSignal<bool>,
    /// Whether the knowledge base panel is shown (admins).
    knowledge: RwSignal<bool>,
    /// Whether the canned replies panel is shown.
    canned: RwSignal<bool>,
    /// Whether the routing panel is shown (admins).
    routing: RwSignal<bool>,
    /// Whether the reports page is shown (admins).
    reports: RwSignal<bool>,
) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let name = Memo::new(move |_| model.with(|m| m.me.as_ref().map(|a| a.name.clone())));
    let admin = Memo::new(move |_| model.with(Model::can_edit_kb));
    let routing_admin = Memo::new(move |_| model.with(Model::can_edit_routing));
    let reports_admin = Memo::new(move |_| model.with(Model::can_see_reports));
    let panels = [account, knowledge, canned, routing, reports];
    // Opening one panel closes the others.
    let toggle = move |which: RwSignal<bool>| {
        move |_| {
            let open = !which.get_untracked();
            for panel in panels {
                panel.set(false);
            }
            which.set(open);
        }
    };
    let (account_button, kb_button, canned_button, routing_button) = (
        NodeRef::<Button>::new(),
        NodeRef::<Button>::new(),
        NodeRef::<Button>::new(),
        NodeRef::<Button>::new(),
    );
    focus_on_close(account, account_button);
    focus_on_close(knowledge, kb_button);
    focus_on_close(canned, canned_button);
    focus_on_close(routing, routing_button);
    let reports_button = NodeRef::<Button>::new();
    focus_on_close(reports, reports_button);
    view! {
        <header class="topbar">
            <h1 class="brand">{t.app_title}</h1>
            <StatusControl/>
            <span class="me">{move || name.get()}</span>
            <button
                type="button"
                class="panel-toggle"
                aria-expanded=move || canned.get().to_string()
                aria-controls=move || canned.get().then_some(CANNED_PANEL_ID)
                node_ref=canned_button
                on:click=toggle(canned)
            >
                {t.kb.canned_replies}
            </button>
            <Show when=move || admin.get()>
                <button
                    type="button"
                    class="panel-toggle"
                    aria-expanded=move || knowledge.get().to_string()
                    aria-controls=move || knowledge.get().then_some(KB_PANEL_ID)
                    node_ref=kb_button
                    on:click=toggle(knowledge)
                >
                    {t.kb.knowledge_base}
                </button>
            </Show>
            <Show when=move || routing_admin.get()>
                <button
                    type="button"
                    class="panel-toggle"
                    data-testid="routing-admin-entry"
                    aria-expanded=move || routing.get().to_string()
                    aria-controls=move || routing.get().then_some(ROUTING_PANEL_ID)
                    node_ref=routing_button
                    on:click=toggle(routing)
                >
                    {t.routing.routing}
                </button>
            </Show>
            <Show when=move || reports_admin.get()>
                <button
                    type="button"
                    class="panel-toggle"
                    data-testid="reports-entry"
                    aria-expanded=move || reports.get().to_string()
                    aria-controls=move || reports.get().then_some(REPORTS_PANEL_ID)
                    node_ref=reports_button
                    on:click=toggle(reports)
                >
                    {t.reports.reports}
                </button>
            </Show>
            <button
                type="button"
                class="account-toggle"
                aria-expanded=move || account.get().to_string()
                aria-controls=move || account.get().then_some(PANEL_ID)
                node_ref=account_button
                on:click=toggle(account)
            >
                {t.account}
            </button>
            <button type="button" class="sign-out" on:click=move |_| ctl.get().sign_out()>
                {t.sign_out}
            </button>
        </header>
    }
}
