//! The admins' "Routing" panel the top bar opens: pick a site, then edit
//! its teams (`teams.rs`), topics (`topics.rs`), timing, priority and the
//! offline form (`general.rs`) and its opening hours (`hours.rs`); "Save
//! routing" sends it all at once. Below, every agent's languages, skills
//! and capacity (`agents.rs`). Escape or "Close routing" closes it.
//!
//! The form lives here, in a signal, not in the model: typing changes
//! nothing else. It is filled from the stored settings when the relay
//! answers the admin's load or save (the model's stamp moves), so a
//! refused save keeps every edit and a successful one shows what was
//! stored. The model checks it before sending (`routing_form.rs`); the
//! outcome is read out from a live region.

mod agents;
mod fields;
mod general;
mod hours;
mod hours_rows;
mod teams;
mod topics;

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html::H2;
use leptos::prelude::*;
use shared::SiteId;

use self::agents::AgentsRouting;
use self::general::{Priority, Timing};
use self::hours::{HoursEditor, TIME_ZONES};
use self::teams::Teams;
use self::topics::Topics;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::{Fetch, HoursOwner, RoutingForm};

/// The panel's element id, for the top bar's `aria-controls`.
pub(crate) const ROUTING_PANEL_ID: &str = "routing-panel";

#[component]
pub(crate) fn RoutingPanel(
    /// Whether the panel is shown; closing it clears this.
    shown: RwSignal<bool>,
) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let heading = NodeRef::<H2>::new();
    let sites = Memo::new(move |_| model.with(|m| m.kb.sites.clone()));
    let site = Memo::new(move |_| model.with(|m| m.routing.admin.site.clone()));
    // Team members are picked from, and the agents' section lists, everyone.
    ctl.get().list_agents();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    // The first site until the admin picks another; the chosen one is
    // loaded afresh each time the panel opens.
    Effect::new(move |_| {
        let chosen = site.get_untracked();
        if let Some(site) = chosen.or_else(|| sites.with(|s| s.first().map(|s| s.id.clone()))) {
            ctl.get().routing_pick_site(&site);
        }
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            shown.set(false);
        }
    };
    let on_site = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if !value.is_empty() {
            ctl.get().routing_pick_site(&SiteId::from(value.as_str()));
        }
    };
    let w = &t.routing;
    view! {
        <section id=ROUTING_PANEL_ID class="panel routing" aria-labelledby="routing-heading" on:keydown=on_key>
            <div class="panel-head">
                <h2 id="routing-heading" tabindex="-1" node_ref=heading>{w.routing}</h2>
                <label for="routing-site">{t.kb.site}</label>
                <select id="routing-site" data-testid="routing-site" on:change=on_site>
                    <option value="" disabled prop:selected=move || site.with(Option::is_none)>
                        {t.kb.choose_site}
                    </option>
                    {move || sites.get().into_iter().map(|s| {
                        let id = s.id.clone();
                        view! {
                            <option value=s.id.to_string() prop:selected=move || site.with(|c| c.as_ref() == Some(&id))>
                                {s.name}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <button type="button" on:click=move |_| shown.set(false)>{w.close_routing}</button>
            </div>
            <datalist id="time-zones">
                {TIME_ZONES.iter().map(|zone| view! { <option value=*zone></option> }).collect_view()}
            </datalist>
            <Show when=move || site.with(Option::is_some)>
                <SiteSettings/>
            </Show>
            <AgentsRouting/>
        </section>
    }
}

/// The chosen site's settings form, "Save routing" and its outcome.
#[component]
fn SiteSettings() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let w = &t.routing;
    let form = RwSignal::new(model.with_untracked(|m| m.routing_form()));
    let stamp = Memo::new(move |_| model.with(|m| m.routing.admin.stamp));
    // Bumped to rebuild the inputs from a refilled form.
    let version = RwSignal::new(0_u64);
    Effect::new(move |was: Option<u64>| {
        let now = stamp.get();
        if was.is_some_and(|was| was != now) {
            form.set(model.with_untracked(|m| m.routing_form()));
            version.update(|v| *v += 1);
        }
        now
    });
    let load = Memo::new(move |_| model.with(|m| m.routing.admin.load));
    let saving = Memo::new(move |_| model.with(|m| m.routing.admin.saving));
    let note = Memo::new(move |_| model.with(|m| m.routing.admin.note.clone()));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        form.with_untracked(|f: &RoutingForm| ctl.get().routing_save(f));
    };
    let status = move || match load.get() {
        Fetch::Pending => Some(t.loading.to_owned()),
        Fetch::Failed(code) => Some(fill(w.load_failed, &[("reason", t.error(code))])),
        Fetch::Settled => None,
    };
    view! {
        <form class="routing-settings" aria-labelledby="routing-settings-heading" on:submit=submit>
            <h3 id="routing-settings-heading">{w.site_settings}</h3>
            <p class="hint" role="status">{status}</p>
            {move || {
                version.get();
                view! {
                    <div class="routing-body">
                        <Teams form/>
                        <Topics form/>
                        <Timing form/>
                        <Priority form/>
                        <HoursEditor form owner=HoursOwner::Site/>
                    </div>
                }
            }}
            <div class="routing-save">
                <button
                    type="submit"
                    data-testid="routing-save"
                    aria-disabled=move || saving.get().then_some("true")
                >
                    {move || if saving.get() { t.kb.saving } else { w.save_routing }}
                </button>
                <p class="note" role="status" aria-live="polite" data-testid="routing-note">
                    {move || note.get().map(|n| t.routing_note(&n))}
                </p>
            </div>
        </form>
    }
}
