//! An opening-hours editor, for the site or one team: the time zone (typed,
//! with common zone names offered; the relay checks it), weekly periods
//! (several per day: add and remove rows of day, opens, closes), holidays
//! (date and name) and exceptions (a date, closed all day or with periods
//! of its own). The site's schedule is optional ("always open" without);
//! a team's is switched on in its row (`teams.rs`). Rows added take focus.

use leptos::prelude::*;

use super::fields::{checkbox, focus_soon};
use super::hours_rows::{edit, Exception, Holiday, Names, Period};
use crate::i18n::catalog;
use crate::model::{HoursForm, HoursOwner, Keys, RoutingForm};
use crate::ui::language::own_time_zone;

/// Zone names offered while typing; any IANA name the relay knows is taken.
pub(super) const TIME_ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Zurich",
    "Europe/Vienna",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Copenhagen",
    "Europe/Helsinki",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Kyiv",
    "Europe/Moscow",
    "Asia/Jerusalem",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Africa/Cairo",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Mexico_City",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "America/Toronto",
    "America/Vancouver",
    "Pacific/Honolulu",
];

#[component]
pub(super) fn HoursEditor(form: RwSignal<RoutingForm>, owner: HoursOwner) -> impl IntoView {
    let w = &catalog().routing;
    let names = Names { owner };
    let on = Memo::new(move |_| form.with(|f| f.hours(owner).is_some()));
    let switch = move |on: bool| {
        let zone = own_time_zone().unwrap_or_default();
        form.update(|f| f.set_hours(owner, on, &zone));
    };
    let toggle = (owner == HoursOwner::Site).then(|| {
        checkbox(
            names.id("on"),
            w.has_hours,
            on.get_untracked(),
            "hours-on",
            switch,
        )
    });
    view! {
        <fieldset class="hours" data-testid=names.test("hours")>
            <legend>{w.hours}</legend>
            {toggle}
            <Show when=move || on.get()>
                <Schedule form names/>
            </Show>
        </fieldset>
    }
}

/// Adds a row with `add` and focuses its first control, `first` of the row key.
fn adder(
    form: RwSignal<RoutingForm>,
    names: Names,
    add: fn(&mut HoursForm, &mut Keys),
    newest: fn(&HoursForm) -> Option<u64>,
    first: &'static str,
) -> impl Fn(leptos::ev::MouseEvent) {
    move |_| {
        edit(form, names.owner, add);
        let key = form.with_untracked(|f| f.hours(names.owner).and_then(newest));
        if let Some(key) = key {
            focus_soon(names.id(&format!("{key}-{first}")));
        }
    }
}

#[component]
fn Schedule(form: RwSignal<RoutingForm>, names: Names) -> impl IntoView {
    let w = &catalog().routing;
    let owner = names.owner;
    let keys = move |rows: fn(&HoursForm) -> Vec<u64>| {
        Memo::new(move |_| form.with(|f| f.hours(owner).map(rows).unwrap_or_default()))
    };
    let periods = keys(|h| h.periods.iter().map(|r| r.key).collect());
    let holidays = keys(|h| h.holidays.iter().map(|r| r.key).collect());
    let exceptions = keys(|h| h.exceptions.iter().map(|r| r.key).collect());
    let zone = form.with_untracked(|f| {
        f.hours(owner)
            .map(|h| h.time_zone.clone())
            .unwrap_or_default()
    });
    let zone_id = names.id("zone");
    view! {
        <label for=zone_id.clone()>{w.time_zone}</label>
        <input
            id=zone_id.clone()
            type="text"
            list="time-zones"
            autocomplete="off"
            data-testid=names.test("time-zone")
            aria-describedby=format!("{zone_id}-hint")
            prop:value=zone
            on:input=move |ev| {
                let value = event_target_value(&ev);
                edit(form, owner, |h, _| h.time_zone = value);
            }
        />
        <p id=format!("{zone_id}-hint") class="hint">{w.time_zone_hint}</p>
        <fieldset class="hours-weekly">
            <legend>{w.weekly}</legend>
            <p class="hint">{w.midnight_hint}</p>
            <ul class="routing-rows">
                <For each=move || periods.get() key=|k| *k let:key>
                    <Period form names key/>
                </For>
            </ul>
            <button type="button" id=names.id("period-add") data-testid=names.test("period-add")
                on:click=adder(form, names, |h, k| h.add_period(k), |h| h.periods.last().map(|r| r.key), "day")>
                {w.add_period}
            </button>
        </fieldset>
        <fieldset class="hours-holidays">
            <legend>{w.holidays}</legend>
            <ul class="routing-rows">
                <For each=move || holidays.get() key=|k| *k let:key>
                    <Holiday form names key/>
                </For>
            </ul>
            <button type="button" id=names.id("holiday-add") data-testid=names.test("holiday-add")
                on:click=adder(form, names, |h, k| h.add_holiday(k), |h| h.holidays.last().map(|r| r.key), "date")>
                {w.add_holiday}
            </button>
        </fieldset>
        <fieldset class="hours-exceptions">
            <legend>{w.exceptions}</legend>
            <ul class="routing-rows">
                <For each=move || exceptions.get() key=|k| *k let:key>
                    <Exception form names key/>
                </For>
            </ul>
            <button type="button" id=names.id("exception-add") data-testid=names.test("exception-add")
                on:click=adder(form, names, |h, k| h.add_exception(k), |h| h.exceptions.last().map(|r| r.key), "date")>
                {w.add_exception}
            </button>
        </fieldset>
    }
}
