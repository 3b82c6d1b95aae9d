//! The report's site, period (today, 7 days, 30 days or custom dates, in
//! the site's time zone) and the business-hours toggle; "Show report"
//! asks for it. The page asks for the last 7 days of the first site when
//! it opens.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::report_period::ReportPeriod;
use shared::SiteId;

use crate::context::{ctl, state, State};
use crate::i18n::catalog;
use crate::model::reports::ReportAsk;

/// The period a form value names; `None` for custom dates.
fn preset(value: &str) -> Option<ReportPeriod> {
    match value {
        "today" => Some(ReportPeriod::Today),
        "7" => Some(ReportPeriod::Last7Days),
        "30" => Some(ReportPeriod::Last30Days),
        _ => None,
    }
}

#[component]
pub(super) fn PeriodPicker() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let w = &t.reports;
    let sites = Memo::new(move |_| model.with(|m| m.kb.sites.clone()));
    let asked = model.with_untracked(|m| m.reports.asked.clone());
    let site = RwSignal::new(asked.as_ref().map(|a| a.site.clone()));
    let choice = RwSignal::new("7".to_owned());
    let first_day = RwSignal::new(String::new());
    let last_day = RwSignal::new(String::new());
    let business = RwSignal::new(asked.as_ref().is_some_and(|a| a.business_hours));
    let bad_dates = Memo::new(move |_| model.with(|m| m.reports.bad_dates));
    let show = move || {
        let chosen = site
            .get_untracked()
            .or_else(|| sites.with_untracked(|s| s.first().map(|s| s.id.clone())));
        let Some(site) = chosen else { return };
        let period = preset(&choice.get_untracked()).unwrap_or_else(|| ReportPeriod::Custom {
            first_day: first_day.get_untracked(),
            last_day: last_day.get_untracked(),
        });
        ctl.get().report_show(ReportAsk {
            site,
            period,
            business_hours: business.get_untracked(),
        });
    };
    // The first report comes without a click.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || sites.with(Vec::is_empty) {
            return done.unwrap_or(false);
        }
        show();
        true
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        show();
    };
    let custom = move || choice.get() == "custom";
    view! {
        <form class="report-picker" aria-label=w.period on:submit=submit>
            <label for="report-site">{t.kb.site}</label>
            <select
                id="report-site"
                on:change=move |ev| site.set(Some(SiteId::from(event_target_value(&ev).as_str())))
            >
                {move || sites.get().into_iter().map(|s| {
                    let id = s.id.clone();
                    view! {
                        <option
                            value=s.id.to_string()
                            prop:selected=move || site.with(|c| c.as_ref() == Some(&id))
                        >
                            {s.name}
                        </option>
                    }
                }).collect_view()}
            </select>
            <label for="report-period">{w.period}</label>
            <select id="report-period" on:change=move |ev| choice.set(event_target_value(&ev))>
                <option value="today">{w.today}</option>
                <option value="7" selected>{w.last_7_days}</option>
                <option value="30">{w.last_30_days}</option>
                <option value="custom">{w.custom}</option>
            </select>
            <Show when=custom>
                <label for="report-first-day">{w.first_day}</label>
                <input
                    id="report-first-day"
                    type="date"
                    prop:value=move || first_day.get()
                    on:input=move |ev| first_day.set(event_target_value(&ev))
                />
                <label for="report-last-day">{w.last_day}</label>
                <input
                    id="report-last-day"
                    type="date"
                    prop:value=move || last_day.get()
                    on:input=move |ev| last_day.set(event_target_value(&ev))
                />
            </Show>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || business.get()
                    on:change=move |ev| business.set(event_target_checked(&ev))
                />
                {w.business_hours_only}
            </label>
            <button type="submit">{w.show_report}</button>
            <p class="note error" role="alert">
                {move || bad_dates.get().then_some(w.bad_dates)}
            </p>
        </form>
    }
}
