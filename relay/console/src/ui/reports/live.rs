//! The live view beside the report: who waits now and for how long, how
//! many agents are online, busy and away, and each agent's open
//! conversations. The page watches it while open (the relay pushes it on
//! every change and every few seconds) and stops when it closes.

use leptos::prelude::*;
use shared::Presence;

use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::reports::figures::duration;
use crate::ui::when;

#[component]
pub(super) fn LivePanel() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let w = &t.reports;
    ctl.get().watch_live(true);
    on_cleanup(move || ctl.get().watch_live(false));
    let live = Memo::new(move |_| model.with(|m| m.reports.live.clone()));
    let presence = move |p: Presence| match p {
        Presence::Online => t.online,
        Presence::Away => t.away,
        Presence::Offline => t.offline,
    };
    view! {
        <section class="live-view" aria-labelledby="live-heading" data-testid="live-view">
            <h3 id="live-heading">{w.live}</h3>
            {move || live.get().map(|l| {
                let offline = l.agents.iter().filter(|a| a.presence == Presence::Offline).count();
                let longest = l.longest_wait_ms.map_or_else(|| w.none.to_owned(), |ms| duration(ms, w));
                let stats = [
                    ("live-waiting", w.waiting_now, l.waiting.to_string()),
                    ("live-longest", w.longest_wait, longest),
                    ("live-online", w.agents_online, l.agents_online.to_string()),
                    ("live-busy", w.agents_busy, l.agents_busy.to_string()),
                    ("live-away", w.agents_away, l.agents_away.to_string()),
                    ("live-offline", t.offline, offline.to_string()),
                ];
                view! {
                    <div class="live-body">
                    <dl class="live-stats" aria-live="polite">
                        {stats.into_iter().map(|(id, name, value)| view! {
                            <div data-testid=id>
                                <dt>{name}</dt>
                                <dd>{value}</dd>
                            </div>
                        }).collect_view()}
                    </dl>
                    <table class="live-agents" data-testid="live-agents">
                        <caption>{w.conversations_per_agent}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{w.agent}</th>
                                <th scope="col">{w.presence}</th>
                                <th scope="col">{w.open_conversations}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {l.agents.into_iter().map(|a| view! {
                                <tr>
                                    <th scope="row">{a.name}</th>
                                    <td>{if a.busy { w.busy } else { presence(a.presence) }}</td>
                                    <td>{a.open_conversations}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p class="hint">{fill(w.updated_at, &[("time", &when::date_time(l.at_ms))])}</p>
                </div>
                }
            })}
        </section>
    }
}
