//! The admins' "Reports" page the top bar opens: pick a site and a period
//! (`period.rs`), then the overview cards (`cards.rs`), the breakdown
//! tables (`table.rs`), the heat map and distributions (`charts.rs`, each
//! with its table), and beside it all the live view (`live.rs`). Every
//! number comes from the model's report; every table can be downloaded
//! as CSV. Escape or "Close reports" closes it.

mod cards;
mod charts;
mod live;
mod period;
mod table;

use leptos::ev::KeyboardEvent;
use leptos::html::H2;
use leptos::prelude::*;

use self::cards::OverviewCards;
use self::charts::{BarChart, HeatMapChart};
use self::live::LivePanel;
use self::period::PeriodPicker;
use self::table::ReportTable;
use crate::context::{state, State};
use crate::i18n::{catalog, fill};
use crate::model::reports::tables;
use crate::model::Fetch;

/// The page's element id, for the top bar's `aria-controls`.
pub(crate) const REPORTS_PANEL_ID: &str = "reports-panel";

#[component]
pub(crate) fn ReportsPanel(
    /// Whether the page is shown; closing it clears this.
    shown: RwSignal<bool>,
) -> impl IntoView {
    let t = catalog();
    let w = &t.reports;
    let heading = NodeRef::<H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            shown.set(false);
        }
    };
    view! {
        <section
            id=REPORTS_PANEL_ID
            class="panel reports"
            aria-labelledby="reports-heading"
            dir=t.dir
            on:keydown=on_key
        >
            <div class="panel-head">
                <h2 id="reports-heading" tabindex="-1" node_ref=heading>{w.reports}</h2>
                <button type="button" on:click=move |_| shown.set(false)>{w.close_reports}</button>
            </div>
            <div class="reports-layout">
                <div class="reports-main">
                    <PeriodPicker/>
                    <ReportBody/>
                </div>
                <LivePanel/>
            </div>
        </section>
    }
}

/// Where the request stands, then the report itself once there is one.
#[component]
fn ReportBody() -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let w = &t.reports;
    let load = Memo::new(move |_| model.with(|m| m.reports.load));
    let shown = Memo::new(move |_| model.with(|m| m.reports.shown.clone()));
    let status = move || match load.get() {
        Fetch::Pending => Some(t.loading.to_owned()),
        Fetch::Failed(code) => Some(fill(w.load_failed, &[("reason", t.error(code))])),
        Fetch::Settled => None,
    };
    view! {
        <p class="hint" role="status" data-testid="report-status">{status}</p>
        {move || shown.get().map(|s| {
            let r = &s.report;
            let (first, last) = (s.days.first_day.clone(), s.days.last_day.clone());
            let period = fill(
                w.showing,
                &[("first", &first), ("last", &last), ("zone", &r.period.time_zone)],
            );
            let durations = if r.period.business_hours { w.durations_business } else { w.durations_all };
            let buckets = tables::response_buckets(r, t);
            let csat = tables::csat_distribution(r, t);
            let days = (first, last);
            view! {
                <div class="report" data-testid="report">
                    <p class="report-period" data-testid="report-period">
                        <strong>{period}</strong>
                        " "
                        <span>{w.compared_with}</span>
                        " "
                        <span>{durations}</span>
                    </p>
                    <OverviewCards report=r.clone()/>
                    <ReportTable table=tables::overview(r, t) days=days.clone()/>
                    <div class="report-charts">
                        <BarChart table=buckets days=days.clone()/>
                        <BarChart table=csat days=days.clone()/>
                    </div>
                    <HeatMapChart table=tables::heat_map(r, t) days=days.clone()/>
                    <ReportTable table=tables::by_agent(r, t) days=days.clone()/>
                    <ReportTable table=tables::by_channel(r, t) days=days.clone()/>
                    <ReportTable table=tables::by_site(r, t) days=days/>
                </div>
            }
        })}
    }
}
